"""Figures as data: find the measure a question asks about, its values over time, and the one it asks for.

A measure (a series of figures, grouped when the index was built) is found by meaning: the
question's vector against each series' name vector, plus the share of the question's words its
name prints. The figures of a series come back oldest first, each with its citation. For "how many
/ what percentage / how much" questions the answer is the figure for the period asked about (the
latest when none is), said with its period and citation, and says when papers disagree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import numpy as np

from indexer.figures.periods import find_periods
from indexer.store.reader import IndexReader
from indexer.store.rows import StoredFigure, StoredMetric
from indexer.structure.dates import human_date
from models.metrics import metric_key

_ASKING = re.compile(
    r"\b(?:how (?:many|much|long|often)|what (?:was|were|is|are|did)?\s*(?:the)?|which|when|did|does|do|is|are|was|were|"
    r"there|in|at|by|during|for|as at|at the end of|end of|the|a|an|of|our|their|its|it|each|every|year|each year|"
    r"figure|figures|value|latest|current|currently|total)\b|[?]", re.I)
_WORD = re.compile(r"[a-z0-9%]+")
# A measure counts as the one asked about above this score (cosine + word share, see find_metrics).
# Chosen by hand, not tuned: on the dev figure questions (evaluation/gold/figures/figure_questions_*.jsonl)
# 7 of 21 get the right value first with it.
MATCH_FLOOR = 0.62


_UNITS_ASKED = [
    (re.compile(r"\b(?:what|which) (?:percentage|proportion|share|per ?cent)|\bhow many per ?cent|\b(?:percentage|proportion|share) of\b|%", re.I),
     ("%", "percentage points")),
    (re.compile(r"\brate\b|per 10,?000|per 10k|per 1,?000", re.I), ("rate per 10,000", "rate per 1,000", "rate per 100,000")),
    (re.compile(r"\bhow much\b|\b(?:cost|costs|spend|spent|overspend|underspend|budget|funding|grant|borrowing|savings?|"
                r"loans?|income|reserves?|balance|return)\b|£", re.I), ("£", "£k", "£m", "£bn")),
    (re.compile(r"\bhow long\b|\b(?:days|weeks|months)\b", re.I), ("days", "weeks", "months", "years")),
    (re.compile(r"\bhow many\b|\bnumber of\b", re.I), ("count",)),
]


def units_asked(question: str) -> tuple[str, ...]:
    """The units a question's form asks for ("how many" -> counts), or () when it does not say."""
    for pattern, units in _UNITS_ASKED:
        if pattern.search(question):
            return units
    return ()


@dataclass(frozen=True)
class MetricMatch:
    metric: StoredMetric
    score: float


@dataclass(frozen=True)
class FigureAnswer:
    """The figure a question asks for, the other papers' values for the same period, and the series."""

    figure: StoredFigure
    disagreeing: tuple[StoredFigure, ...]
    metric: StoredMetric
    series: tuple[StoredFigure, ...]
    sentence: str


def metric_text(question: str) -> str:
    """The words of a question that name a measure: no question words, no periods."""
    for period in sorted(find_periods(question, date.today().isoformat()), key=lambda p: -p.char_start):
        question = question[:period.char_start] + " " + question[period.char_end:]
    return " ".join(_ASKING.sub(" ", question).split())


def _words(text: str) -> set[str]:
    return {w[:-1] if len(w) > 3 and w.endswith("s") else w for w in _WORD.findall(text.lower()) if len(w) > 2}


class FigureIndex:
    """The series of one open generation, searchable by meaning."""

    def __init__(self, reader: IndexReader) -> None:
        self.reader = reader
        self.metrics = {m.id: m for m in reader.metrics()}
        self.ids, self.matrix = reader.metric_matrix()
        self._words = {metric_id: _words(metric.name) for metric_id, metric in self.metrics.items()}

    def find_metrics(self, text: str, vector: np.ndarray, limit: int = 5, units: tuple[str, ...] = ()) -> list[MetricMatch]:
        """The series whose names best match ``text`` (already encoded as ``vector``), best first;
        only those in ``units`` when given."""
        if not len(self.ids):
            return []
        cosines = self.matrix @ vector
        asked = _words(text)
        key = metric_key(text)
        scored = []
        for metric_id, cosine in zip(self.ids, cosines):
            metric = self.metrics[int(metric_id)]
            if units and metric.unit not in units:
                continue
            share = len(asked & self._words[metric.id]) / len(asked) if asked else 0.0
            exact = 0.3 if key in metric.keys else 0.0  # the curated names say this is the measure
            scored.append(MetricMatch(metric, float(cosine) + 0.3 * share + exact + 0.04 * np.log1p(metric.figures)))
        scored.sort(key=lambda m: -m.score)
        return scored[:limit]

    def series(self, metric_id: int, date_from: str | None = None, date_to: str | None = None,
               council: str | None = None) -> list[StoredFigure]:
        return self.reader.figures([metric_id], date_from, date_to, council)


