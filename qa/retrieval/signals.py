"""Second-stage signals computed from what the index holds: coverage, headings, dates."""

from __future__ import annotations

import re

_WORD = re.compile(r"[a-z0-9]+")


def stem(word: str) -> str:
    """A crude, fast stem: the first five letters of longer words ("timeliness" ~ "timely")."""
    return word[:5] if len(word) > 5 else word


def stems(text: str) -> set[str]:
    return {stem(w) for w in _WORD.findall(text.lower())}


def coverage(terms: tuple[str, ...], text_stems: set[str]) -> float:
    """Share of the query's content terms that occur in the text."""
    if not terms:
        return 0.0
    return sum(1 for t in terms if stem(t) in text_stems) / len(terms)


def date_match(year: str | None, month: str | None, meeting_date: str | None, text: str) -> float:
    """1 when the text or meeting matches the query's date hint, 0.5 for the year alone."""
    if not year:
        return 0.0
    lowered = text.lower()
    if month and (f"{month} {year}" in lowered or f"{month[:3]} {year}" in lowered
                  or f"{month[:3]}-{year[2:]}" in lowered or f"{month[:3]} {year[2:]}" in lowered):
        return 1.0
    if year in lowered or (meeting_date or "").startswith(year):
        return 0.5
    return 0.0
