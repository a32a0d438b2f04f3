// Ferrogate dashboard: reads /admin/stats every few seconds and draws it (panels.js) as
// plain SVG (charts.js). This module holds the session: the login form, the refresh loop
// and logging out.

import { byId, show } from "./dom.js";
import { render } from "./panels.js";

const STORAGE_KEY = "ferrogate.dashboard.masterKey";
const REFRESH_MS = 3000;
// A hung request must not stop the refreshes: it is abandoned after this long.
const FETCH_TIMEOUT_MS = 8000;

// The key lives in this tab's sessionStorage only: not in a cookie, not in the URL.
const session = {
  get() { try { return sessionStorage.getItem(STORAGE_KEY); } catch { return null; } },
  set(key) { sessionStorage.setItem(STORAGE_KEY, key); },
  clear() { try { sessionStorage.removeItem(STORAGE_KEY); } catch { /* storage off */ } },
};

let timer = null;
let generation = 0; // bumped on log in and out: an older answer in flight is dropped
let shown = null; // the figures on screen, redrawn when the window is resized

class Refused extends Error {}

async function fetchStats(key) {
  const headers = key ? { Authorization: `Bearer ${key}` } : {};
  const answer = await fetch("/admin/stats", {
    headers,
    cache: "no-store",
    credentials: "omit",
    signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
  });
  if (answer.ok) return answer.json();
  let message = `HTTP ${answer.status}`;
  try {
    const body = await answer.json();
    if (body && body.error && typeof body.error.message === "string") message = body.error.message;
  } catch { /* not JSON: the status says enough */ }
  if (answer.status === 401) throw new Refused(message);
  throw new Error(message);
}

function schedule() {
  clearTimeout(timer);
  timer = setTimeout(refresh, REFRESH_MS);
}

function showDashboard(stats, key) {
  shown = stats;
  show(byId("login"), false);
  show(byId("panels"), true); // first: charts are drawn at the width the panels take
  render(stats);
  show(byId("refresh-error"), false);
  show(byId("logout"), Boolean(key));
  show(byId("gateway-mode"), !key);
}

function showLogin(error) {
  clearTimeout(timer);
  shown = null;
  show(byId("panels"), false);
  show(byId("logout"), false);
  show(byId("gateway-mode"), false);
  show(byId("refresh-error"), false);
  byId("generated-at").textContent = "";
  const message = byId("login-error");
  message.textContent = error || "";
  show(message, Boolean(error));
  show(byId("login"), true);
  byId("login-key").focus();
}

async function refresh() {
  const mine = generation;
  const key = session.get();
  try {
    const stats = await fetchStats(key);
    if (mine !== generation) return;
    showDashboard(stats, key);
  } catch (error) {
    if (mine !== generation) return;
    if (error instanceof Refused) {
      // The stored key no longer opens the figures (or there never was one).
      session.clear();
      showLogin(key ? error.message : "");
      return;
    }
    const banner = byId("refresh-error");
    const kept = shown ? " Showing the last figures." : "";
    banner.textContent = `Refresh failed: ${error.message || error}.${kept}`;
    show(banner, true);
  }
  schedule();
}

async function logIn(event) {
  event.preventDefault(); // nothing is submitted: the key is only ever a header
  const input = byId("login-key");
  const key = input.value;
  if (!key) return;
  const mine = ++generation;
  const submit = byId("login-submit");
  submit.disabled = true;
  try {
    const stats = await fetchStats(key);
    if (mine !== generation) return;
    session.set(key);
    input.value = "";
    show(byId("login-error"), false);
    showDashboard(stats, key);
    schedule();
  } catch (error) {
    if (mine !== generation) return;
    const message = byId("login-error");
    message.textContent = error.message || String(error);
    show(message, true);
    input.select();
  } finally {
    submit.disabled = false;
  }
}

function logOut() {
  generation += 1;
  session.clear();
  for (const id of ["models-table", "keys-table", "deployments-table"]) byId(id).replaceChildren();
  showLogin("");
}

let redraw = 0;
function onResize() {
  cancelAnimationFrame(redraw);
  redraw = requestAnimationFrame(() => { if (shown) render(shown); });
}

function start() {
  byId("login").addEventListener("submit", logIn);
  byId("logout").addEventListener("click", logOut);
  window.addEventListener("resize", onResize);
  refresh();
}

start();
