"""Periods as council papers print them, normalised to a start and an end date.

"April 2018", "Apr-18", "end of April 18", "2017-18", "2017/18", "Q3 2024-25", "Quarters 1 & 2 (2024/25)",
"as at 31 March 2024", "31/03/2024", "30-Sep-24", "2018", "since 2015", "Q1 2022" (a calendar quarter: the
year is a calendar year), "the spring term", "two years ago". A month or day printed without its year, a
quarter without its financial year, a term without its year and "N years ago" take their year from the
paper's own date (the latest such period begun by then). A "2017/18" year is a financial year (1 April to
31 March) unless the words around it are about schools (results, pupils, key stages): then it is an
academic year (1 September to 31 August). Ranges built from these ("the 6 months to 30 September", "from
April 17 to April 18") are put together by ``indexer.figures.ranges``.
"""

from __future__ import annotations

import re
from datetime import date

from indexer.figures.dating import Period, count, month_end
from indexer.figures.ranges import COUNT, join_ranges

MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}
_MONTH = r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
_SCHOOL_WORDS = re.compile(r"\b(?:pupils?|key stage|ks[1-5]|gcses?|a levels?|attainment|academic year|school year|"
                           r"exams?|progress 8|early years foundation)\b", re.I)
# School terms as councils report them: autumn September-December, spring January-March, summer April-July.
TERMS = {"autumn": (9, 12), "spring": (1, 3), "summer": (4, 7)}
# A year printed as a number and not as the start of a range, a decimal or a percentage.
_YEAR_END = r"\b(?![.,]\d|\s?%)"

PERIOD = re.compile(
    rf"(?P<qr>\bQuarters\s+(?P<qr1>[1-4])\s*(?:&|and|to|-|–)\s*(?P<qr2>[1-4])\b"
    rf"(?:\s*,?\s*\(?(?P<qry1>20\d\d)\s*[-/–]\s*(?P<qry2>\d{{2,4}})\)?)?)"
    rf"|(?P<q>\b(?:Q|Quarter\s*)(?P<qn>[1-4])\s*,?\s*(?:of\s+)?\(?(?P<qy1>20\d\d)\s*[-/–]\s*(?P<qy2>\d{{2,4}})\)?)"
    rf"|(?P<cq>\b(?:Q|Quarter\s*)(?P<cqn>[1-4])\s*,?\s*(?P<cqy>(?:19|20)\d\d){_YEAR_END}(?!\s*[-/–]\s*\d))"
    rf"|(?P<qa>\b(?:Q|Quarter\s*)(?P<qan>[1-4])\b(?!\s*[-/–&]))"
    rf"|(?P<term>\b(?P<tn>autumn|spring|summer)\s+term(?:\s+(?:of\s+)?(?P<ty>(?:19|20)\d\d))?\b)"
    rf"|(?P<ago>\b(?P<an>{COUNT})\s+(?P<au>years?|months?)\s+ago\b)"
    rf"|(?P<fs>\b(?P<fs1>\d\d)/(?P<fs2>\d\d)\b(?!/))"
    rf"|(?P<fy>\b(?P<fy1>(?:19|20)\d\d)\s*[-/–]\s*(?P<fy2>\d{{2}}|(?:19|20)\d\d)\b)"
    rf"|(?P<dmy>\b(?P<d>\d{{1,2}})(?:st|nd|rd|th)?[\s-](?P<dm>{_MONTH})\.?,?[\s-](?P<dy>(?:19|20)?\d\d){_YEAR_END})"
    rf"|(?P<slash>\b(?P<sd>\d{{1,2}})/(?P<sm>\d{{1,2}})/(?P<sy>(?:19|20)?\d\d)\b)"
    rf"|(?P<my>\b(?P<mm>{_MONTH})\.?[\s'’-]*(?P<myy>(?:19|20)\d\d|\d\d){_YEAR_END})"
    rf"|(?P<dm0>\b(?P<d0>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<m0>{_MONTH})\b)"
    rf"|(?P<mo>\b(?P<om>{_MONTH})\b)"
    rf"|(?P<y>(?:\b(?:in|during|for|of|by|since|calendar year)\s+|^[\W]*)(?P<yy>(?:19|20)\d\d)\b(?![-/–]\d|,\d|\.\d|\s?%))",
    re.I,
)


def _year(text: str) -> int:
    value = int(text)
    return value + 2000 if value < 100 else value


def _month(year: int, month: int, text: str, span: tuple[int, int]) -> Period:
    return Period(text, date(year, month, 1).isoformat(), month_end(year, month).isoformat(), *span)


