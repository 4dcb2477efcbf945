"""Figures in tables: each number cell with its row label, column header and the period either
of them prints.

Two layouts come out of the papers' conversions:

* cells separated by tabs or pipes (the PDF conversions and markdown): header rows have no number
  cells; a data row's label is its longest wordy cell, and rows whose cells came out shifted
  (a missing leading tab) are realigned on that label; a header spanning several columns
  ("Last four months") covers the empty cells to its right;
* PDF text with cells separated by spaces: a row is a label followed by numbers, and the header
  lines above it that hold only dates or units ("31/03/2024 2024-25 30/09/2024", "£m £m %")
  name its columns left to right.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from indexer.figures.numbers import Number, parse_cell
from indexer.figures.periods import Period, find_periods

_FRACTION = re.compile(r"^\s*[\d,.]+\s*/\s*[\d,.]+\s*$")
_REF = re.compile(r"^[A-Z]{0,3}\d{1,2}(?:\.\d{1,2}){0,2}[a-z]?$")
_WORDY = re.compile(r"[A-Za-z]{2,}.*[A-Za-z]{2,}|[A-Za-z]{3,}")
_TARGET = re.compile(r"\b(?:target|ambition|plan|floor|standard|goal)\b", re.I)
_THRESHOLD = re.compile(r"^(?:red|amber|green|tolerances?)$", re.I)
_GEOGRAPHY = [
    (re.compile(r"\bstat(?:istical)?\.?\s*neigh", re.I), "statistical neighbours"),
    (re.compile(r"\bnat(?:ional)?\.?\s*(?:avg|average|top quartile)?\b|\bengland\b", re.I), "England"),
    (re.compile(r"\bregion(?:al)?\b", re.I), "region"),
]
_UNIT_WORDS = [
    (re.compile(r"\bper\s*(?:10k|10,?000)\b|\brate per 10", re.I), "rate per 10,000"),
    (re.compile(r"\bper\s*(?:100k|100,?000)\b", re.I), "rate per 100,000"),
    (re.compile(r"\bper\s*(?:1k|1,?000)\b", re.I), "rate per 1,000"),
    (re.compile(r"%|\bpercentage\b|\bproportion\b|\bper ?cent\b", re.I), "%"),
    (re.compile(r"£\s*bn\b", re.I), "£bn"),
    (re.compile(r"£\s*m\b|£\s*million|£\s*000,?000", re.I), "£m"),
    (re.compile(r"£\s*k\b|£\s*'?000\b|£\s*thousands?", re.I), "£k"),
    (re.compile(r"£", re.I), "£"),
    (re.compile(r"\b(?:average|mean|median|number of)?\s*days\b(?! of)", re.I), "days"),
    (re.compile(r"\bweeks\b(?! of)", re.I), "weeks"),
    (re.compile(r"^yrs?$|\byears\b", re.I), "years"),
]
_MONEY_TOKEN = re.compile(r"^(?:£\s*(?:m|k|bn|'?000s?|million)?|%|yrs?|days|weeks|no\.?|count|rate|£)$", re.I)


@dataclass(frozen=True)
class TableFigure:
    """A number cell and what its table says about it."""

    number: Number
    row_label: str
    column: str
    period: Period | None
    unit: str
    geography: str | None
    role: str  # "value", "target" or "threshold"
    caption: str
    row_start: int
    row_end: int


@dataclass(frozen=True)
class Row:
    cells: list[tuple[str, int]]  # (cell text, offset of the cell in the source)
    start: int
    end: int


def split_row(line: str, start: int) -> Row:
    """A tab- or pipe-separated line as cells with their source offsets."""
    separator = "\t" if "\t" in line else "|"
    cells, cursor = [], start
    for cell in line.split(separator):
        cells.append((cell, cursor))
        cursor += len(cell) + 1
    if separator == "|" and cells and not cells[0][0].strip():
        cells = cells[1:]
    return Row(cells, start, start + len(line))


def _unit_from_words(*texts: str) -> str | None:
    for text in texts:
        for pattern, unit in _UNIT_WORDS:
            if text and pattern.search(text):
                return unit
    return None


def _numbers(row: Row) -> dict[int, Number]:
    found = {}
    cells = row.cells
    for index, (cell, offset) in enumerate(cells):
        following = next((c for c, _ in cells[index + 1:] if c.strip()), "")
        if _REF.match(cell.strip()) and _WORDY.search(following):
            continue  # "7.1" before "No. Looked-After Children": the indicator's reference
        number = parse_cell(cell)
        if number is not None and not find_periods(cell):
            found[index] = Number(number.text, number.value, number.unit, offset + number.char_start,
                                  offset + number.char_end)
    return found


def _label_index(row: Row, numbers: dict[int, Number]) -> int | None:
    first = min(numbers) if numbers else len(row.cells)
    wordy = [(len(c.strip()), i) for i, (c, _) in enumerate(row.cells[:first]) if _WORDY.search(c)
             and not find_periods(c)]
    return max(wordy)[1] if wordy else None


def _roles(header: str) -> tuple[str, str | None]:
    if _THRESHOLD.match(header.strip()):
        return "threshold", None
    if _TARGET.search(header):
        return "target", None
    for pattern, name in _GEOGRAPHY:
        if pattern.search(header):
            return "value", name
    return "value", None


class _Headers:
    """The header rows over the current block of data rows, forward-filled where they span."""

    def __init__(self) -> None:
        self.rows: list[list[str]] = []

    def add(self, row: Row) -> None:
        cells = [c.strip() for c, _ in row.cells]
        self.rows.append(cells)

    def column(self, index: int) -> list[str]:
        """The header texts over column ``index``, top down; upper rows fill rightwards."""
        texts = []
        for level, cells in enumerate(self.rows):
            bottom = level == len(self.rows) - 1
            text = cells[index] if index < len(cells) else ""
            if not text and not bottom:
                text = next((c for c in reversed(cells[:index]) if c), "")
            if text:
                texts.append(text)
        return texts


def separated_table(rows: list[Row], caption: str, reported: str | None) -> list[TableFigure]:
    """Figures of one tab- or pipe-separated table."""
    parsed = [(row, _numbers(row)) for row in rows]
    labels = [_label_index(row, numbers) for row, numbers in parsed if numbers]
    common = Counter(i for i in labels if i is not None).most_common(1)
    label_column = common[0][0] if common else None
    # Places down the side ("Norfolk", "Stat. neighbours", "England") and periods across the top: the rows
    # say where, so the measure is the table's caption.
    places = any(_roles(cell)[1] for row, numbers in parsed if numbers
                 for i, (cell, _) in enumerate(row.cells) if i not in numbers and cell.strip())
    headers, figures, in_data = _Headers(), [], False
    for row, numbers in parsed:
        texts = [c.strip() for c, _ in row.cells if c.strip()]
        if not numbers:
            if any(_FRACTION.match(c) for c in texts):
                continue  # "24 / 163": the counts under a percentage, not a header
            if in_data and (len(texts) <= 2 or any(_REF.match(c) for c in texts)):
                continue  # an indicator with no values yet, or a group label
            if in_data:
                headers, in_data = _Headers(), False
            headers.add(row)
            continue
        in_data = True
        label_at = _label_index(row, numbers)
        shift = 0
        if label_at is not None and label_column is not None and abs(label_column - label_at) <= 2:
            shift = label_column - label_at
        label = squash_cell(row.cells[label_at][0]) if label_at is not None else ""
        words = [c for i, (c, _) in enumerate(row.cells) if i not in numbers and c.strip()]
        row_periods = [p for c in words for p in find_periods(c, reported, caption)]
        for index, number in numbers.items():
            if label_at is not None and index < label_at:
                continue  # an area or reference column before the label
            column_texts = headers.column(index + shift)
            column = " / ".join(column_texts)
            column_periods = [p for text in reversed(column_texts) for p in find_periods(text, reported, caption)]
            metric = label
            if column_periods:
                period = column_periods[0]
                if caption and (places or not label):  # a row of a place, or of nothing: the caption names it
                    metric = caption
            elif row_periods:  # periods down the side, measures across the top
                period = row_periods[0]
                metric = next((t for t in column_texts if not find_periods(t)), label)
            else:
                period = None
            role, geography = _roles(column_texts[-1] if column_texts else "")
            if role == "value" and geography is None and len(column_texts) > 1:
                role, geography = _roles(column_texts[0])
            if role == "value" and geography is None and places:
                role, geography = _roles(" ".join(words))  # the row's place ("England 12/13")
            unit = number.unit or _unit_from_words(" ".join(words) if not row_periods else "", metric, column,
                                                   caption) or "count"
            figures.append(TableFigure(number, squash_cell(metric), column, period, unit, geography, role, caption,
                                       row.start, row.end))
    return figures


_TOTAL = re.compile(r"^(?:(?:grand|net|sub)[\s-]?)?totals?(?:\s*\(?(?:net|gross)\)?)?$|^(?:all\s+)?others?$", re.I)


def total_label(label: str, labels: list[str], caption: str) -> str:
    """A "Total" or "Other" row named by what it totals: the words most of the table's other row labels
    share ("Total business rates"), else the table's caption; any other label as printed."""
    if not _TOTAL.match(label.strip()):
        return label
    others = [set(re.findall(r"[a-z]+", other.lower())) for other in labels if not _TOTAL.match(other.strip())]
    shared = [w for w in re.findall(r"[a-z]+", " ".join(o for o in labels if not _TOTAL.match(o.strip())).lower())
              if len(w) > 2 and sum(w in words for words in others) * 3 >= 2 * len(others)]
    qualifier = " ".join(dict.fromkeys(shared)) if len(others) >= 2 else ""
    return f"{label} {qualifier or caption}".strip()