def _overlaps(figure: StoredFigure, start: str, end: str) -> bool:
    first = figure.period_start or figure.meeting_date
    last = figure.period_end or figure.meeting_date
    return bool(first and last) and first <= end and last >= start


def _when(figure: StoredFigure) -> str:
    return figure.period_end or figure.period_start or figure.meeting_date or ""


def say_value(figure: StoredFigure) -> str:
    """"1,179", "69.7 per 10,000", "£16.8m", "86%": the value as an officer would say it."""
    text = figure.value_text.strip()
    unit = figure.unit
    if unit.startswith("rate per") and "per" not in text:
        return f"{text} per {unit.removeprefix('rate per ')}"
    if unit in ("days", "weeks", "months", "years", "hours") and not re.search(r"[a-z]", text, re.I):
        return f"{text} {unit}"
    if unit in ("£m", "£k", "£bn") and "£" not in text:
        return f"£{text}{unit[1:]}"
    if unit == "%" and "%" not in text:
        return f"{text}%"
    return text


def say_period(figure: StoredFigure) -> str:
    if not figure.period:
        return f"reported {human_date(figure.meeting_date)}" if figure.meeting_date else ""
    start, end = figure.period_start, figure.period_end
    if start and end and start == end:
        return f"at {human_date(start)}"
    if start and end and start[:7] == end[:7]:
        return f"in {date.fromisoformat(start):%B %Y}"
    return f"in {figure.period}"


def cite_figure(figure: StoredFigure) -> str:
    """"Children's Services Committee, 10 July 2018, Item 8, para 4.4.1, p 12"."""
    parts = [figure.body or figure.title, human_date(figure.meeting_date)]
    if figure.item_number:
        parts.append(f"Item {figure.item_number}")
    if figure.paragraph:
        parts.append(f"para {figure.paragraph}")
    if figure.table and figure.kind == "table":
        parts.append(f"table '{figure.table[:60]}'")
    if figure.page:
        parts.append(f"p {figure.page}")
    return ", ".join(p for p in parts if p)


def answer_from_figures(index: FigureIndex, question: str, vector: np.ndarray,
                        council: str | None = None) -> FigureAnswer | None:
    """The figure a "how many / how much / what percentage" question asks for, or None when no
    series matches well enough or none of its figures is for the period asked about."""
    matches = [m for m in index.find_metrics(metric_text(question), vector, 3, units_asked(question))
               if m.score >= MATCH_FLOOR]
    periods = [p for p in find_periods(question, date.today().isoformat()) if p.start]
    for match in matches:
        series = index.series(match.metric.id, council=council)
        if not series:
            continue
        if periods:
            start, end = min(p.start for p in periods), max(p.end for p in periods)  # type: ignore[type-var]
            chosen = [f for f in series if f.period_start and _overlaps(f, start, end)]  # type: ignore[arg-type]
            if not chosen:
                continue
            # the tightest period first (a month over the year to date)
            chosen.sort(key=lambda f: (f.period_start != start, f.period_end != end))
        else:
            latest = max(_when(f) for f in series)
            chosen = [f for f in series if _when(f) == latest]
        best = chosen[0]
        same = [f for f in chosen if f.period_start == best.period_start and f.period_end == best.period_end]
        disagreeing = tuple({f.value: f for f in same if not np.isclose(f.value, best.value)}.values())
        sentence = f"{say_value(best)} {say_period(best)} ({cite_figure(best)})."
        if disagreeing:
            others = "; ".join(f"{say_value(f)} ({cite_figure(f)})" for f in disagreeing)
            sentence += f" Papers disagree: also reported as {others}."
        return FigureAnswer(best, disagreeing, match.metric, tuple(series), sentence)
    return None
