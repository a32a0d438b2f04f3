// Numbers as the dashboard writes them; "—" where /admin/stats has no figure (null).

export const DASH = "—";

export const isNum = (v) => typeof v === "number" && Number.isFinite(v);
const grouped = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
export function sig(value, digits = 3) {
  if (value === 0) return "0";
  if (Math.abs(value) >= 10 ** digits) return grouped.format(value);
  return String(Number(value.toPrecision(digits)));
}
export const fmtCount = (v) => (isNum(v) ? grouped.format(v) : DASH);
export const fmtNum = (v) => (isNum(v) ? sig(v) : DASH);
export const fmtUsd = (v) => (isNum(v) ? `$${v.toFixed(4)}` : DASH);
export function fmtMs(v) {
  if (!isNum(v)) return DASH;
  return v >= 1000 ? `${sig(v / 1000)} s` : `${sig(v)} ms`;
}
export function fmtPct(ratio) {
  if (!isNum(ratio)) return DASH;
  const pct = ratio * 100;
  if (pct === 0) return "0 %";
  return `${pct.toFixed(pct < 1 ? 2 : 1)} %`;
}