def squash_cell(cell: str) -> str:
    return " ".join(cell.replace("*", " ").split()).strip(" :-")


_SPACED_ROW = re.compile(r"^(?P<label>\S.*?[A-Za-z)].*?)\s+(?P<values>(?:[-–(£]?\d[\d,.]*\)?%?\s+){1,}[-–(£]?\d[\d,.]*\)?%?)"
                         r"(?P<tail>(?:\s+[A-Z]{1,3}[+-]?)*)\s*$")


def spaced_row(line: str) -> tuple[str, list[tuple[str, int]]] | None:
    """A PDF table row printed with spaces: its label and its number tokens with offsets in ``line``."""
    match = _SPACED_ROW.match(line)
    if not match or len(match.group("label").split()) > 10 or match.group("label").rstrip().endswith((",", ";")):
        return None
    tokens, cursor = [], match.start("values")
    for token in match.group("values").split():
        at = line.index(token, cursor)
        tokens.append((token, at))
        cursor = at + len(token)
    return match.group("label").strip(), tokens


def spaced_header(line: str) -> list[str] | None:
    """A header line of dates, periods or units only ("31/03/2024 2024-25 30/09/2024", "£m £m %")."""
    tokens = line.split()
    if not tokens or (len(tokens) == 1 and tokens[0].isalpha()):
        return None  # one word ("weeks") is a wrapped line of prose, not a header
    if all(find_periods(t) or _MONEY_TOKEN.match(t) for t in tokens):
        return tokens
    return None


