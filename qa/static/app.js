/* council-qa officers' page: search, ask, reader, people and timeline over the JSON API.
   Passage text only ever reaches the page as text nodes (never innerHTML). */
"use strict";

(() => {
  const FILTERS = ["body", "date_from", "date_to", "kind", "person"];
  const QUESTION = /(\?\s*$)|^\s*(what|who|when|how|which|why)\b/i;
  const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December"];
  const TOKEN_KEY = "council-qa-token";
  const $ = (id) => document.getElementById(id);

  const ui = {
    form: $("search-form"), q: $("q"), status: $("status"), alert: $("alert"), main: $("main"),
    filters: { body: $("f-body"), date_from: $("f-date-from"), date_to: $("f-date-to"), kind: $("f-kind"), person: $("f-person") },
    results: $("results"), empty: $("empty"), answer: $("answer"), timeline: $("timeline"),
    views: { search: $("view-search"), reader: $("view-reader"), people: $("view-people") },
    tabs: { search: $("tab-search"), people: $("tab-people") },
  };
  // What is on screen, so that going back to results does not search again.
  const shown = { searchKey: null, searchStatus: [], readerPassage: null, outlines: new Map(), people: null, ticket: 0 };

  // ---- small helpers -------------------------------------------------------

  function el(tag, attrs, ...children) {
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

  function humanDate(iso) {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || "");
    return m ? `${Number(m[3])} ${MONTHS[Number(m[2]) - 1]} ${m[1]}` : (iso || "date not given");
  }

  function dateNode(iso) {
    return iso ? el("time", { datetime: iso, class: "meeting-date" }, humanDate(iso)) : el("span", {}, "date not given");
  }

  // Blank lines in extracted papers come in runs; keep paragraphs but not the gaps.
  const tidy = (text) => text.replace(/[ \t]+\n/g, "\n").replace(/\n{3,}/g, "\n\n");

  /* Text with <mark> spans at the API's offsets. Offsets count Unicode code points
     (Python), so slice by code points when the text has any astral characters. */
  function highlighted(text, highlights) {
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

  function paramsFromForm() {
    const params = new URLSearchParams();
    const q = ui.q.value.trim();
    if (q) params.set("q", q);
    for (const name of FILTERS) {
      const value = ui.filters[name].value.trim();
      if (value) params.set(name, value);
    }
    return params;
  }

  function fillForm(params) {
    ui.q.value = params.get("q") || "";
    for (const name of FILTERS) {
      const value = params.get(name) || "";
      const field = ui.filters[name];
      if (field.tagName === "SELECT" && value && ![...field.options].some((o) => o.value === value)) {
        field.append(el("option", { value }, value));
      }
      field.value = value;
    }
  }

  function filtersActive(params) {
    return FILTERS.some((name) => params.has(name));
  }

  // ---- API -----------------------------------------------------------------

  class ApiError extends Error {
    constructor(status, detail) { super(detail); this.status = status; }
  }

  async function api(path, options = {}) {
    const headers = { Accept: "application/json", ...(options.headers || {}) };
    const token = localStorage.getItem(TOKEN_KEY);
    if (token) headers.Authorization = `Bearer ${token}`;
    let response;
    try {
      response = await fetch(path, { ...options, headers });
    } catch (error) {
      if (error.name === "AbortError") throw error;
      throw new ApiError(0, "Could not reach the council-qa service. Is it running?");
    }
    let body = null;
    try { body = await response.json(); } catch { body = null; }
    if (!response.ok) {
      const detail = body && (typeof body.detail === "string" ? body.detail : JSON.stringify(body.detail));
      throw new ApiError(response.status, detail || response.statusText || "request failed");
    }
    return body;
  }

  function showAlert(error) {
    if (error.name === "AbortError") return;
    if (error.status === 401) { askForToken(error.message); return; }
    let text = error.message;
    if (error.status === 503) {
      text = `The search index is not available: ${error.message}.`;
      if (!/qa index/.test(error.message)) text += ' An administrator needs to run "qa index".';
    } else if (error.status === 422) text = `The request was not accepted: ${error.message}`;
    else if (error.status === 404) text = `Not found: ${error.message}`;
    else if (error.status) text = `The service answered ${error.status}: ${error.message}`;
    ui.alert.replaceChildren(el("strong", {}, "Problem: "), text);
    ui.alert.hidden = false;
  }

  function clearAlert() {
    ui.alert.hidden = true;
    ui.alert.replaceChildren();
  }

  function askForToken(detail) {
    const form = $("token-form");
    $("token-reason").textContent = localStorage.getItem(TOKEN_KEY)
      ? `The saved API token was refused (${detail}). Enter a new one.`
      : "This service needs an API token. Enter it to continue; it is kept in this browser only.";
    form.hidden = false;
    ui.status.textContent = "An API token is needed.";
    $("token").focus();
  }

  // ---- results -------------------------------------------------------------

  function locationText(loc) {
    const parts = [humanDate(loc.meeting_date)];
    if (loc.item && loc.item.number) parts.push(`Item ${loc.item.number}`);
    if (loc.paragraph) parts.push(`para ${loc.paragraph}`);
    parts.push(loc.page ? `p. ${loc.page}` : "page not printed");
    return parts.join(", ");
  }

  function pageText(page) {
    return page ? `Page ${page}` : "Page not printed in this paper";
  }

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
      row("Page", hit.page ? String(hit.page) : el("span", { class: "muted" }, "not printed in this paper")));
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
        el("blockquote", { class: "passage" }, highlighted(hit.text, hit.highlights)),
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

  function renderResults(search, answer) {
    // A question's cited passages come first, numbered as the answer's [n] markers.
    const cited = answer ? answer.citations : [];
    const seen = new Set(cited.map((h) => h.passage_id));
    const rest = search.results.filter((h) => !seen.has(h.passage_id));
    const cards = [...cited.map((h, i) => resultCard(h, i + 1, true)),
      ...rest.map((h, i) => resultCard(h, cited.length + i + 1, false))];
    ui.results.replaceChildren(...cards);

    const total = cards.length;
    const params = new URLSearchParams(location.search);
    ui.empty.hidden = total > 0;
    if (!total) {
      $("empty-message").textContent = search.message || (answer && answer.message) || "No passage matched.";
      $("empty-filters").hidden = !filtersActive(params);
    }
    const notes = [];
    if (search.expansions.length) notes.push(`also searched for ${search.expansions.join("; ")}`);
    if (search.date_hint) notes.push(`dates near ${search.date_hint} preferred`);
    ui.status.replaceChildren(
      el("strong", {}, total === 1 ? "1 result" : `${total} results`), ` for “${search.query}”`,
      ` in ${Math.round(search.took_ms)} ms`, notes.length ? el("span", { class: "muted" }, ` (${notes.join("; ")})`) : "");
    shown.searchStatus = [...ui.status.childNodes].map((n) => n.cloneNode(true));
  }

  function renderAnswer(answer) {
    const body = $("answer-body");
    if (!answer) { ui.answer.hidden = true; return; }
    ui.answer.hidden = false;
    if (!answer.answer.length) {
      body.replaceChildren(el("p", { class: "muted" }, answer.message || "No sentence in the papers answers this directly; see the passages below."));
    } else {
      body.replaceChildren(el("p", { class: "answer-text" }, answer.answer.map((sentence) => [
        el("span", { class: "answer-sentence" }, highlighted(sentence.text, sentence.highlights)),
        sentence.citations.map((n) => [" ", el("a", { class: "cite-marker", href: `#result-${n}`,
          "aria-label": `source ${n}`, onclick: jumpToCard }, `[${n}]`)]),
        " "])));
    }
    const digest = $("digest");
    digest.hidden = !answer.digest.length;
    $("digest-body").replaceChildren(...answer.digest.map((meeting) => el("section", { class: "digest-meeting" },
      el("h4", {}, meeting.body || meeting.source_file, ", ", dateNode(meeting.meeting_date)),
      el("ul", {}, meeting.statements.map((s) => el("li", {},
        s.speaker ? el("strong", {}, `${s.speaker}: `) : null, s.text, " ",
        el("a", { href: readerHref(s.location.passage_id), "data-passage": s.location.passage_id, onclick: openReaderLink,
          class: "digest-link" }, `(${locationText(s.location)})`)))))));
  }

  function jumpToCard(event) {
    event.preventDefault();
    const card = document.querySelector(event.currentTarget.getAttribute("href"));
    if (!card) return;
    card.scrollIntoView({ block: "start", behavior: "smooth" });
    card.focus({ preventScroll: true });
    card.classList.remove("flash");
    void card.offsetWidth;  // restart the animation
    card.classList.add("flash");
  }

  // ---- timeline ------------------------------------------------------------

  const SVG = "http://www.w3.org/2000/svg";
  function svg(tag, attrs, ...children) {
    const node = document.createElementNS(SVG, tag);
    for (const [key, value] of Object.entries(attrs || {})) node.setAttribute(key, value);
    for (const child of children) node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    return node;
  }

  function renderTimeline(data) {
    const points = (data && data.points || []).filter((p) => p.count > 0);
    ui.timeline.hidden = points.length === 0;
    if (!points.length) return;
    // Meetings share a date across bodies; one bar per date, the bodies in its tooltip.
    const byDate = new Map();
    for (const p of points) {
      const entry = byDate.get(p.meeting_date) || { date: p.meeting_date, count: 0, bodies: [], top: p.top };
      entry.count += p.count;
      entry.bodies.push(`${p.body || "unknown body"}: ${p.count}`);
      byDate.set(p.meeting_date, entry);
    }
    const bars = [...byDate.values()].sort((a, b) => String(a.date).localeCompare(String(b.date)));
    const max = Math.max(...bars.map((b) => b.count));
    const slot = 88, height = 56, top = 16, base = top + height, width = Math.max(bars.length * slot, 240);
    const chart = svg("svg", { viewBox: `0 0 ${width} ${base + 24}`, width, height: base + 24, role: "img",
      "aria-label": `Matching passages per meeting: ${bars.map((b) => `${humanDate(b.date)} ${b.count}`).join(", ")}` });
    chart.append(svg("line", { x1: 0, x2: width, y1: base, y2: base, class: "axis" }));
    bars.forEach((b, i) => {
      const h = Math.max(2, Math.round((b.count / max) * height));
      const x = i * slot + slot * 0.2, w = slot * 0.6;
      const label = `${humanDate(b.date)}: ${b.count} matching passage${b.count === 1 ? "" : "s"} (${b.bodies.join("; ")})`;
      const link = svg("a", { href: readerHref(b.top.passage_id), class: "bar-link", "aria-label": `${label}. Open the top match.` },
        svg("title", {}, label),
        svg("rect", { x, y: base - h, width: w, height: h, rx: 2, class: "bar" }),
        svg("text", { x: x + w / 2, y: base - h - 5, class: "bar-count", "text-anchor": "middle" }, b.count),
        svg("text", { x: x + w / 2, y: base + 16, class: "bar-label", "text-anchor": "middle" },
          b.date ? humanDate(b.date).replace(/^(\d+ \w{3})\w* (\d{4})$/, "$1 $2") : "undated"));
      link.addEventListener("click", (event) => { event.preventDefault(); openReader(b.top.passage_id, true); });
      chart.append(link);
    });
    $("timeline-chart").replaceChildren(chart);
  }

  // ---- search flow ---------------------------------------------------------

  let inflight = null;

  async function runSearch(params) {
    const key = params.toString();
    if (shown.searchKey === key) {  // back from the reader or people: the results are still on the page
      ui.status.replaceChildren(...shown.searchStatus.map((n) => n.cloneNode(true)));
      return;
    }
    const q = params.get("q");
    if (inflight) inflight.abort();
    clearAlert();
    if (!q) {
      shown.searchKey = key;
      ui.results.replaceChildren(); ui.empty.hidden = true; ui.answer.hidden = true; ui.timeline.hidden = true;
      ui.status.textContent = "";
      shown.searchStatus = [];
      return;
    }
    inflight = new AbortController();
    const signal = inflight.signal;
    const ticket = ++shown.ticket;
    const filters = new URLSearchParams();
    for (const name of FILTERS) if (params.get(name)) filters.set(name, params.get(name));
    const isQuestion = QUESTION.test(q);
    ui.status.textContent = isQuestion ? "Searching and assembling an answer…" : "Searching…";
    ui.views.search.setAttribute("aria-busy", "true");
    document.body.classList.add("loading");

    const searchUrl = `/search?${new URLSearchParams([["q", q], ["k", "10"], ...filters])}`;
    const askBody = { question: q, k: 5 };
    for (const [name, value] of filters) askBody[name] = value;
    const timelineUrl = `/timeline?${new URLSearchParams([["q", q], ...filters])}`;
    try {
      const [search, answer] = await Promise.all([
        api(searchUrl, { signal }),
        isQuestion ? api("/ask", { method: "POST", signal, headers: { "Content-Type": "application/json" },
          body: JSON.stringify(askBody) }) : null]);
      if (ticket !== shown.ticket) return;
      shown.searchKey = key;
      renderAnswer(answer);
      renderResults(search, answer);
      ui.timeline.hidden = true;
      api(timelineUrl, { signal }).then((data) => { if (ticket === shown.ticket) renderTimeline(data); })
        .catch((error) => { if (error.name !== "AbortError") ui.timeline.hidden = true; });
    } catch (error) {
      if (ticket !== shown.ticket) return;
      if (error.name !== "AbortError") {
        ui.results.replaceChildren(); ui.answer.hidden = true; ui.empty.hidden = true; ui.timeline.hidden = true;
        ui.status.textContent = "The search did not complete.";
        shown.searchStatus = [];
        showAlert(error);
      }
    } finally {
      if (ticket === shown.ticket) {
        ui.views.search.removeAttribute("aria-busy");
        document.body.classList.remove("loading");
      }
    }
  }

  // ---- reader --------------------------------------------------------------

  function readerHref(passageId) {
    const params = new URLSearchParams(location.search);
    params.set("view", "reader");
    params.set("passage", passageId);
    return `?${params}`;
  }

  function openReaderLink(event) {
    if (event.ctrlKey || event.metaKey || event.shiftKey || event.button === 1) return;  // new tab still works
    event.preventDefault();
    openReader(Number(event.currentTarget.dataset.passage), true);
  }

  function openReader(passageId, push) {
    const params = new URLSearchParams(location.search);
    params.set("view", "reader");
    params.set("passage", passageId);
    navigate(params, push);
  }

  function passageBlock(hit, focus) {
    const page = hit.page ? `p. ${hit.page}` : (focus ? "page not printed in this paper" : null);
    const meta = [hit.paragraph ? `para ${hit.paragraph}` : null, page].filter(Boolean).join(" · ");
    return el("section", { class: focus ? "reader-passage passage-focus" : "reader-passage", "data-passage": hit.passage_id,
      id: focus ? "reader-focus" : null, tabindex: focus ? "-1" : null, "aria-current": focus ? "true" : null },
      el("p", { class: "reader-meta" }, meta ? meta : "", focus ? el("strong", { class: "focus-label" }, meta ? " · the cited passage" : "The cited passage") : ""),
      hit.header ? el("p", { class: "context-header" }, hit.header) : null,
      el("div", { class: "reader-text" }, focus ? highlighted(hit.text, hit.highlights) : tidy(hit.text)));
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

  async function showReader(passageId) {
    if (shown.readerPassage === passageId) return;
    clearAlert();
    ui.status.textContent = "Opening the paper…";
    document.body.classList.add("loading");
    try {
      const found = await api(`/passages/${passageId}?context=3`);
      const hit = found.passage;
      const doc = await loadOutline(hit.document.id);
      shown.readerPassage = passageId;
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
      ui.status.textContent = `Reading ${hit.citation}.`;
      const focus = $("reader-focus");
      focus.scrollIntoView({ block: "center" });
      focus.focus({ preventScroll: true });
    } catch (error) {
      ui.status.textContent = "The paper could not be opened.";
      showAlert(error);
    } finally {
      document.body.classList.remove("loading");
    }
  }

  // ---- people --------------------------------------------------------------

  async function loadPeople() {
    if (!shown.people) shown.people = api("/people");
    try { return await shown.people; } catch (error) { shown.people = null; throw error; }
  }

  function renderPeople(people) {
    const needle = $("people-filter").value.trim().toLowerCase();
    const match = (p) => !needle || `${p.name} ${p.role || ""}`.toLowerCase().includes(needle);
    const entry = (p) => el("li", {},
      el("button", { type: "button", class: "person", onclick: () => searchPerson(p) }, p.name),
      p.role ? el("span", { class: "role" }, p.role) : null,
      p.meetings.length ? el("span", { class: "muted meetings" }, "Meetings: ",
        p.meetings.map((d, i) => [i ? ", " : "", dateNode(d)])) : null);
    const officers = people.filter((p) => !p.is_councillor && match(p));
    const councillors = people.filter((p) => p.is_councillor && match(p));
    $("people-officers").replaceChildren(...(officers.length ? officers.map(entry) : [el("li", { class: "muted" }, "No one matches.")]));
    $("people-councillors").replaceChildren(...(councillors.length ? councillors.map(entry) : [el("li", { class: "muted" }, "No one matches.")]));
  }

  async function showPeople() {
    clearAlert();
    try {
      const people = await loadPeople();
      renderPeople(people);
      ui.status.textContent = `${people.length} people named in the papers.`;
      const names = $("people-names");
      if (!names.children.length) names.replaceChildren(...people.map((p) => el("option", { value: p.name })));
    } catch (error) {
      showAlert(error);
    }
  }

  // What a person said: their name and their post (minutes often say "the Director of ... said"),
  // restricted by the person filter to passages that name them or their post at their meetings.
  function searchPerson(person) {
    const params = paramsFromForm();
    params.set("person", person.name);
    const post = (person.role || "").split(",")[0].trim();
    const isPost = /\b(Director|Head of|Manager|Officer|Commissioner|Consultant|Chair)/.test(post);
    params.set("q", isPost ? `${person.name} ${post}` : person.name);
    params.delete("view");
    navigate(params, true);
  }

  // ---- routing -------------------------------------------------------------

  function showView(name) {
    for (const [key, view] of Object.entries(ui.views)) view.hidden = key !== name;
    ui.tabs.search.toggleAttribute("aria-current", name !== "people");
    if (name !== "people") ui.tabs.search.setAttribute("aria-current", "page");
    ui.tabs.people.toggleAttribute("aria-current", name === "people");
    if (name === "people") ui.tabs.people.setAttribute("aria-current", "page");
  }

  function searchParams(params) {
    const out = new URLSearchParams();
    for (const name of ["q", ...FILTERS]) if (params.get(name)) out.set(name, params.get(name));
    return out;
  }

  async function route() {
    const params = new URLSearchParams(location.search);
    fillForm(params);
    const view = params.get("view");
    const passage = Number(params.get("passage"));
    if (view === "reader" && passage > 0) {
      showView("reader");
      await showReader(passage);
    } else if (view === "people") {
      showView("people");
      await showPeople();
    } else {
      showView("search");
      shown.readerPassage = null;
      await runSearch(searchParams(params));
    }
  }

  function navigate(params, push) {
    const url = `${location.pathname}${params.toString() ? `?${params}` : ""}`;
    if (url !== `${location.pathname}${location.search}`) {
      history[push ? "pushState" : "replaceState"]({}, "", url);
    }
    return route();
  }

  // ---- wiring --------------------------------------------------------------

  ui.form.addEventListener("submit", (event) => {
    event.preventDefault();
    shown.searchKey = null;  // Enter always searches again, even for the same words
    navigate(paramsFromForm(), true);
  });
  for (const name of FILTERS) {
    const field = ui.filters[name];
    field.addEventListener("change", () => {
      if (name.startsWith("date") && field.value && !field.checkValidity()) return;
      if (ui.q.value.trim()) navigate(paramsFromForm(), true);
    });
  }
  const clearFilters = () => {
    for (const name of FILTERS) ui.filters[name].value = "";
    navigate(paramsFromForm(), true);
    ui.q.focus();
  };
  $("clear-filters").addEventListener("click", clearFilters);
  $("empty-clear").addEventListener("click", clearFilters);
  $("home").addEventListener("click", (event) => { event.preventDefault(); navigate(new URLSearchParams(), true); ui.q.focus(); });
  ui.tabs.search.addEventListener("click", () => navigate(searchParams(new URLSearchParams(location.search)), true));
  ui.tabs.people.addEventListener("click", () => {
    const params = searchParams(new URLSearchParams(location.search));
    params.set("view", "people");
    navigate(params, true);
  });
  $("people-filter").addEventListener("input", () => { if (shown.people) shown.people.then(renderPeople, () => {}); });
  $("reader-back").addEventListener("click", () => {
    ui.tabs.search.click();
  });
  for (const id of ["reader-earlier", "reader-later"]) {
    $(id).addEventListener("click", (event) => {
      const target = Number(event.currentTarget.dataset.passage);
      if (target) openReader(target, true);
    });
  }
  $("token-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const token = $("token").value.trim();
    if (token) localStorage.setItem(TOKEN_KEY, token);
    $("token-form").hidden = true;
    $("token").value = "";
    shown.searchKey = null; shown.readerPassage = null; shown.people = null; shown.outlines.clear();
    loadBodies();
    route();
  });
  $("token-forget").addEventListener("click", () => { localStorage.removeItem(TOKEN_KEY); $("token").focus(); });
  window.addEventListener("popstate", () => route());

  // Committee names for the body filter; the API matches a substring, so full names are fine.
  async function loadBodies() {
    try {
      const documents = await api("/documents");
      const select = ui.filters.body;
      const current = select.value;
      const bodies = [...new Set(documents.map((d) => d.body).filter(Boolean))].sort();
      select.replaceChildren(el("option", { value: "" }, "Any"), ...bodies.map((b) => el("option", { value: b }, b)));
      if (current && !bodies.includes(current)) select.append(el("option", { value: current }, current));
      select.value = current;
    } catch (error) {
      if (error.status === 401) askForToken(error.message);
      // Otherwise the search itself reports the problem.
    }
  }

  loadBodies();
  route();
})();
