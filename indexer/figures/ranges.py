"""Ranges of time put together from the periods a text prints.

* "the 6 months to 30 September 2024", "the year to March 2024", "the half-year ending 30 September":
  the months that end on the date;
* "the 6 months since 31 March 2024": the months that start the day after it;
* "from April 17 to April 18", "between Jan 2019 and Aug 2020", "Apr-18 – Jun-18", "in November and
  December": the first period's start to the second's end;
* "2022 Norfolk Quarter 1": a quarter printed with a calendar year and no financial year is a quarter
  of that calendar year (January to March for Quarter 1);
* "the 6 months", "the half-year" with no date of their own: the months that end on the date the
  paragraph gave last (``relative_ranges``), as in "At 30 September 2024 ... in the half-year".
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, timedelta

from indexer.figures.dating import Period, count, month_end, months_before, months_to

COUNT = r"\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve"
_ENDING = re.compile(
    rf"(?:\b(?:the|a|in the|during the|over the|for the)\s+)?(?:(?P<n>{COUNT})[\s-]+months?|(?P<year>(?:(?<=the )|(?<= a ))year|twelve months)|"
    rf"(?P<half>half[\s-]year|first half(?: of the (?:financial )?year)?))\s+(?P<way>to|ending|ended|up to|since|from|after)\s+"
    rf"(?:the\s+end\s+of\s+|end\s+(?:of\s+)?)?$", re.I)
_BETWEEN = re.compile(r"^\s*(?:to|until|till|-|–|and)\s*(?:the\s+end\s+of\s+|end\s+(?:of\s+)?)?$", re.I)
_QUARTER_ONLY = re.compile(r"^(?:Q|Quarter\s*)(?P<n>[1-4])$", re.I)
_RELATIVE = re.compile(
    rf"\b(?:the|this|that)\s+(?:(?P<n>{COUNT})[\s-]+months?|(?P<half>half[\s-]year|first half of the (?:financial )?year))\b"
    rf"(?!\s+(?:to|ending|ended|since|from|after)\b)", re.I)


def _months(match: re.Match[str]) -> int:
    if match.group("n"):
        return count(match.group("n"))
    return 6 if match.group("half") else 12


def _ending(text: str, period: Period) -> Period:
    """``period`` widened to "the N months to <period>" where the words before it say so."""
    match = _ENDING.search(text[max(0, period.char_start - 60):period.char_start])
    if match is None or not period.start or not period.end:
        return period
    months = _months(match)
    begin = period.char_start - (len(text[max(0, period.char_start - 60):period.char_start]) - match.start())
    if match.group("way").lower() in ("since", "from", "after"):
        first = date.fromisoformat(period.end) + timedelta(days=1)
        last = months_before(first, -months) - timedelta(days=1)
        return Period(text[begin:period.char_end], first.isoformat(), last.isoformat(), begin, period.char_end)
    return Period(text[begin:period.char_end], months_to(period.end, months), period.end, begin, period.char_end)


def _calendar_quarters(periods: list[Period]) -> list[Period]:
    years = [p for p in periods if re.fullmatch(r"(?:19|20)\d\d", p.text)]
    financial = any(p.start and p.end and p.start[5:] == "04-01" and p.end[5:] == "03-31" for p in periods)
    if len(years) != 1 or financial:
        return periods
    year = int(years[0].text)
    out = []
    for period in periods:
        quarter = _QUARTER_ONLY.match(period.text)
        if quarter:
            n = int(quarter.group("n"))
            period = replace(period, start=date(year, 3 * n - 2, 1).isoformat(), end=month_end(year, 3 * n).isoformat())
        out.append(period)
    return out


def _next_month(first: Period, second: Period) -> bool:
    """Whether two whole months follow one another: "in November and December"."""
    whole = all(p.start and p.end and p.start[8:] == "01" and p.start[:7] == p.end[:7] for p in (first, second))
    if not whole:
        return False
    year, month = int(first.start[:4]), int(first.start[5:7])  # type: ignore[index]
    return second.start == date(year + month // 12, month % 12 + 1, 1).isoformat()


def join_ranges(text: str, periods: list[Period]) -> list[Period]:
    """``periods`` (printed in ``text``, in order) with the ranges they make put together."""
    periods = _calendar_quarters([_ending(text, p) for p in periods])
    out: list[Period] = []
    for period in periods:
        previous = out[-1] if out else None
        if previous is not None and previous.start and period.end and previous.start <= (period.start or "") \
                and previous.char_end <= period.char_start and _BETWEEN.match(text[previous.char_end:period.char_start]):
            gap = text[previous.char_end:period.char_start].strip().lower()
            if gap != "and" or re.search(r"\bbetween\s+$", text[:previous.char_start], re.I) or _next_month(previous, period):
                out[-1] = Period(text[previous.char_start:period.char_end], previous.start, period.end,
                                 previous.char_start, period.char_end)
                continue
        out.append(period)
    return out


def relative_ranges(text: str, anchor: Period | None) -> list[Period]:
    """"the 6 months", "the half-year" in ``text``: the months ending on ``anchor``'s last day."""
    if anchor is None or not anchor.end:
        return []
    return [Period(m.group(0), months_to(anchor.end, _months(m)), anchor.end, m.start(), m.end())
            for m in _RELATIVE.finditer(text)]
