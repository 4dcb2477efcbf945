/* The search flow: /search, plus /ask for questions and /timeline, rendered into the search view. */
import { api, clearAlert, showAlert } from "./api.js";
import { $ } from "./dom.js";
import { hideAnswer, renderAnswer } from "./answer.js";
import { clearResults, renderResults } from "./results.js";
import { hideTimeline, renderTimeline } from "./timeline.js";
import { FIGURE_QUESTION, hideFigures, renderFigures } from "./figures.js";
import { FILTERS } from "./url.js";

const QUESTION = /(\?\s*$)|^\s*(what|who|when|how|which|why)\b/i;
const status = $("status"), view = $("view-search");

// What is on screen, so that going back to results does not search again; ticket drops stale responses.
const shown = { key: null, status: [], ticket: 0 };
let inflight = null;

/** Make the next runSearch fetch again even for the same query and filters. */
export function forgetSearch() {
  shown.key = null;
}

function clearAll() {
  clearResults(); hideAnswer(); hideTimeline(); hideFigures();
}

/** Show the results for the query and filters in params (only q and the filters are read). */
export async function runSearch(params) {
  const key = params.toString();
  if (shown.key === key) {  // back from the reader or people: the results are still on the page
    status.replaceChildren(...shown.status.map((n) => n.cloneNode(true)));
    return;
  }
  const q = params.get("q");
  if (inflight) inflight.abort();
  clearAlert();
  if (!q) {
    shown.key = key;
    clearAll();
    status.textContent = "";
    shown.status = [];
    return;
  }
  inflight = new AbortController();
  const signal = inflight.signal;
  const ticket = ++shown.ticket;
  const filters = new URLSearchParams();
  for (const name of FILTERS) if (params.get(name)) filters.set(name, params.get(name));
  const isQuestion = QUESTION.test(q);
  status.textContent = isQuestion ? "Searching and assembling an answer…" : "Searching…";
  view.setAttribute("aria-busy", "true");
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
    shown.key = key;
    renderAnswer(answer);
    renderResults(search, answer);
    shown.status = [...status.childNodes].map((n) => n.cloneNode(true));
    hideTimeline();
    hideFigures();
    if (FIGURE_QUESTION.test(q)) {
      api(`/figures?${new URLSearchParams([["q", q]])}`, { signal })
        .then((data) => { if (ticket === shown.ticket) renderFigures(data, q); })
        .catch((error) => { if (error.name !== "AbortError") hideFigures(); });
    }
    api(timelineUrl, { signal }).then((data) => { if (ticket === shown.ticket) renderTimeline(data); })
      .catch((error) => { if (error.name !== "AbortError") hideTimeline(); });
  } catch (error) {
    if (ticket !== shown.ticket) return;
    if (error.name !== "AbortError") {
      clearAll();
      status.textContent = "The search did not complete.";
      shown.status = [];
      showAlert(error);
    }
  } finally {
    if (ticket === shown.ticket) {
      view.removeAttribute("aria-busy");
      document.body.classList.remove("loading");
    }
  }
}
