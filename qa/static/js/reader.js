/* The reader: a cited passage in context, with its neighbours, the paper's outline and earlier/later paging. */
import { api, clearAlert, showAlert } from "./api.js";
import { $, dateNode, el, highlighted, humanDate, tidy } from "./dom.js";
import { openReader } from "./url.js";

const status = $("status");
// The passage on screen, and each paper's outline (a promise) so that paging does not fetch it again.
const shown = { passage: null, outlines: new Map() };

/** Leaving the reader: opening any passage later loads it afresh. */
export function closeReader() {
  shown.passage = null;
}

/** After a token change: drop the cached outlines as well. */
export function forgetReader() {
  shown.passage = null;
  shown.outlines.clear();
}

function pageText(page) {
  return page ? `Page ${page}` : "Page unknown: this text has no page breaks";
}

function passageBlock(hit, focus) {
  const page = hit.page ? `p. ${hit.page}` : (focus ? "page unknown" : null);
  const meta = [hit.paragraph ? `para ${hit.paragraph}` : null, page].filter(Boolean).join(" · ");
  return el("section", { class: focus ? "reader-passage passage-focus" : "reader-passage", "data-passage": hit.passage_id,
    id: focus ? "reader-focus" : null, tabindex: focus ? "-1" : null, "aria-current": focus ? "true" : null },
    el("p", { class: "reader-meta" }, meta ? meta : "", focus ? el("strong", { class: "focus-label" }, meta ? " · the cited passage" : "The cited passage") : ""),
    hit.header ? el("p", { class: "context-header" }, hit.header) : null,
    el("div", { class: "reader-text" }, focus ? highlighted(hit.display_text, hit.highlights) : tidy(hit.display_text)));
}

// A heading wherever the agenda item changes, so that neighbours from the previous item are not misread.
function withPartHeadings(hits, focus) {
  const out = [];
  let last = null;
  for (const h of hits) {
    const key = h.item ? `${h.item.number}|${h.item.title}` : "";
    if (key !== last) {
      const label = h.item ? [h.item.number ? `Item ${h.item.number}` : null, h.item.title].filter(Boolean).join(": ")
        : "Front matter and agenda";
      out.push(el("h3", { class: "reader-part" }, label));
      last = key;
    }
    out.push(passageBlock(h, h === focus));
  }
  return out;
}

async function loadOutline(documentId) {
  if (!shown.outlines.has(documentId)) shown.outlines.set(documentId, api(`/documents/${documentId}`));
  try { return await shown.outlines.get(documentId); } catch (error) { shown.outlines.delete(documentId); throw error; }
}

function renderOutline(doc, focusId) {
  let current = null;
  const lists = doc.parts.map((part) => {
    const partTitle = [part.item_number ? `Item ${part.item_number}` : null, part.title || part.kind].filter(Boolean).join(": ");
    const entries = part.sections.filter((s) => s.first_passage_id).map((section) => {
      const label = section.heading_path.length ? section.heading_path[section.heading_path.length - 1] : "Opening";
      const button = el("button", { type: "button", class: "outline-entry", "data-passage": section.first_passage_id,
        onclick: () => openReader(section.first_passage_id, true) }, label, section.page ? el("span", { class: "muted" }, ` p. ${section.page}`) : "");
      if (section.first_passage_id <= focusId) current = button;
      return el("li", {}, button);
    });
    return el("li", { class: "outline-part" }, el("span", { class: "outline-part-title" }, partTitle,
      part.meeting_date && part.meeting_date !== doc.meeting_date ? el("span", { class: "muted" }, ` (${humanDate(part.meeting_date)})`) : ""),
    entries.length ? el("ul", {}, entries) : null);
  });
  if (current) current.setAttribute("aria-current", "location");
  $("outline").replaceChildren(el("h3", {}, "Outline"), el("ul", {}, lists));
  if (current) current.scrollIntoView({ block: "nearest" });
}

/** Load and show a passage with three neighbours each side, focused and scrolled to. */
export async function showReader(passageId) {
  if (shown.passage === passageId) return;
  clearAlert();
  status.textContent = "Opening the paper…";
  document.body.classList.add("loading");
  try {
    const found = await api(`/passages/${passageId}?context=3`);
    const hit = found.passage;
    const doc = await loadOutline(hit.document.id);
    shown.passage = passageId;
    $("reader-title").textContent = doc.title;
    $("reader-meta").replaceChildren([doc.body, doc.venue].filter(Boolean).join(" · "), doc.body || doc.venue ? " · " : "",
      dateNode(doc.meeting_date), ` · ${doc.source_file}`);
    $("reader-page").replaceChildren(el("span", { class: hit.page ? "page" : "page none" }, pageText(hit.page)),
      el("cite", { class: "reader-citation" }, hit.citation));
    $("reader-passages").replaceChildren(...withPartHeadings([...found.before, hit, ...found.after], hit));
    const earlier = $("reader-earlier"), later = $("reader-later");
    earlier.hidden = !found.before.length; later.hidden = !found.after.length;
    earlier.dataset.passage = found.before.length ? found.before[0].passage_id : "";
    later.dataset.passage = found.after.length ? found.after[found.after.length - 1].passage_id : "";
    renderOutline(doc, passageId);
    status.textContent = `Reading ${hit.citation}.`;
    const focus = $("reader-focus");
    focus.scrollIntoView({ block: "center" });
    focus.focus({ preventScroll: true });
  } catch (error) {
    status.textContent = "The paper could not be opened.";
    showAlert(error);
  } finally {
    document.body.classList.remove("loading");
  }
}

/** Earlier/later paragraphs open the first or last neighbour shown. */
export function wireReader() {
  for (const id of ["reader-earlier", "reader-later"]) {
    $(id).addEventListener("click", (event) => {
      const target = Number(event.currentTarget.dataset.passage);
      if (target) openReader(target, true);
    });
  }
}
