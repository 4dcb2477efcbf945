"""The period a figure's surroundings imply when the figure's own words print none.

* a table caption, section heading or item title that names a period, nearest first ("Forecast outturn
  2018-19", "Quarterly Performance Report Q2 2024/25");
* a budget monitoring report ("Revenue Budget Monitoring Month 2", "Period 6 finance monitoring") reports
  on a financial year: the one whose month N is the latest before the meeting, or the one the meeting falls
  in when no month is given;
* a rolling measure ("rate per 10,000 - rolling 12 months", "on a 12 month rolling basis") printed for a
  month covers the twelve months to the end of it.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

from indexer.figures.dating import Period, months_to
from indexer.figures.periods import find_periods
from indexer.records import ParsedDocument, Passage

_MONITORING = re.compile(r"\b(?:budget|revenue|capital|finance|financial|spend(?:ing)?)\b.{0,40}\b(?:monitoring|outturn|"
                         r"forecast|position)\b|\b(?:monitoring|outturn)\b.{0,40}\b(?:budget|revenue|capital|finance)\b",
                         re.I)
_MONTH_N = re.compile(r"\b(?:month|period)\s*(?P<n>1[0-2]|[1-9])\b", re.I)
_ROLLING = re.compile(r"\brolling\s+(?:12|twelve)[\s-]months?\b|\b(?:12|twelve)[\s-]months?\s+rolling\b|\brolling\s+year\b",
                      re.I)


def _financial_year(title: str, reported: str | None) -> Period | None:
    """The financial year a budget monitoring report's title implies."""
    if not reported or not _MONITORING.search(title):
        return None
    paper = date.fromisoformat(reported)
    month = _MONTH_N.search(title)
    # month N of the financial year starting in April of `first`; the latest one begun by the meeting
    first = paper.year if paper.month >= 4 else paper.year - 1
    if month:
        n = int(month.group("n"))
        if date(first + (n > 9), (3 + n - 1) % 12 + 1, 1) > paper:
            first -= 1
    return Period(f"{first}-{(first + 1) % 100:02d}", f"{first}-04-01", f"{first + 1}-03-31")


def context_period(doc: ParsedDocument, passage: Passage, caption: str | None) -> Period | None:
    """The period a figure's table caption, section headings or item title name, nearest first, else the
    financial year of a budget monitoring report."""
    part = next((p for p in doc.parts if p.ordinal == passage.part_ordinal), None)
    reported = (part.meeting_date if part else None) or doc.meeting.meeting_date
    texts = [caption or "", *reversed(passage.section_path), part.title if part else ""]
    for text in texts:
        found = find_periods(text, reported)
        # a single day in a heading ("Meeting of 10 July 2018") dates the paper, not its figures, unless it is all there is
        ranges = [p for p in found if p.start != p.end] if len(found) > 1 else found
        if ranges:
            return ranges[0]
    title = part.title if part and part.title else doc.meeting.title or ""
    return _financial_year(title, reported)


def rolling(period: Period | None, *words: str | None) -> Period | None:
    """A month's period widened to the twelve months to its end where the measure is a rolling one."""
    if period is None or not period.start or not period.end or period.start[:7] != period.end[:7]:
        return period
    if not any(w and _ROLLING.search(w) for w in words):
        return period
    return replace(period, text=f"12 months to {period.text}", start=months_to(period.end, 12))
