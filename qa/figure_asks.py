"""What a question asks of the figures: the kind of figure ("how many" asks for a count), whether it asks for
one at all, and the span of the periods it names; and whether the passages shown for it print such a figure."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from indexer.figures.periods import find_periods
from indexer.store.reader import IndexReader
from indexer.store.rows import StoredFigure

_UNITS_ASKED = [
    (re.compile(r"\b(?:what|which) (?:percentage|proportion|share|per ?cent)|\bhow many per ?cent|"
                r"\b(?:percentage|proportion|share) of\b|\bas an? (?:percentage|share|proportion)\b", re.I),
     ("%", "percentage points")),
    (re.compile(r"\bper (?:10,?000|10k|1,?000|100,?000)\b|\brate per\b", re.I),
     ("rate per 10,000", "rate per 1,000", "rate per 100,000")),
    (re.compile(r"\bhow long\b|\baverage (?:life|time|duration|length|wait)\b|\b(?:in|how many) (?:days|weeks|months|years)\b",
                re.I), ("days", "weeks", "months", "years")),
    (re.compile(r"\bhow much\b|\b(?:cost|costs|spend|spent|overspend|underspend|budget|funding|grant|borrowing|savings?|"
                r"save|saved|loans?|income|reserves?|balance|return|owe|owed|debt|cash)\b|£", re.I), ("£", "£k", "£m", "£bn")),
    (re.compile(r"\bhow many\b|\bnumber of\b", re.I), ("count",)),
]
# "How many / how much / what percentage ..." questions (qa.answerhood reads the same form).
ASKS_NUMBER = re.compile(r"\b(?:how (?:many|much|long|often)|what (?:percentage|proportion|number|share|rate|amount|"
                          r"cost|total|level|figure|budget|value|sum)|number of|percentage of|proportion of)\b", re.I)
_FIGURE_QUESTION = re.compile(
    r"^\s*(?:how (?:many|much|long)\b|what (?:was|were|is|are|would|will)\b|what (?:percentage|proportion|share|number|"
    r"rate|amount|total|overspend|underspend|budget|value|level|average)\b)", re.I)


def units_asked(question: str) -> tuple[str, ...]:
    """The units a question's form asks for ("how many" -> counts), or () when it does not say."""
    for pattern, units in _UNITS_ASKED:
        if pattern.search(question):
            return units
    return ()


def asks_for_figure(question: str) -> bool:
    """Whether a question asks for a figure: "how many / how much / what percentage", or "what was the ..."
    about something figures measure ("What was the council's total borrowing at 30 September 2024?")."""
    return bool(_FIGURE_QUESTION.search(question)) and bool(units_asked(question))


def is_figure_question(question: str) -> bool:
    """Whether the figures should answer: "how many / how much / what percentage" anywhere, or "what was the
    ..." about a measured amount."""
    return bool(ASKS_NUMBER.search(question)) or asks_for_figure(question)


def overlaps(figure: StoredFigure, start: str, end: str) -> bool:
    first = figure.period_start or figure.meeting_date
    last = figure.period_end or figure.meeting_date
    return bool(first and last) and first <= end and last >= start


def asked_span(question: str) -> tuple[str, str] | None:
    """The first and last day of the periods a question names, or None when it names none."""
    today = date.today().isoformat()
    periods = [p for p in find_periods(question, today) if p.start]
    if not periods:
        return None
    start, end = min(p.start for p in periods), max(p.end for p in periods)  # type: ignore[type-var]
    if len(periods) == 1 and re.search(r"\b(?:since|after)\s+(?:the\s+)?$", question[:periods[0].char_start], re.I):
        end = today  # "since 2013": from then until now
    return start, end  # type: ignore[return-value]


def in_span(figure: StoredFigure, span: tuple[str, str] | None) -> bool:
    return span is None or (bool(figure.period_start) and overlaps(figure, *span))


def lacks_asked_figure(reader: IndexReader, question: str, passage_ids: Sequence[int]) -> str | None:
    """For a question asking for a figure for a period ("how many ... in 2020-21"), what none of the passages
    prints: a figure of the asked kind for that period (or for no period it names). None when the question
    asks for no such figure or a passage prints one."""
    units, span = units_asked(question), asked_span(question)
    if not (units and span and is_figure_question(question)) or not passage_ids:
        return None
    # A figure printed with no period of its own may be for the one asked: the passage's words or its
    # meeting can carry it (search kept only passages about the period).
    if any(f.unit in units and (not f.period_start or in_span(f, span))
           for f in reader.figures_in_passages(passage_ids)):
        return None
    return "a count" if units == ("count",) else "a percentage" if "%" in units else \
        "an amount" if "£" in units else "a figure"
