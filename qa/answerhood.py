"""How well a sentence answers a question: what the question asks for, what the sentence offers, one score.

The score is a logistic model over a few signals any council's papers give: the sentence's cosine
with the question, the question's rare words it holds, whether it offers what the question's form
asks for (a figure for "how many", a date for "when", a person for "who", a decision for "what did
the committee agree", a named speaker for "what did X say"), and how well its passage ranked.
Its weights are learned on the gold set's dev split (``python -m evaluation.train_answers``) and
ship with the embedder they were learned for (``models.calibration``); another embedder's cosines
mean something else, so it falls back to plain cosine plus term coverage.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np

from models.calibration import AnswerWeights
from qa.figure_asks import ASKS_NUMBER
from qa.retrieval.signals import stem, stems

_ASKS_DATE = re.compile(r"\b(when|what date|which date|what year|which year|which month|by what date)\b", re.I)
_ASKS_PERSON = re.compile(r"\b(who|whom|whose|which (?:officer|councillor|member|director|chair(?:man)?))\b", re.I)
_ASKS_DECISION = re.compile(r"\b(agree|decide|decision|approve|resolve|recommend|endorse|ratif)\w*", re.I)
_MONTH = ("january|february|march|april|may|june|july|august|september|october|november|december|"
          "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec")
_DATE = re.compile(rf"\b(?:\d{{1,2}}(?:st|nd|rd|th)?\s+(?:{_MONTH})\b|(?:{_MONTH})\.?\s+\d{{2,4}}\b|"
                   r"\d{1,2}/\d{1,2}/\d{2,4}|(?:19|20)\d{2}\b)", re.I)
_FIGURE = re.compile(r"(?:[£$€]\s?\d|\d\s?%|\b\d[\d,]*(?:\.\d+)?\s?(?:m|k|bn|million|billion|per cent|percent)\b|"
                     r"\b\d{1,3}(?:,\d{3})+\b|\b(?!(?:19|20)\d{2}\b)\d{2,}\b)", re.I)
_PERSON = re.compile(r"\b(?:(?:Cllr|Councillor|Mr|Mrs|Ms|Miss|Dr)\.?\s+[A-Z]|(?:Executive |Assistant |Deputy )?Director\b|"
                     r"Chair(?:man)?\b|Cabinet Member\b|Head of [A-Z]|Leader\b)")
_DECIDED = re.compile(r"\b(?:AGREED|RESOLVED|agreed|resolved|approved|decided|endorsed|noted|ratified|"
                      r"recommended|accepted)\b")

FEATURES = ("cosine", "coverage", "rare_coverage", "passage_rank", "passage_margin", "figure_for_number",
            "date_for_when", "person_for_who", "decision_for_decision", "speaker_for_said", "has_figure",
            "length", "lead_sentence")


@dataclass(frozen=True)
class QuestionForm:
    """What a question's wording asks for."""

    number: bool
    date: bool
    person: bool
    decision: bool
    said: bool

    @classmethod
    def of(cls, question: str, said: bool) -> QuestionForm:
        return cls(bool(ASKS_NUMBER.search(question)), bool(_ASKS_DATE.search(question)),
                   bool(_ASKS_PERSON.search(question)), bool(_ASKS_DECISION.search(question)), said)


@dataclass(frozen=True)
class Candidate:
    """One sentence that might answer, with the passage it comes from."""

    text: str
    rank: int  # of its passage among the hits, from 1
    passage_score: float
    lead: bool  # the passage's first statement
    speaker: str | None


def features(form: QuestionForm, terms: tuple[str, ...], idf: dict[str, float], unseen: float,
             candidates: list[Candidate], cosines: np.ndarray) -> np.ndarray:
    """One row of ``FEATURES`` per candidate."""
    term_stems = [stem(t) for t in terms]
    weights = [idf.get(s, unseen) for s in term_stems]
    top = max((c.passage_score for c in candidates), default=0.0)
    rows = []
    for candidate, cosine in zip(candidates, cosines):
        words = stems(candidate.text)
        held = [s in words for s in term_stems]
        figure = bool(_FIGURE.search(candidate.text))
        rows.append((
            float(cosine),
            sum(held) / len(held) if held else 0.0,
            sum(w for w, h in zip(weights, held) if h) / sum(weights) if sum(weights) else 0.0,
            1.0 / candidate.rank,
            candidate.passage_score - top,
            float(form.number and figure),
            float(form.date and bool(_DATE.search(candidate.text))),
            float(form.person and bool(_PERSON.search(candidate.text))),
            float(form.decision and bool(_DECIDED.search(candidate.text))),
            float(form.said and candidate.speaker is not None),
            float(figure),
            math.log(1 + len(candidate.text.split())),
            float(candidate.lead),
        ))
    return np.array(rows, dtype=np.float64).reshape(len(rows), len(FEATURES))


def answer_scores(matrix: np.ndarray, weights: AnswerWeights | None) -> np.ndarray:
    """The probability-like score of each row answering; without learned weights, cosine + coverage."""
    if weights is None or tuple(weights.features) != FEATURES:
        return matrix[:, 0] + 0.3 * matrix[:, 1] - 0.02 / np.maximum(matrix[:, 3], 1e-9)
    z = (matrix - np.asarray(weights.mean)) / np.asarray(weights.scale)
    return 1.0 / (1.0 + np.exp(-(z @ np.asarray(weights.coef) + weights.intercept)))
