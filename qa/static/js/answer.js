/* The answer panel for questions: cited sentences with [n] links to the result cards, and a meeting-by-meeting digest. */
import { $, dateNode, el, highlighted, locationText } from "./dom.js";
import { openReaderLink, readerHref } from "./url.js";

const panel = $("answer");

/** Show the /ask answer, or hide the panel when there is none (a plain search). */
export function renderAnswer(answer) {
  const body = $("answer-body");
  if (!answer) { panel.hidden = true; return; }
  panel.hidden = false;
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

export function hideAnswer() {
  panel.hidden = true;
}

// Scroll to and focus the cited card, flashing it so the eye finds it.
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
