// Debian's Chromium under playwright-core, and readers that turn the dashboard into JSON.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";

const CHROMIUM = "/usr/bin/chromium";
// No network but the gateway under test: no background updates, sync or QUIC probes.
const ARGS = [
  "--headless",
  "--no-sandbox", // root in a container: Chromium's sandbox needs user namespaces
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
export const STEP_TIMEOUT_MS = 15_000;

// A fresh profile each run (Playwright passes it as --user-data-dir): nothing carried over.
export async function launch(viewport) {
  const profile = mkdtempSync(join(tmpdir(), "ferrogate-dashboard-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    args: ARGS,
    headless: true,
    viewport,
    timeout: STEP_TIMEOUT_MS,
  });
  context.setDefaultTimeout(STEP_TIMEOUT_MS);
  const page = context.pages()[0] ?? (await context.newPage());
  const close = async () => {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  };
  return { context, page, close };
}

// Console errors (CSP refusals among them), uncaught exceptions and every URL requested.
export function watch(page) {
  const seen = { consoleErrors: [], pageErrors: [], urls: [], statsAuth: [] };
  page.on("console", (message) => {
    if (message.type() === "error") seen.consoleErrors.push(message.text());
  });
  page.on("pageerror", (error) => seen.pageErrors.push(String(error)));
  page.on("request", (request) => {
    seen.urls.push(request.url());
    if (new URL(request.url()).pathname === "/admin/stats") {
      seen.statsAuth.push(request.headers().authorization ?? null);
    }
  });
  page.on("framenavigated", (frame) => seen.urls.push(frame.url()));
  return seen;
}

export const visible = (page, testid) => page.getByTestId(testid).isVisible();

// Every [data-testid] holding a figure, and each table as {row id: {column: text}}.
export function readDashboard(page) {
  return page.evaluate(() => {
    const text = (node) => node.textContent.trim();
    const figures = {};
    for (const node of document.querySelectorAll("dd[data-testid], td[data-testid]")) {
      figures[node.dataset.testid] = text(node);
    }
    const tables = {};
    for (const body of document.querySelectorAll("tbody[data-testid]")) {
      const rows = {};
      for (const tr of body.querySelectorAll("tr[data-id]")) {
        const cells = {};
        for (const cell of tr.querySelectorAll("[data-col]")) cells[cell.dataset.col] = text(cell);
        rows[tr.dataset.id] = cells;
      }
      tables[body.dataset.testid] = rows;
    }
    const badges = [...document.querySelectorAll("[data-testid=deployments-table] .badge")];
    return {
      figures,
      tables,
      badgeColors: badges.map((badge) => getComputedStyle(badge).backgroundColor),
      generatedAt: text(document.querySelector("[data-testid=generated-at]")),
      charts: document.querySelectorAll(".chart svg").length,
    };
  });
}

export function storage(page) {
  return page.evaluate(() => ({
    session: Object.fromEntries(Object.entries(sessionStorage)),
    local: localStorage.length,
    cookie: document.cookie,
  }));
}

export function layout(page) {
  return page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: document.documentElement.clientWidth,
    background: getComputedStyle(document.body).backgroundColor,
    darkQuery: matchMedia("(prefers-color-scheme: dark)").matches,
  }));
}
