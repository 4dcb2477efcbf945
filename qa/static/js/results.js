/* The results list: one card per passage with its citation, highlights and links into the reader. */
import { $, dateNode, el, highlighted, locationText } from "./dom.js";
import { filtersActive, openReaderLink, readerHref } from "./url.js";

const list = $("results"), empty = $("empty"), status = $("status");

function citationParts(hit) {
  const row = (term, ...value) => el("div", {}, el("dt", {}, term), el("dd", {}, ...value));
  const item = hit.item && (hit.item.number || hit.item.title)
    ? [hit.item.number ? `${hit.item.number}` : "", hit.item.number && hit.item.title ? ": " : "", hit.item.title || ""]
    : ["not an agenda item"];
  return el("dl", { class: "cite-parts" },
    row("Body", hit.document.body || hit.document.title),
    // The passage's own meeting (minutes may record an earlier one) when the API gives it.
    row("Meeting", dateNode(hit.meeting_date || hit.document.meeting_date)),
    row("Item", ...item),
    hit.section_path.length ? row("Section", hit.section_path.join(" › ")) : null,
    row("Paragraph", hit.paragraph || "not numbered"),
    row("Page", hit.page ? String(hit.page) : el("span", { class: "muted" }, "unknown: this text has no page breaks")));
}

function resultCard(hit, rank, isSource) {
  const title = (hit.item && hit.item.title) || hit.section_path[hit.section_path.length - 1] || hit.document.title;
  const also = hit.also_at.length
    ? el("p", { class: "also-at" }, "Also printed at ",
        hit.also_at.map((loc, i) => [i ? "; " : "",
          el("a", { href: readerHref(loc.passage_id), "data-passage": loc.passage_id, onclick: openReaderLink },
            locationText(loc))]), ".")
    : null;
  return el("li", { class: "result", id: `result-${rank}`, tabindex: "-1", "data-passage": hit.passage_id },
    el("article", { "aria-labelledby": `result-${rank}-title` },
      el("header", { class: "result-head" },
        el("span", { class: "rank", "aria-hidden": "true" }, isSource ? `[${rank}]` : `${rank}.`),
        el("h3", { id: `result-${rank}-title` }, title),
        el("span", { class: "score", title: "Relevance score from the ranker" }, `score ${hit.score.toFixed(2)}`)),
      hit.header ? el("p", { class: "context-header" }, hit.header) : null,
      el("blockquote", { class: "passage" }, highlighted(hit.display_text, hit.highlights)),
      el("p", { class: "citation" }, el("cite", {}, hit.citation)),
      citationParts(hit),
      also,
      el("div", { class: "actions" },
        el("a", { class: "button view-context", href: readerHref(hit.passage_id), "data-passage": hit.passage_id,
          onclick: openReaderLink }, "View in context"),
        el("button", { type: "button", class: "copy", onclick: (e) => copyCitation(e, hit.citation) }, "Copy citation"))));
}

async function copyCitation(event, text) {
  const button = event.currentTarget;
  try {
    await navigator.clipboard.writeText(text);
    button.textContent = "Copied";
  } catch {
    button.textContent = "Select the citation to copy";
  }
  setTimeout(() => { button.textContent = "Copy citation"; }, 2000);
}

/** The cards for a /search response (and /ask answer, if any), the empty-state message and the status line. */
export function renderResults(search, answer) {
  // A question's cited passages come first, numbered as the answer's [n] markers.
  const cited = answer ? answer.citations : [];
  const seen = new Set(cited.map((h) => h.passage_id));
  const rest = search.results.filter((h) => !seen.has(h.passage_id));
  const cards = [...cited.map((h, i) => resultCard(h, i + 1, true)),
    ...rest.map((h, i) => resultCard(h, cited.length + i + 1, false))];
  list.replaceChildren(...cards);

  const total = cards.length;
  const params = new URLSearchParams(location.search);
  empty.hidden = total > 0;
  if (!total) {
    $("empty-message").textContent = search.message || (answer && answer.message) || "No passage matched.";
    $("empty-filters").hidden = !filtersActive(params);
  }
  const notes = [];
  if (search.expansions.length) notes.push(`also searched for ${search.expansions.join("; ")}`);
  if (search.date_hint) notes.push(`only passages about ${search.date_hint}`);
  status.replaceChildren(
    el("strong", {}, total === 1 ? "1 result" : `${total} results`), ` for “${search.query}”`,
    ` in ${Math.round(search.took_ms)} ms`, notes.length ? el("span", { class: "muted" }, ` (${notes.join("; ")})`) : "");
}

/** No cards and no empty-state message. */
export function clearResults() {
  list.replaceChildren();
  empty.hidden = true;
}