def spaced_table(lines: list[tuple[str, int]], caption: str, reported: str | None) -> list[TableFigure]:
    """Figures of a run of space-separated rows, with the date and unit header lines above them; a line of
    words between rows is the start of the next row's label, wrapped."""
    period_header: list[str] | None = None
    unit_header: list[str] | None = None
    figures, wrapped, seen_row, under_header = [], "", False, False
    for line, start in lines:
        header = spaced_header(line)
        if header is not None:
            if any(find_periods(t) for t in header):
                period_header = header
            elif under_header and unit_header and len(header) <= len(unit_header):
                # a header printed over several lines ("Balance", "£m"; "Rate" over "%", right-aligned)
                keep = len(unit_header) - len(header)
                unit_header = unit_header[:keep] + [f"{a} {b}" for a, b in zip(unit_header[keep:], header)]
            else:
                unit_header = header
            under_header = True
            continue
        under_header = False
        row = spaced_row(line)
        if row is None:
            wrapped = squash_cell(line) if seen_row else ""
            continue
        label, tokens = row
        label, wrapped, seen_row = f"{wrapped} {label}".strip(), "", True
        for position, (token, at) in enumerate(tokens):
            number = parse_cell(token)
            if number is None:
                continue
            number = Number(number.text, number.value, number.unit, start + at, start + at + len(token))
            column = ""
            period = None
            if period_header and len(period_header) >= len(tokens):
                column = period_header[position]
                found = find_periods(column, reported, caption)
                period = found[0] if found else None
            unit = number.unit
            if unit is None and unit_header and len(unit_header) >= len(tokens):
                unit = _unit_from_words(unit_header[position])
            unit = unit or _unit_from_words(label, caption) or "count"
            figures.append(TableFigure(number, label, column, period, unit, None, "value", caption,
                                       start, start + len(line)))
    return figures
