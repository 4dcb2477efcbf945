"""Dates as printed on committee papers ("Tuesday, 10 July 2018", "22nd May 2018") to ISO."""

from __future__ import annotations

import re
from datetime import date

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}
DATE_PATTERN = re.compile(
    r"\b(\d{1,2})(?:st|nd|rd|th)?\s*(?:<sup>\s*\w+\s*</sup>)?\s+"
    r"(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)[a-z]*\.?,?\s+(\d{4})\b",
    re.I,
)


def parse_date(text: str) -> str | None:
    """Return the first day-month-year date in ``text`` as YYYY-MM-DD, or None."""
    for match in DATE_PATTERN.finditer(text):
        day, month, year = match.groups()
        try:
            return date(int(year), _MONTHS[month.lower()[:3]], int(day)).isoformat()
        except (ValueError, KeyError):
            continue
    return None


def human_date(iso: str | None) -> str:
    """'2022-07-12' -> '12 July 2022'."""
    if not iso:
        return ""
    try:
        day = date.fromisoformat(iso)
    except ValueError:
        return iso
    return f"{day.day} {day:%B %Y}"
