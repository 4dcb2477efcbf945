"""Period, the record of a dated stretch of time as printed, and the calendar arithmetic that
``indexer.figures.periods`` and ``indexer.figures.ranges`` share."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from indexer.figures.numbers import NUMBER_WORDS


@dataclass(frozen=True)
class Period:
    """A period as printed, with the dates it covers (None where the paper does not say)."""

    text: str
    start: str | None
    end: str | None
    char_start: int = 0
    char_end: int = 0


def count(text: str) -> int:
    """"6" or "six" as a number."""
    return int(text) if text.isdigit() else NUMBER_WORDS[text.lower()]


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def months_before(day: date, months: int) -> date:
    """The same day ``months`` earlier (the month's last day where it is shorter)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def months_to(end: str, months: int) -> str:
    """The first day of the ``months`` months that end on ``end``: "6 months to 30 September" -> 1 April."""
    return months_before(date.fromisoformat(end) + timedelta(days=1), months).isoformat()

