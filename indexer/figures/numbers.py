"""Numbers as council papers print them, with their units: "1,179", "69.7", "8.5%", "£16.8m",
"(3.2)", "-23.9", "£1,234k", "45 days", "62 per 10k"."""

from __future__ import annotations

import re
from dataclasses import dataclass

NUMBER = re.compile(
    r"(?<![\w./:£$€'’])(?<!\d[-–])"
    r"(?P<neg>[-–−](?=[£\d]))?(?P<paren>\()?(?P<cur>[£$€])?\s?"
    r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?P<close>\))?"
    r"(?P<scale>\s?(?:bn|billion|m|million|k)\b)?"
    r"(?P<pct>\s?(?:%|per\s?cent\b|percent\b|pp\b|percentage points?\b))?"
    r"(?P<per>\s?(?:per|/)\s?(?P<base>1,?000|10,?000|100,?000|10k|1k|100k)\b)?"
    r"(?P<dur>\s(?:working\s|calendar\s)?(?:days?|weeks?|months?|years?|hours?|hrs)\b)?"
    r"(?![\w/]|\.\d)",
    re.I,
)
_BASES = {"1000": "1,000", "1k": "1,000", "10000": "10,000", "10k": "10,000", "100000": "100,000", "100k": "100,000"}
_SCALES = {"bn": "£bn", "billion": "£bn", "m": "£m", "million": "£m", "k": "£k"}


@dataclass(frozen=True)
class Number:
    """One printed number: its value, unit (None: not said by the number itself) and span."""

    text: str
    value: float
    unit: str | None
    char_start: int
    char_end: int


def _unit(match: re.Match[str]) -> str | None:
    if match.group("pct"):
        return "percentage points" if re.search(r"pp|point", match.group("pct"), re.I) else "%"
    scale = (match.group("scale") or "").strip().lower()
    if match.group("cur"):
        return _SCALES.get(scale, "£")
    if scale in ("bn", "billion", "million"):
        return "£bn" if scale != "million" else None
    if match.group("per"):
        base = match.group("base").replace(",", "").lower()
        return f"rate per {_BASES.get(base, base)}"
    if match.group("dur"):
        word = match.group("dur").split()[-1].lower().rstrip("s")
        return {"day": "days", "week": "weeks", "month": "months", "year": "years", "hour": "hours", "hr": "hours"}[word]
    return None


def numbers_in(text: str, offset: int = 0, accounting: bool = True) -> list[Number]:
    """The numbers printed in ``text``, with spans shifted by ``offset``. With ``accounting`` (tables) a
    number in brackets is negative, "(3.2)"; in prose brackets hold an aside, "higher than ours (53.4)"."""
    found = []
    for match in NUMBER.finditer(text):
        value = float(match.group("num").replace(",", ""))
        negative = bool(match.group("neg")) or bool(accounting and match.group("paren") and match.group("close"))
        end = match.end()
        if match.group("dur") and _unit(match) is None:
            end = match.start("dur")
        start = match.start("cur") if match.group("cur") else match.start("num")
        if negative:
            start = match.start()
        text_end = end if not match.group("close") or negative else match.start("close")
        found.append(Number(text[start:text_end].strip(), -value if negative else value, _unit(match),
                            offset + start, offset + text_end))
    return found


def parse_cell(cell: str) -> Number | None:
    """A table cell that holds one number and nothing else ("1,179", "8.5%", "(3.2)", "£16.8m")."""
    stripped = cell.strip().rstrip("*†‡¹²³").strip()
    if not stripped or len(stripped) > 24:
        return None
    found = numbers_in(stripped)
    if len(found) != 1:
        return None
    number = found[0]
    if number.char_start > 1 or len(stripped) - number.char_end > 1:
        return None
    return number


NUMBER_WORDS = {word: value for value, word in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen twenty".split())}
_NUMBER_WORD = re.compile(rf"\b(?:{'|'.join(NUMBER_WORDS)})\b", re.I)


def words_in(text: str, offset: int = 0) -> list[Number]:
    """The numbers ``text`` writes as words ("nine", "Eight"), zero to twenty, with no unit of their own."""
    return [Number(match.group(0), float(NUMBER_WORDS[match.group(0).lower()]), None,
                   offset + match.start(), offset + match.end()) for match in _NUMBER_WORD.finditer(text)]
