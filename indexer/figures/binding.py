"""Which of a sentence's printed periods a figure takes.

Councils' sentences often print several figures and several periods: "savings delivered in 18/19 of
£0.56m (FYE £0.91m), £3.08m in 19/20", "an increase to 33.1 days (February 25.3 days) but below
January (43 days)", "from the February figure of 207 days to the March figure of 211 days". A figure takes,
in order:

1. its own period: one printed right before it as "<period> (figure) of/is/was/= N" or right after it as
   "N in/at/for/during <period>";
2. for an aside in brackets right after another figure ("£0.56m (FYE £0.91m)", "£2.4m (1.36%)") with no
   period of its own, that figure's period;
3. otherwise the nearest period that is not another figure's own and that it can see: a period inside
   brackets belongs to what the brackets hold, so a figure outside them does not take it, and a period
   named by a comparison ("lower than at the start of the autumn term") is the baseline's;
4. otherwise the period of another figure of the same clause ("Headline figure of 1103 increased by 33 in
   September"), except across "from A in April 17 to B", where B is said not to be of April 17; a level a
   change brings things to ("a £29.6m increase in the 6 months brings the total up to £117.9m") is at the
   end of the change's period.
"""

from __future__ import annotations

import re
from dataclasses import replace

from indexer.figures.periods import Period, nearest_period

_BEFORE_FIGURE = re.compile(
    r"^\s*(?:figure|total|position|outturn|actual|performance|level|rate)?\s*(?:of|is|was|were|=|:|at|stood at|"
    r"stands at)\s*(?:around|about|approximately|almost|nearly|over|just over|just under)?\s*[£$]?$", re.I)
# "N in April", "£7.9m transformation savings committed for 21/22": up to four words between.
_AFTER_FIGURE = re.compile(
    r"^\s*(?:%\s*)?(?:(?!(?:and|but|or|to|than|compared|with|whilst|while|although)\b)[A-Za-z][\w'’-]*\s+){0,6}"
    r"(?:in|at|for|during|by|as at|as of|from)\s+(?:the\s+)?(?:(?:end|start|close)\s+of\s+(?:the\s+)?)?$", re.I)
# A period a comparison names is the baseline's, not the figure's: "lower than at the start of the autumn term".
_COMPARED = re.compile(r"\b(?:than|compared (?:with|to)|against)\s+(?:\w+\s+){0,6}$", re.I)
# The level a change over a period ends at: "a £29.6m increase in the 6 months brings the total up to £117.9m".
_RESULT = re.compile(r"\b(?:to|reached|reaching)\s+(?:around\s+|about\s+)?[£$]?$", re.I)
# "Headline figure of 1103 increased by 33 in September": one clause, one period.
_CLAUSE_BREAK = re.compile(r"[,;:]|\b(?:but|whilst|while|although|however)\b", re.I)


def brackets(sentence: str) -> list[tuple[int, int]]:
    """The spans of the bracketed asides of ``sentence``, from "(" to ")" inclusive."""
    spans, opened = [], []
    for i, ch in enumerate(sentence):
        if ch == "(":
            opened.append(i)
        elif ch == ")" and opened:
            spans.append((opened.pop(), i + 1))
    return spans


def _inside(spans: list[tuple[int, int]], start: int, end: int) -> list[tuple[int, int]]:
    return [s for s in spans if s[0] < start and end <= s[1]]


def own_periods(sentence: str, periods: list[Period], figures: list[tuple[int, int]]) -> dict[int, list[Period]]:
    """The periods bound to each figure (by its index in ``figures``), as in rule 1."""
    owned: dict[int, list[Period]] = {}
    for period in periods:
        after = [i for i, (start, _) in enumerate(figures) if start >= period.char_end
                 and _BEFORE_FIGURE.match(sentence[period.char_end:start])]
        before = [i for i, (_, end) in enumerate(figures) if end <= period.char_start
                  and _AFTER_FIGURE.match(sentence[end:period.char_start])]
        for i in after[:1] or before[-1:]:
            owned.setdefault(i, []).append(period)
    return owned


def period_of(sentence: str, periods: list[Period], figures: list[tuple[int, int]], index: int,
              owned: dict[int, list[Period]] | None = None, borrow: bool = True) -> Period | None:
    """The period the figure ``figures[index]`` takes, or None where the sentence gives it none; rule 4
    only with ``borrow`` (not for a benchmark, which is of its own, unprinted period)."""
    owned = own_periods(sentence, periods, figures) if owned is None else owned
    start, end = figures[index]
    if owned.get(index):
        return nearest_period(owned[index], start, end)
    spans = brackets(sentence)
    holding = _inside(spans, start, end)
    if holding:
        aside = min(holding, key=lambda s: s[1] - s[0])
        inner = [p for p in periods if aside[0] < p.char_start and p.char_end <= aside[1]]
        host = [i for i, (_, e) in enumerate(figures) if e <= aside[0] and not sentence[e:aside[0]].strip()]
        if not inner and host:
            return period_of(sentence, periods, figures, host[0], owned, borrow)
    others = {id(p) for i, ps in owned.items() if i != index for p in ps}
    visible = [p for p in periods if all(s[0] < start and end <= s[1] for s in _inside(spans, p.char_start, p.char_end))
               and not _COMPARED.search(sentence[:p.char_start])]
    free = [p for p in visible if id(p) not in others]
    same = [p for p in free if _inside(spans, p.char_start, p.char_end) == holding]
    if free or not borrow:
        return nearest_period(same or free, start, end)
    clause = [p for p in visible if not _CLAUSE_BREAK.search(sentence[min(p.char_end, end):max(p.char_start, start)])]
    if re.search(r"\bfrom\b", sentence[:start], re.I) and re.search(r"\bto\s+(?:around\s+|about\s+)?[£$]?$",
                                                                     sentence[:start], re.I):
        return None
    borrowed = nearest_period(clause, start, end)
    if borrowed is not None and borrowed.start and borrowed.end and borrowed.start[:7] != borrowed.end[:7] \
            and _RESULT.search(sentence[:start]):
        return replace(borrowed, text=f"end of {borrowed.text}", start=borrowed.end)  # a level after a change
    return borrowed
