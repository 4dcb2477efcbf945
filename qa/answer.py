"""Extractive answers: the sentences that best answer a question, and a digest by meeting."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from indexer.records import Person
from indexer.structure.display import display_text
from indexer.structure.sentences import split_sentences
from indexer.structure.text import plain_text, squash
from models.calibration import AnswerWeights
from qa.answerhood import FEATURES, Candidate, QuestionForm, answer_scores, features
from qa.highlight import find_highlights
from qa.posts import link_post
from qa.records import Highlight, Hit, Location
from qa.retrieval.signals import coverage, stems

_LIST_MARK = re.compile(r"^\s*(?:[-•●▪*]\s+)?(?:\d+(?:\.\d+)*\.?\s+)?")
# What minutes say a speaker did: "the Director of ... reported", "Cllr Smith asked".
SAID_VERBS = ("said|explained|reported|introduced|confirmed|noted|clarified|replied|advised|highlighted|added|stated|"
              "informed|responded|outlined|presented|agreed|proposed|asked|raised")
_SPEAKER = re.compile(
    r"\b(?:the\s+)?((?:(?:Executive|Assistant|Deputy)\s+)?Director(?:\s+(?:of|for)\s+[A-Z][\w'’&,\- ]{2,70}?)?|Chair(?:man)?|"
    r"Vice-Chair(?:man)?|Cabinet Member(?:\s+for\s+[A-Z][\w'’&,\- ]{2,60}?)?|Head of [A-Z][\w'’&,\- ]{2,60}?|"
    r"(?:Cllr|Councillor)\s+[A-Z][\w'’\-]+(?:\s+[A-Z][\w'’\-]+)?)\s*,?\s+"
    rf"(?:{SAID_VERBS})\b")
_SAID_ABOUT = re.compile(r"^\s*(what\s+(?:was|has been|have been|is|were)\s+said|what\s+did\s+.+\s+say|what\s+has\s+.+\s+said|"
                         r"what\s+(?:was|were)\s+(?:discussed|reported)|(?:tell me|show me)\s+about)\b", re.I)


@dataclass(frozen=True)
class AnswerSentence:
    """One sentence of an extractive answer with the citations it rests on (1-based), and the printed
    paragraph of the cited passage that holds it (a passage may span several)."""

    text: str
    citations: tuple[int, ...]
    highlights: tuple[Highlight, ...]
    paragraph: str | None = None


@dataclass(frozen=True)
class Statement:
    """One statement in a digest, with where it was made and who made it."""

    text: str
    location: Location
    speaker: str | None
    person: str | None


@dataclass(frozen=True)
class MeetingDigest:
    """What was said at one meeting about the topic, in paper order."""

    meeting_date: str | None
    body: str | None
    source_file: str
    statements: tuple[Statement, ...]


# A form field on a report cover or contact block ("Report title:", "Officer name : Sara Tough").
_FORM_FIELD = re.compile(r"^[A-Z][\w '’/()&-]{1,40}?\s*:\s*\S")
_NUMBER = re.compile(r"^[£$€]?\d[\d,.%£]*$")
# A line of a table: printed between pipes (markdown) or with tab-separated cells.
_TABLE_LINE = re.compile(r"^[ \t]*\|.*$|^.*\|[ \t]*$|^.*\t.*$", re.M)


# A sentence cut off where a table or a page break took over ("the Council had outstanding loans totalling").
_DANGLING_END = re.compile(r"\b(?:the|a|an|of|to|by|at|in|on|for|from|with|and|or|as|than|per|was|were|is|are|be|"
                           r"been|totalling|totaling|including|includes|include|between|against|within|into|is:)\s*$",
                           re.I)


def is_statement(sentence: str) -> bool:
    """Whether a sentence says something: not a form field, a heading, a bare table row or a sentence cut
    off before its end."""
    words = sentence.split()
    if _FORM_FIELD.match(sentence) or "\t" in sentence or len(words) < 6 or _DANGLING_END.search(sentence):
        return False
    numeric = sum(bool(_NUMBER.match(w)) for w in words)
    lower = sum(w[:1].islower() for w in words)
    # A title-case run of words is a heading; one without a full stop needs most words in lower case.
    needed = len(words) / 3 if sentence.rstrip().endswith((".", "!", "?", ";")) else len(words) / 2
    return numeric <= len(words) / 3 and lower >= needed


def sentences(text: str) -> list[str]:
    """The statements of a passage's source slice as a person reads them (see ``statements``)."""
    return statements(display_text(text).text)


def statements(display: str) -> list[str]:
    """The statements of text already in display form: list markers gone, and no form fields,
    headings or bare table rows. Text in a table's cells (a row printed between "|" or tabs) counts
    only as a sentence that ends as one: a cell like an agenda item's title is a label, not a statement."""
    rows = [(m.start(), m.end()) for m in _TABLE_LINE.finditer(display)]
    out, at = [], 0
    for piece in split_sentences(display):
        found = display.find(piece[:20], at)
        at = max(at, found)
        in_table = found >= 0 and any(start <= found < end for start, end in rows)
        cells = [c for c in re.split(r"\s*\|\s*|\t", piece) if c.strip()] if in_table else [piece]
        for cell in cells:
            cell = squash(_LIST_MARK.sub("", cell))
            if in_table and not cell.endswith((".", "!", "?")):
                continue
            if len(cell) >= 25 and re.search(r"[a-z]{3}", cell) and is_statement(cell):
                out.append(cell)
    return out


def is_said_about(question: str) -> bool:
    """'what was said about X', 'what did the Director say about Y'."""
    return bool(_SAID_ABOUT.search(question))


