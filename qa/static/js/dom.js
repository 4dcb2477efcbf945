/* DOM building and text formatting; passage text only ever becomes text nodes, never innerHTML. */

const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
  "October", "November", "December"];
const SVG = "http://www.w3.org/2000/svg";

export const $ = (id) => document.getElementById(id);

/** An element with attributes (on* keys become listeners) and children (strings become text nodes). */
export function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") node.className = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

/** An SVG element: attributes as given, children as nodes or text. */
export function svg(tag, attrs, ...children) {
  const node = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attrs || {})) node.setAttribute(key, value);
  for (const child of children) node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  return node;
}

export function humanDate(iso) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || "");
  return m ? `${Number(m[3])} ${MONTHS[Number(m[2]) - 1]} ${m[1]}` : (iso || "date not given");
}

export function dateNode(iso) {
  return iso ? el("time", { datetime: iso, class: "meeting-date" }, humanDate(iso)) : el("span", {}, "date not given");
}

// Blank lines in extracted papers come in runs; keep paragraphs but not the gaps.
export const tidy = (text) => text.replace(/[ \t]+\n/g, "\n").replace(/\n{3,}/g, "\n\n");

/* Text with <mark> spans at the API's offsets. Offsets count Unicode code points
   (Python), so slice by code points when the text has any astral characters. */
export function highlighted(text, highlights) {
  const chars = /[\uD800-\uDFFF]/.test(text) ? Array.from(text) : null;
  const slice = (a, b) => (chars ? chars.slice(a, b).join("") : text.slice(a, b));
  const length = chars ? chars.length : text.length;
  const out = [];
  let at = 0;
  for (const h of [...(highlights || [])].sort((a, b) => a.start - b.start)) {
    if (h.start < at || h.end > length || h.end <= h.start) continue;
    if (h.start > at) out.push(tidy(slice(at, h.start)));
    out.push(el("mark", { class: `hl hl-${h.kind}`, title: h.kind }, slice(h.start, h.end)));
    at = h.end;
  }
  if (at < length) out.push(tidy(slice(at)));
  return out;
}

/** A passage's place in its paper, as a short line: date, item, paragraph, page. */
export function locationText(loc) {
  const parts = [humanDate(loc.meeting_date)];
  if (loc.item && loc.item.number) parts.push(`Item ${loc.item.number}`);
  if (loc.paragraph) parts.push(`para ${loc.paragraph}`);
  parts.push(loc.page ? `p. ${loc.page}` : "page unknown");
  return parts.join(", ");
}
