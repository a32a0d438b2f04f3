// Plain SVG charts: lines over the 15-minute window, bars, and budget bars.

import { el, svg } from "./dom.js";
import { fmtPct, isNum, sig } from "./format.js";

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
export function lineChart(host, label, series, yFormat) {
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

export function barChart(host, label, counts, xLabels, emptyText) {
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

export function budgetBar(used) {
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
