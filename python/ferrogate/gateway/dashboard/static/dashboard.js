// Ferrogate dashboard: reads /admin/stats every few seconds and draws it as plain SVG.
// Every figure goes into the page through textContent or SVG attributes, never as markup:
// model and key names come from clients and operators.
"use strict";

(() => {
  const STORAGE_KEY = "ferrogate.dashboard.masterKey";
  const REFRESH_MS = 3000;
  // A hung request must not stop the refreshes: it is abandoned after this long.
  const FETCH_TIMEOUT_MS = 8000;
  const SVG_NS = "http://www.w3.org/2000/svg";
  const DASH = "—";

  const byId = (id) => document.querySelector(`[data-testid="${id}"]`);
  const show = (el, visible) => { el.hidden = !visible; };

  // ---- number formats ----------------------------------------------------------------

  const isNum = (v) => typeof v === "number" && Number.isFinite(v);
  const grouped = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
  function sig(value, digits = 3) {
    if (value === 0) return "0";
    if (Math.abs(value) >= 10 ** digits) return grouped.format(value);
    return String(Number(value.toPrecision(digits)));
  }
  const fmtCount = (v) => (isNum(v) ? grouped.format(v) : DASH);
  const fmtNum = (v) => (isNum(v) ? sig(v) : DASH);
  const fmtUsd = (v) => (isNum(v) ? `$${v.toFixed(4)}` : DASH);
  function fmtMs(v) {
    if (!isNum(v)) return DASH;
    return v >= 1000 ? `${sig(v / 1000)} s` : `${sig(v)} ms`;
  }
  function fmtPct(ratio) {
    if (!isNum(ratio)) return DASH;
    const pct = ratio * 100;
    if (pct === 0) return "0 %";
    return `${pct.toFixed(pct < 1 ? 2 : 1)} %`;
  }

  // ---- DOM helpers ---------------------------------------------------------------------

  function el(tag, attrs = {}, text) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function svg(tag, attrs = {}) {
    const node = document.createElementNS(SVG_NS, tag);
    for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, String(value));
    return node;
  }

  function setText(id, value) {
    byId(id).textContent = value;
  }

  // A table row: cells are [column, text or node, class?]; the row and each cell are
  // tagged (data-id, data-col) so a reader finds a figure without counting columns.
  function row(id, cells) {
    const tr = el("tr", { "data-id": id });
    for (const [col, content, cls] of cells) {
      const td = el("td", { "data-col": col });
      if (cls) td.className = cls;
      if (content instanceof Node) td.append(content);
      else td.textContent = content;
      tr.append(td);
    }
    return tr;
  }

  function fillTable(id, rows, emptyText, columns) {
    const body = byId(id);
    if (rows.length === 0) {
      const td = el("td", { colspan: String(columns), class: "empty" }, emptyText);
      const tr = el("tr");
      tr.append(td);
      body.replaceChildren(tr);
    } else {
      body.replaceChildren(...rows);
    }
  }

  // ---- charts --------------------------------------------------------------------------

  // Charts are drawn at their box's width in CSS pixels, so labels keep their size on a
  // phone and on a wide panel alike; they are redrawn on each refresh and on resize.
  const H = 140;
  const PAD = { left: 48, right: 8, top: 8, bottom: 18 };
  const widthOf = (host) => Math.max(host.clientWidth, 240);

  // 1, 2, 2.5 or 5 times a power of ten at or above `value`: round axis labels.
  function niceCeil(value) {
    if (!(value > 0)) return 1;
    const power = 10 ** Math.floor(Math.log10(value));
    for (const step of [1, 2, 2.5, 5, 10]) if (step * power >= value) return step * power;
    return 10 * power;
  }

  function chartFrame(W, label, yMax, yFormat, xLabels) {
    const root = svg("svg", { viewBox: `0 0 ${W} ${H}`, role: "img", "aria-label": label });
    const title = svg("title");
    title.textContent = label;
    root.append(title);
    const plotH = H - PAD.top - PAD.bottom;
    for (const fraction of [0, 0.5, 1]) {
      const y = PAD.top + plotH * (1 - fraction);
      root.append(svg("line", { x1: PAD.left, x2: W - PAD.right, y1: y, y2: y, class: "gridline" }));
      const text = svg("text", { x: PAD.left - 4, y: y + 3, "text-anchor": "end", class: "axis" });
      text.textContent = yFormat(yMax * fraction);
      root.append(text);
    }
    xLabels.forEach(([fraction, words]) => {
      const x = PAD.left + (W - PAD.left - PAD.right) * fraction;
      const anchor = fraction === 0 ? "start" : fraction === 1 ? "end" : "middle";
      const text = svg("text", { x, y: H - 3, "text-anchor": anchor, class: "axis" });
      text.textContent = words;
      root.append(text);
    });
    return root;
  }

  function legend(series) {
    const list = el("ul", { class: "legend" });
    for (const { name, cls } of series) {
      const item = el("li");
      item.append(el("span", { class: `swatch ${cls}` }), document.createTextNode(name));
      list.append(item);
    }
    return list;
  }

  const WINDOW_LABELS = [[0, "−15 min"], [1 / 3, "−10"], [2 / 3, "−5"], [1, "now"]];

  // Lines over the window's slots; a null (no traffic in that slot) leaves a gap.
  function lineChart(host, label, series, yFormat) {
    const values = series.flatMap((s) => s.values).filter(isNum);
    const yMax = niceCeil(Math.max(0, ...values));
    const W = widthOf(host);
    const root = chartFrame(W, label, yMax, yFormat, WINDOW_LABELS);
    const plotW = W - PAD.left - PAD.right;
    const plotH = H - PAD.top - PAD.bottom;
    for (const { values: points, cls, area } of series) {
      const step = points.length > 1 ? plotW / (points.length - 1) : 0;
      const x = (i) => (PAD.left + i * step).toFixed(1);
      const y = (v) => (PAD.top + plotH * (1 - v / yMax)).toFixed(1);
      const runs = [];
      let run = [];
      points.forEach((v, i) => {
        if (isNum(v)) run.push([x(i), y(v)]);
        else if (run.length) { runs.push(run); run = []; }
      });
      if (run.length) runs.push(run);
      const base = (PAD.top + plotH).toFixed(1);
      for (const part of runs) {
        const line = part.map(([px, py], i) => `${i ? "L" : "M"}${px} ${py}`).join(" ");
        if (area) {
          const shape = `${line} L${part[part.length - 1][0]} ${base} L${part[0][0]} ${base} Z`;
          root.append(svg("path", { d: shape, class: `area ${cls}` }));
        }
        if (part.length === 1) {
          root.append(svg("circle", { cx: part[0][0], cy: part[0][1], r: 2, class: `dot ${cls}` }));
        } else {
          root.append(svg("path", { d: line, class: `line ${cls}` }));
        }
      }
    }
    host.replaceChildren(root, legend(series));
  }

  function barChart(host, label, counts, xLabels, emptyText) {
    const yMax = niceCeil(Math.max(0, ...counts));
    const W = widthOf(host);
    const root = chartFrame(W, label, yMax, (v) => sig(v), xLabels);
    const plotW = W - PAD.left - PAD.right;
    const plotH = H - PAD.top - PAD.bottom;
    const slot = counts.length ? plotW / counts.length : plotW;
    counts.forEach((count, i) => {
      const height = (plotH * count) / yMax;
      const bar = svg("rect", {
        x: (PAD.left + i * slot + 1).toFixed(1),
        y: (PAD.top + plotH - height).toFixed(1),
        width: Math.max(slot - 2, 1).toFixed(1),
        height: height.toFixed(1),
        class: "bar",
      });
      const tip = svg("title");
      tip.textContent = String(count);
      bar.append(tip);
      root.append(bar);
    });
    if (!counts.some((c) => c > 0)) {
      const note = svg("text", { x: W / 2, y: H / 2, "text-anchor": "middle", class: "note" });
      note.textContent = emptyText;
      root.append(note);
    }
    host.replaceChildren(root);
  }

  function budgetBar(used) {
    const wrap = el("div", { class: "budget" });
    const bar = el("div", { class: "bar" });
    const fill = el("div", { class: "fill" });
    const share = isNum(used) ? Math.min(Math.max(used, 0), 1) : 0;
    fill.style.width = `${(share * 100).toFixed(1)}%`; // CSSOM: allowed by the page's CSP
    if (isNum(used) && used >= 1) fill.classList.add("over");
    else if (isNum(used) && used >= 0.8) fill.classList.add("near");
    bar.append(fill);
    wrap.append(bar, el("span", { "data-col": "budget-pct", class: "pct" }, fmtPct(used)));
    return wrap;
  }

  // ---- panels --------------------------------------------------------------------------

  const LATENCY_ROWS = [
    ["end_to_end", "End to end"],
    ["overhead", "Gateway overhead"],
    ["time_to_first_token", "First token"],
  ];
  const CACHE_TIERS = [["hit-exact", "Exact"], ["hit-l1", "Semantic L1"], ["hit-l2", "Semantic L2"]];

  function renderTraffic(stats) {
    const { totals, series } = stats;
    setText("traffic-rps", fmtNum(totals.last_minute.rps));
    setText("traffic-requests", fmtCount(totals.requests));
    setText("traffic-errors", fmtCount(totals.errors));
    setText("traffic-client-errors", fmtCount(totals.client_errors));
    setText("traffic-error-rate", fmtPct(totals.error_rate));
    lineChart(byId("chart-rps"), "Requests per second, last 15 minutes",
      [{ name: "requests/s", values: series.rps, cls: "s1", area: true }], (v) => sig(v));
    lineChart(byId("chart-error-rate"), "Error rate, last 15 minutes",
      [{ name: "error rate", values: series.error_rate, cls: "s3", area: true }],
      (v) => `${sig(v * 100)} %`);
  }

  function renderLatency(stats) {
    const rows = LATENCY_ROWS.map(([key, name]) => {
      const figures = stats.latency_ms[key];
      const label = el("div", {}, name);
      label.append(el("small", { class: "sub", "data-col": "count" }, `${fmtCount(figures.count)} timed`));
      const tr = row(key, [
        ["name", label],
        ["p50", fmtMs(figures.p50)],
        ["p90", fmtMs(figures.p90)],
        ["p99", fmtMs(figures.p99)],
      ]);
      for (const td of tr.querySelectorAll("td:not(:first-child)")) {
        td.setAttribute("data-testid", `latency-${key}-${td.dataset.col}`);
      }
      return tr;
    });
    fillTable("latency-table", rows, "", 4);
    lineChart(byId("chart-latency"), "End-to-end latency p50 and p99, last 15 minutes", [
      { name: "p50", values: stats.series.latency_p50_ms, cls: "s1" },
      { name: "p99", values: stats.series.latency_p99_ms, cls: "s2" },
    ], fmtMs);
  }

  function renderCache(stats) {
    const { cache } = stats;
    setText("cache-hit-rate", fmtPct(cache.hit_rate));
    setText("cache-lookups", fmtCount(cache.lookups));
    setText("cache-misses", fmtCount(cache.misses));
    setText("cache-bypassed", fmtCount(cache.bypassed));
    fillTable("cache-tiers", CACHE_TIERS.map(([tier, name]) => row(tier, [
      ["tier", name],
      ["hits", fmtCount(cache.hits[tier])],
      ["hit-rate", fmtPct(cache.hit_rate_by_tier[tier])],
    ])), "", 3);
    const { floor, step, counts } = cache.similarity;
    const top = floor + step * counts.length;
    barChart(byId("chart-similarity"), "Similarity of semantic cache lookups", counts,
      [[0, sig(floor, 2)], [0.5, sig((floor + top) / 2, 2)], [1, sig(top, 2)]],
      "no semantic lookups in the window");
  }

  function renderModels(stats) {
    const rows = stats.models.map((m) => row(m.model, [
      ["model", m.model],
      ["requests", fmtCount(m.requests)],
      ["prompt_tokens", fmtCount(m.prompt_tokens)],
      ["completion_tokens", fmtCount(m.completion_tokens)],
      ["cost", fmtUsd(m.cost_usd)],
    ]));
    fillTable("models-table", rows, "No requests in the window", 5);
  }

  function keyLabel(key) {
    const box = el("div");
    box.append(el("span", { "data-col": "name" }, key.name || key.id));
    if (key.name) box.append(el("small", { class: "sub" }, key.id));
    return box;
  }

  function renderKeys(stats) {
    const rows = stats.keys.map((k) => {
      const budget = isNum(k.max_budget_usd)
        ? budgetBar(k.budget_used)
        : el("span", { class: "muted" }, "no budget");
      if (isNum(k.max_budget_usd)) {
        const period = k.budget_period ? ` / ${k.budget_period}` : "";
        budget.append(el("small", { class: "sub" }, `of ${fmtUsd(k.max_budget_usd)}${period}`));
      }
      return row(k.id, [
        ["key", keyLabel(k)],
        ["requests", fmtCount(k.requests)],
        ["tokens", fmtCount(k.prompt_tokens + k.completion_tokens)],
        ["cost", fmtUsd(k.cost_usd)],
        ["spend", fmtUsd(k.spend_usd)],
        ["budget", budget],
      ]);
    });
    fillTable("keys-table", rows, "No key was used in the window", 6);
  }

  function renderRateLimits(stats) {
    const limited = stats.rate_limited;
    setText("rate-limited-requests", fmtCount(limited.requests));
    setText("rate-limited-tokens", fmtCount(limited.tokens));
    setText("rate-limited-budget", fmtCount(limited.budget));
    lineChart(byId("chart-rate-limited"), "Rate-limit rejections per 10 s, last 15 minutes",
      [{ name: "rejected", values: stats.series.rate_limited, cls: "s2", area: true }],
      (v) => sig(v));
  }

  function renderRouting(stats) {
    setText("routing-retries", fmtCount(stats.routing.retries));
    setText("routing-fallbacks", fmtCount(stats.routing.fallbacks));
    setText("routing-hedges", fmtCount(stats.routing.hedges));
  }

  function renderDeployments(stats) {
    const rows = stats.deployments.map((d) => {
      const badge = el("span", { class: `badge state-${d.state}` }, d.state);
      const cooldown = isNum(d.cooldown_left_s) && d.cooldown_left_s > 0
        ? `${sig(d.cooldown_left_s)} s` : DASH;
      return row(d.id, [
        ["id", d.id],
        ["model", `${d.model} (${d.provider})`],
        ["state", badge],
        ["cooldown", cooldown],
        ["latency_estimate", fmtMs(d.latency_estimate_ms)],
        ["attempts", fmtCount(d.attempts)],
        ["error_rate", fmtPct(d.error_rate)],
        ["attempt_p50", fmtMs(d.attempt_p50_ms)],
      ]);
    });
    fillTable("deployments-table", rows, "No deployment configured", 8);
  }

  function renderMeta(stats) {
    const at = new Date(stats.generated_at * 1000).toLocaleTimeString();
    const { workers, board } = stats.sources;
    const plural = workers === 1 ? "" : "s";
    setText("generated-at", `figures at ${at} · ${workers} worker${plural} (board: ${board})`);
    show(byId("partial-sources"), stats.sources.reachable === false);
  }

  function render(stats) {
    renderMeta(stats);
    renderTraffic(stats);
    renderLatency(stats);
    renderCache(stats);
    renderModels(stats);
    renderKeys(stats);
    renderRateLimits(stats);
    renderRouting(stats);
    renderDeployments(stats);
  }

  // ---- session and refresh -------------------------------------------------------------

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
})();