def _months(year: int, first: int, last: int, text: str, span: tuple[int, int]) -> Period:
    """Months ``first`` to ``last`` (either may run past December) of ``year``."""
    start = date(year + (first - 1) // 12, (first - 1) % 12 + 1, 1)
    end_year, end_month = year + (last - 1) // 12, (last - 1) % 12 + 1
    return Period(text, start.isoformat(), month_end(end_year, end_month).isoformat(), *span)


def _latest_year(month: int, day: int, reported: str) -> int:
    """The year of the latest ``day`` of ``month`` on or before the paper's date."""
    paper = date.fromisoformat(reported)
    return paper.year if (month, day) <= (paper.month, paper.day) else paper.year - 1


def _quarter_year(quarter: int, reported: str) -> int:
    """The financial year (by its first year) of the latest quarter ``quarter`` begun by the paper's date."""
    paper = date.fromisoformat(reported)
    year = paper.year
    while date(year + (quarter == 4), (4 + 3 * (quarter - 1) - 1) % 12 + 1, 1) > paper:
        year -= 1
    return year


def _one(match: re.Match[str], reported: str | None, school: bool) -> Period | None:
    """The period one match of ``PERIOD`` prints, or None where it cannot be dated."""
    span, printed = match.span(), match.group(0)
    if match.group("qr"):
        first, last = int(match.group("qr1")), int(match.group("qr2"))
        if match.group("qry1"):
            year = int(match.group("qry1"))
        elif reported:
            year = _quarter_year(last, reported)
        else:
            return None
        return _months(year, 4 + 3 * (first - 1), 6 + 3 * (last - 1), printed, span) if first < last else None
    if match.group("q"):
        quarter = int(match.group("qn"))
        return _months(int(match.group("qy1")), 1 + 3 * quarter, 3 + 3 * quarter, printed, span)
    if match.group("cq"):
        quarter = int(match.group("cqn"))
        return _months(int(match.group("cqy")), 3 * quarter - 2, 3 * quarter, printed, span)
    if match.group("qa"):
        if not reported:
            return None
        quarter = int(match.group("qan"))
        return _months(_quarter_year(quarter, reported), 1 + 3 * quarter, 3 + 3 * quarter, printed, span)
    if match.group("term"):
        first, last = TERMS[match.group("tn").lower()]
        if match.group("ty"):
            year = int(match.group("ty"))
        elif reported:
            year = _latest_year(first, 1, reported)
        else:
            return None
        return _months(year, first, last, printed, span)
    if match.group("ago"):
        if not reported:
            return None
        paper = date.fromisoformat(reported)
        back = count(match.group("an")) * (12 if match.group("au").lower().startswith("year") else 1)
        months = paper.year * 12 + paper.month - 1 - back
        return _month(months // 12, months % 12 + 1, printed, span)
    if match.group("fs") or match.group("fy"):
        if match.group("fs"):
            first, second = int(match.group("fs1")), int(match.group("fs2"))
            if second != (first + 1) % 100:
                return None
            first += 2000 if first < 80 else 1900
        else:
            first, second = int(match.group("fy1")), _year(match.group("fy2"))
            if second < 100 or second % 100 == (first + 1) % 100:
                second = first + 1
            if second != first + 1:
                return None
        if school:
            return Period(printed, f"{first}-09-01", f"{first + 1}-08-31", *span)
        return Period(printed, f"{first}-04-01", f"{first + 1}-03-31", *span)
    if match.group("dmy"):
        day = date(_year(match.group("dy")), MONTHS[match.group("dm")[:3].lower()], int(match.group("d")))
        return Period(printed, day.isoformat(), day.isoformat(), *span)
    if match.group("slash"):
        day = date(_year(match.group("sy")), int(match.group("sm")), int(match.group("sd")))
        return Period(printed, day.isoformat(), day.isoformat(), *span)
    if match.group("my"):
        return _month(_year(match.group("myy")), MONTHS[match.group("mm")[:3].lower()], printed, span)
    if match.group("dm0"):
        if not reported:
            return None
        month, day_of_month = MONTHS[match.group("m0")[:3].lower()], int(match.group("d0"))
        day = date(_latest_year(month, day_of_month, reported), month, day_of_month)
        return Period(printed, day.isoformat(), day.isoformat(), *span)
    if match.group("mo"):
        if match.group("om").lower() == "may" and printed[0].islower():
            return None  # the verb
        if not reported:
            return None
        month = MONTHS[match.group("om")[:3].lower()]
        return _month(_latest_year(month, 1, reported), month, printed, span)
    year = int(match.group("yy"))
    return Period(str(year), f"{year}-01-01", f"{year}-12-31", *match.span("yy"))


def find_periods(text: str, reported: str | None = None, context: str = "") -> list[Period]:
    """Every period printed in ``text``, in order, ranges put together.

    Args:
        text: A sentence, a column header or a row label.
        reported: The paper's date (YYYY-MM-DD): the year of a month printed without one.
        context: Words around ``text`` (a table's title, the sentence) that tell a school year
            from a financial year.
    """
    school = bool(_SCHOOL_WORDS.search(context or text))
    found = []
    for match in PERIOD.finditer(text):
        try:
            period = _one(match, reported, school)
        except ValueError:
            continue
        if period is not None:
            found.append(period)
    return join_ranges(text, found)


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