def speaker_of(text: str) -> str | None:
    """The post or councillor a minuted statement is attributed to, if it says."""
    match = _SPEAKER.search(plain_text(text))
    return squash(match.group(1)).rstrip(" ,") if match else None


@dataclass(frozen=True)
class Question:
    """A question as the answer stage sees it: its words, its vector, what its form asks for."""

    text: str
    terms: tuple[str, ...]
    vector: np.ndarray
    form: QuestionForm
    idf: dict[str, float]
    unseen: float


def answer_candidates(question: Question, hits: list[Hit], embedder: object,
                      depth: int = 5) -> tuple[list[Candidate], np.ndarray]:
    """The statements of the top ``depth`` hits and their answerhood features (one row each)."""
    top = [hit.score for hit in hits[:depth]]
    candidates = []
    for rank, hit in enumerate(hits[:depth], 1):
        said = [s for s in statements(hit.display.text) if not s.endswith(":")]  # a lead-in announces an answer
        candidates += [Candidate(s, rank, hit.score / (max(top) or 1.0), i == 0, speaker_of(s))
                       for i, s in enumerate(said)]
    if not candidates:
        return [], np.zeros((0, len(FEATURES)))
    cosines = embedder.encode_queries([c.text for c in candidates]) @ question.vector  # type: ignore[attr-defined]
    return candidates, features(question.form, question.terms, question.idf, question.unseen, candidates, cosines)


def extract_answer(question: Question, hits: list[Hit], embedder: object, weights: AnswerWeights | None,
                   max_sentences: int = 3, depth: int = 5, keep: float = 0.6,
                   attributed: Attributed | None = None) -> list[AnswerSentence]:
    """Pick the sentences from the top hits that best answer the question.

    Each statement of the top ``depth`` hits is scored for answerhood (``qa.answerhood``); the best
    and those scoring at least ``keep`` of its score are kept, at most one per passage and
    ``max_sentences`` in all. With ``attributed``, only the asked-about person's statements are
    chosen when the hits hold any.
    """
    candidates, matrix = answer_candidates(question, hits, embedder, depth)
    if not candidates:
        return []
    scores = answer_scores(matrix, weights)
    if attributed:
        theirs = np.array([attributed(c.text, hits[c.rank - 1]) for c in candidates])
        if theirs.any():
            scores = np.where(theirs, scores, -np.inf)
    order = np.argsort(-scores, kind="stable")
    best = float(scores[order[0]])
    chosen: list[AnswerSentence] = []
    used: set[int] = set()
    said: set[str] = set()  # a motion or recommendation printed again in the minutes is one answer, not two
    for index in order:
        candidate = candidates[int(index)]
        if not np.isfinite(scores[index]) or float(scores[index]) < keep * best or len(chosen) >= max_sentences:
            break
        words = " ".join(re.findall(r"\w+", re.sub(r"^\s*\(?[\divx.]+[.)]?\s+", "", candidate.text.lower())))
        if candidate.rank in used or words in said:
            continue
        used.add(candidate.rank)
        said.add(words)
        chosen.append(AnswerSentence(candidate.text, (candidate.rank,),
                                     tuple(h for h in find_highlights(candidate.text, ()) if h.kind != "term"),
                                     sentence_paragraph(hits[candidate.rank - 1], candidate.text)))
    return chosen


def sentence_paragraph(hit: Hit, sentence: str) -> str | None:
    """The printed paragraph of ``hit`` that holds ``sentence`` (found in its display text)."""
    display = hit.display
    at = display.text.find(sentence[:60])
    if at < 0:
        return hit.location.paragraph
    return hit.location.paragraph_at(display.source_span(at, at + 1)[0])


Attributed = Callable[[str, Hit], bool]


def build_digest(hits: list[Hit], terms: tuple[str, ...], people: list[Person],
                 attributed: Attributed | None = None, asked_about: tuple[str, str | None] | None = None) -> list[MeetingDigest]:
    """Group statements by meeting in date order, naming the speaker where the minutes do.

    With ``attributed`` (is this statement of this hit the asked-about person's?), a hit's
    attributed statement is quoted before its best-covering one, credited to ``asked_about``
    (their post or name as asked, and the person's name if known).
    """
    groups: dict[tuple[str | None, str], list[Hit]] = {}
    for hit in hits:
        groups.setdefault((hit.location.meeting_date, hit.location.source_file), []).append(hit)
    digest = []
    for (meeting_date, source_file), members in sorted(groups.items(), key=lambda g: (g[0][0] or "", g[0][1])):
        said: list[Statement] = []
        quoted: set[str] = set()
        for hit in sorted(members, key=lambda h: h.location.char_start):
            candidates = statements(hit.display.text)
            if not candidates:
                continue  # a table, a form or a heading says nothing a digest can quote
            theirs = [s for s in candidates if attributed(s, hit)] if attributed else []
            text = max(theirs or candidates, key=lambda s: coverage(terms, stems(s)))
            if text in quoted:
                continue  # the same words printed twice (a pack and its appendix)
            quoted.add(text)
            if theirs and asked_about:
                said.append(Statement(text, hit.location, *asked_about))
                continue
            speaker = speaker_of(text)  # only what the statement itself says: no guessing from neighbours
            person = link_post(speaker, people, meeting_date) if speaker and not speaker.startswith(("Cllr", "Councillor")) else None
            said.append(Statement(text, hit.location, speaker, person.name if person else None))
        if said:
            digest.append(MeetingDigest(meeting_date, members[0].location.body, source_file, tuple(said)))
    return digest
