// Building the page from figures: every value goes in as text or an SVG attribute, never as
// markup (model and key names come from clients and operators).

const SVG_NS = "http://www.w3.org/2000/svg";

export const byId = (id) => document.querySelector(`[data-testid="${id}"]`);
export const show = (el, visible) => { el.hidden = !visible; };

export function el(tag, attrs = {}, text) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
  if (text !== undefined) node.textContent = text;
  return node;
}

export function svg(tag, attrs = {}) {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, String(value));
  return node;
}

export function setText(id, value) {
  byId(id).textContent = value;
}

// A table row: cells are [column, text or node, class?]; the row and each cell are
// tagged (data-id, data-col) so a reader finds a figure without counting columns.
export function row(id, cells) {
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

export function fillTable(id, rows, emptyText, columns) {
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
