// One function per panel, each drawing its part of /admin/stats.

import { barChart, budgetBar, lineChart } from "./charts.js";
import { byId, el, fillTable, row, setText, show } from "./dom.js";
import { DASH, fmtCount, fmtMs, fmtNum, fmtPct, fmtUsd, isNum, sig } from "./format.js";

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

export function render(stats) {
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
