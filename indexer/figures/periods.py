"""Periods as council papers print them, normalised to a start and an end date.

"April 2018", "Apr-18", "end of April 18", "2017-18", "2017/18", "Q3 2024-25", "as at 31 March
2024", "31/03/2024", "30-Sep-24", "2018". A month printed without its year takes the latest such
month up to the paper's own date. A "2017/18" year is a financial year (1 April to 31 March)
unless the words around it are about schools (results, pupils, key stages): then it is an
academic year (1 September to 31 August).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}
_MONTH = r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
_SCHOOL_WORDS = re.compile(r"\b(?:pupils?|key stage|ks[1-5]|gcses?|a levels?|attainment|academic year|school year|"
                           r"exams?|progress 8|early years foundation)\b", re.I)

PERIOD = re.compile(
    rf"(?P<q>\b(?:Q|Quarter\s*)(?P<qn>[1-4])\s*,?\s*(?:of\s+)?\(?(?P<qy1>20\d\d)\s*[-/–]\s*(?P<qy2>\d{{2,4}})\)?)"
    rf"|(?P<qa>\b(?:Q|Quarter\s*)(?P<qan>[1-4])\b(?!\s*[-/–&]))"
    rf"|(?P<fs>\b(?P<fs1>\d\d)/(?P<fs2>\d\d)\b(?!/))"
    rf"|(?P<fy>\b(?P<fy1>(?:19|20)\d\d)\s*[-/–]\s*(?P<fy2>\d{{2}}|(?:19|20)\d\d)\b)"
    rf"|(?P<dmy>\b(?P<d>\d{{1,2}})(?:st|nd|rd|th)?[\s-](?P<dm>{_MONTH})\.?,?[\s-](?P<dy>(?:19|20)?\d\d)\b)"
    rf"|(?P<slash>\b(?P<sd>\d{{1,2}})/(?P<sm>\d{{1,2}})/(?P<sy>(?:19|20)?\d\d)\b)"
    rf"|(?P<my>\b(?P<mm>{_MONTH})\.?[\s'’-]*(?P<myy>(?:19|20)\d\d|\d\d)\b)"
    rf"|(?P<mo>\b(?P<om>{_MONTH})\b)"
    rf"|(?P<y>(?:\b(?:in|during|for|of|by|calendar year)\s+|^[\W]*)(?P<yy>(?:19|20)\d\d)\b(?![-/–]\d|,\d))",
    re.I,
)


@dataclass(frozen=True)
class Period:
    """A period as printed, with the dates it covers (None where the paper does not say)."""

    text: str
    start: str | None
    end: str | None
    char_start: int = 0
    char_end: int = 0


def _year(text: str) -> int:
    value = int(text)
    return value + 2000 if value < 100 else value


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _month(year: int, month: int, text: str, span: tuple[int, int]) -> Period:
    return Period(text, date(year, month, 1).isoformat(), _month_end(year, month).isoformat(), *span)


def find_periods(text: str, reported: str | None = None, context: str = "") -> list[Period]:
    """Every period printed in ``text``, in order.

    Args:
        text: A sentence, a column header or a row label.
        reported: The paper's date (YYYY-MM-DD): the year of a month printed without one.
        context: Words around ``text`` (a table's title, the sentence) that tell a school year
            from a financial year.
    """
    found = []
    school = bool(_SCHOOL_WORDS.search(context or text))
    for match in PERIOD.finditer(text):
        span, printed = match.span(), match.group(0)
        try:
            if match.group("q"):
                start_year = int(match.group("qy1"))
                quarter = int(match.group("qn"))
                month = 4 + 3 * (quarter - 1)
                year = start_year if month <= 12 else start_year + 1
                month = month if month <= 12 else month - 12
                found.append(Period(printed, date(year, month, 1).isoformat(),
                                    _month_end(year, month + 2).isoformat(), *span))
            elif match.group("qa"):
                if not reported:
                    continue
                paper = date.fromisoformat(reported)
                quarter = int(match.group("qan"))
                month = 4 + 3 * (quarter - 1)
                year = paper.year if month <= 12 else paper.year + 1
                month = month if month <= 12 else month - 12
                while date(year, month, 1) > paper:  # the latest such quarter begun by the paper's date
                    year -= 1
                found.append(Period(printed, date(year, month, 1).isoformat(),
                                    _month_end(year, month + 2).isoformat(), *span))
            elif match.group("fs"):
                first, second = int(match.group("fs1")), int(match.group("fs2"))
                if second != (first + 1) % 100:
                    continue
                first += 2000 if first < 80 else 1900
                if school:
                    found.append(Period(printed, f"{first}-09-01", f"{first + 1}-08-31", *span))
                else:
                    found.append(Period(printed, f"{first}-04-01", f"{first + 1}-03-31", *span))
            elif match.group("fy"):
                first, second = int(match.group("fy1")), _year(match.group("fy2"))
                if second < 100 or second % 100 == (first + 1) % 100:
                    second = first + 1
                if second != first + 1:
                    continue
                if school:
                    found.append(Period(printed, f"{first}-09-01", f"{second}-08-31", *span))
                else:
                    found.append(Period(printed, f"{first}-04-01", f"{second}-03-31", *span))
            elif match.group("dmy"):
                day = date(_year(match.group("dy")), MONTHS[match.group("dm")[:3].lower()], int(match.group("d")))
                found.append(Period(printed, day.isoformat(), day.isoformat(), *span))
            elif match.group("slash"):
                day = date(_year(match.group("sy")), int(match.group("sm")), int(match.group("sd")))
                found.append(Period(printed, day.isoformat(), day.isoformat(), *span))
            elif match.group("my"):
                found.append(_month(_year(match.group("myy")), MONTHS[match.group("mm")[:3].lower()], printed, span))
            elif match.group("mo"):
                if match.group("om").lower() == "may" and printed[0].islower():
                    continue  # the verb
                if reported:
                    month = MONTHS[match.group("om")[:3].lower()]
                    paper = date.fromisoformat(reported)
                    year = paper.year if month <= paper.month else paper.year - 1
                    found.append(_month(year, month, printed, span))
            elif match.group("y"):
                year = int(match.group("yy"))
                span = match.span("yy")
                found.append(Period(str(year), f"{year}-01-01", f"{year}-12-31", *span))
        except ValueError:
            continue
    return found


def nearest_period(periods: list[Period], start: int, end: int) -> Period | None:
    """The period printed closest to the figure at ``start:end``, preferring one just after it
    ("72% in April") to one the same distance before."""
    if not periods:
        return None

    def distance(period: Period) -> float:
        if period.char_start >= end:
            return period.char_start - end
        if period.char_end <= start:
            return (start - period.char_end) + 0.5
        return 0.0

    return min(periods, key=distance)
