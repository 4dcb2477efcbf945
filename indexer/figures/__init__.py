"""Figures as data: every number a paper reports, with its metric, unit, period and citation.

Tables give a figure's row label, column header and the period either prints; sentences give
the phrase that names it and the period printed nearest. Each figure is cited like a passage:
the passage holding it, its item, paragraph and page, and the character span of the number.
"""

from __future__ import annotations

import re
from datetime import date

from indexer.citation import cite
from indexer.figures.context import context_period, rolling
from indexer.figures.periods import Period, find_periods
from indexer.figures.sentences import lead_metric, sentence_figures
from indexer.figures.tables import (
    TableFigure,
    separated_table,
    spaced_header,
    spaced_row,
    spaced_table,
    split_row,
    squash_cell,
    total_label,
)
from indexer.records import Figure, ParsedDocument
from indexer.structure.lines import is_table_row
from indexer.structure.sentences import SENTENCE_END
from indexer.structure.text import Line, blank_markup, split_lines
from models.metrics import metric_name

__all__ = ["extract_figures"]


# A sentence's name for a figure that says only that it is one: the heading above says of what.
_VAGUE = re.compile(r"^(?:the\s+)?(?:(?:headline|latest|current|overall|this|a)\s+)?(?:figure|figures|performance|outturn|"
                    r"actual|position|increased?|decreased?|reduced|rose|fell|improvement)$", re.I)
_RULE = re.compile(r"^\s*\|?\s*:?-{3,}")


def _reported(doc: ParsedDocument, offset: int) -> str | None:
    """The date of the meeting the text at ``offset`` belongs to (its part's, else the paper's)."""
    for part in doc.parts:
        if part.char_start <= offset < part.char_end and part.meeting_date:
            return part.meeting_date
    return doc.meeting.meeting_date


def _caption(lines: list[Line], index: int) -> str:
    """The line naming the table that starts at ``lines[index]``: the nearest short line above it."""
    for line in reversed(lines[max(0, index - 4):index]):
        text = squash_cell(line.text)
        if text and not is_table_row(line.text):
            # the end of a sentence ("confirmed following receipt of ...") is not a title
            return text if len(text) <= 160 and not text[0].islower() else ""
    return ""


_NEW_UNIT = re.compile(r"\s*(?:[-–•●▪*➤►■]|\d+(?:\.\d+)+\.?\s|\(?[a-z]\)\s|\(?[ivx]{1,4}\)\s)")


def _sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentence spans of the prose ``text[start:end]``: a line break is a wrap unless the line ends a
    sentence (. ! ? : ;) or the next begins a bullet or numbered paragraph."""
    chunk = text[start:end]
    masked = re.sub(r"(?<=[^.!?:;\s])[ \t]*\n(?![ \t]*\n)",
                    lambda m: m.group(0) if _NEW_UNIT.match(chunk, m.end()) else " " * len(m.group(0)), chunk)
    spans, cursor = [], 0
    for match in SENTENCE_END.finditer(masked):
        spans.append((start + cursor, start + match.start()))
        cursor = match.end()
    spans.append((start + cursor, start + len(masked)))
    return [(s, e) for s, e in spans if text[s:e].strip()]


def _blocks(lines: list[Line]) -> list[tuple[str, int, int]]:
    """The text's runs of lines: ("separated", first, last) tables, ("spaced", ...) PDF tables and
    ("prose", ...) paragraphs; blank lines end a prose run but not a table."""
    blocks: list[tuple[str, int, int]] = []
    kind_of = []
    for line in lines:
        if line.is_blank:
            kind_of.append("blank")
        elif is_table_row(line.text) or ("\t" in line.text and kind_of and kind_of[-1] == "separated"):
            kind_of.append("separated")  # a row whose other cells wrapped onto lines of their own
        elif spaced_row(line.text) is not None or spaced_header(line.text) is not None:
            kind_of.append("spaced")
        else:
            kind_of.append("prose")
    for i in range(1, len(lines) - 1):
        # a row label wrapped onto a line of its own ("Retained business rates - baseline &") stays in its table
        if kind_of[i] == "prose" and kind_of[i - 1] == kind_of[i + 1] == "spaced" and len(lines[i].text.strip()) < 80 \
                and not re.search(r"\d|[.:]\s*$", lines[i].text):
            kind_of[i] = "spaced"
    i = 0
    while i < len(lines):
        kind = kind_of[i]
        if kind == "blank":
            i += 1
            continue
        j = i
        while j + 1 < len(lines) and (kind_of[j + 1] == kind or (kind != "prose" and kind_of[j + 1] == "blank"
                                                                  and j + 2 < len(lines) and kind_of[j + 2] == kind)):
            j += 1
        blocks.append((kind, i, j))
        i = j + 1
    return blocks


def _header_lines(lines: list[Line], first: int, most: int = 10) -> list[Line]:
    """The lines right above a space-separated table (its header, printed a word per line or not)."""
    above: list[Line] = []
    for line in reversed(lines[max(0, first - most):first]):
        if line.is_blank or line.text.rstrip().endswith((".", ":")) or spaced_row(line.text) is not None:
            break  # a row above belongs to the table above
        above.insert(0, line)
    return above


def _spaced_is_table(lines: list[Line]) -> bool:
    """A run of space-separated number rows is a table when it has two rows or a header line."""
    rows = [line for line in lines if spaced_row(line.text) is not None]
    headers = [line for line in lines if spaced_header(line.text) is not None and spaced_row(line.text) is None]
    return len(rows) >= 2 or (rows and headers)


def extract_figures(doc: ParsedDocument) -> list[Figure]:
    """Every figure printed in ``doc`` outside boilerplate, in source order."""
    text = blank_markup(doc.source.text)
    lines = split_lines(text)
    figures: list[Figure] = []
    for kind, first, last in _blocks(lines):
        run = [line for line in lines[first:last + 1] if not line.is_blank]
        reported = _reported(doc, run[0].start)
        if kind == "separated":
            rows = [split_row(line.text, line.start) for line in run if not _RULE.match(line.text)]
            figures.extend(_from_table(doc, separated_table(rows, _caption(lines, first), reported)))
            continue
        if kind == "spaced" and _spaced_is_table(run):
            above = _header_lines(lines, first)
            rows = [(line.text, line.start) for line in above + run]
            figures.extend(_from_table(doc, spaced_table(rows, _caption(lines, first - len(above)), reported)))
            continue
        figures.extend(_prose_figures(doc, text, run[0].start, run[-1].end))
    return figures


def _prose_figures(doc: ParsedDocument, text: str, start: int, end: int) -> list[Figure]:
    """The figures of a run of prose. A sentence's figure with no period of its own takes the widest period
    the paragraph printed before it ("Quarter 2 (Q2, 2024/25) ... Eight KPIs did not meet"), and "the 6
    months" ends on the date it printed last; a measure the bullet opens by naming names the figures later
    sentences give without naming them. A new bullet or numbered paragraph starts afresh."""
    figures: list[Figure] = []
    anchor = carried = lead = None
    for number, (first, last) in enumerate(_sentences(text, start, end)):
        line_start = text.rfind("\n", 0, first) + 1
        opens_line = not text[line_start:first].strip()
        reported = _reported(doc, first)
        if number == 0 or opens_line and _NEW_UNIT.match(text, first):
            anchor = carried = None
            lead = lead_metric(text[first:last], reported)
        for found in sentence_figures(text[first:last], first, reported, opens_line, anchor, lead):
            # A benchmark (national, statistical neighbours) printed without a period is not of the report's period.
            inherit = not found.annual and found.geography is None
            period = found.period or (carried if inherit else None)
            figure = _cited(doc, found.number.char_start, dict(
                metric_printed=found.metric, value=found.number.value, value_text=found.number.text,
                unit=found.unit, period=period, geography=found.geography, comparator=None,
                role="value", kind="sentence", table=None, row=None, column=None,
                char_start=found.number.char_start, char_end=found.number.char_end,
                context_start=found.sentence_start, context_end=found.sentence_end), inherit=inherit)
            if figure is not None:
                figures.append(figure)
        dated = [p for p in find_periods(text[first:last], reported) if p.start and p.end]
        if dated:
            anchor = dated[-1]
            carried = max(dated, key=lambda p: date.fromisoformat(p.end) - date.fromisoformat(p.start))
    return figures


def _from_table(doc: ParsedDocument, found: list[TableFigure]) -> list[Figure]:
    """Table figures as records; a row's values carry the row's target as their comparator."""
    targets = {f.row_start: f for f in found if f.role == "target"}
    labels = list(dict.fromkeys(f.row_label for f in found if f.row_label))
    out = []
    for cell in found:
        target = targets.get(cell.row_start)
        comparator = f"target {target.number.text}" if target is not None and cell.role == "value" else None
        printed = total_label(cell.row_label, labels, cell.caption) or cell.column
        if cell.row_label and cell.column and cell.period is None and cell.role == "value" \
                and cell.geography is None and not _is_period_words(cell.column):
            printed = f"{printed} ({cell.column})"
        figure = _cited(doc, cell.number.char_start, dict(
            metric_printed=printed, value=cell.number.value, value_text=cell.number.text, unit=cell.unit,
            period=cell.period, geography=cell.geography, comparator=comparator, role=cell.role, kind="table",
            table=cell.caption or None, row=cell.row_label or None, column=cell.column or None,
            char_start=cell.number.char_start, char_end=cell.number.char_end,
            context_start=cell.row_start, context_end=cell.row_end), inherit=cell.geography is None)
        if figure is not None:
            out.append(figure)
    return out


def _is_period_words(text: str) -> bool:
    return bool(re.search(r"\b(?:ytd|year to date|previous|last|current|month|quarter|year)\b", text, re.I))


def _cited(doc: ParsedDocument, offset: int, fields: dict, inherit: bool = True) -> Figure | None:
    """The figure with its citation, or None where no indexed passage holds it (boilerplate, furniture).
    A figure with no period takes its table's, section's or item's unless ``inherit`` is false."""
    citation = cite(doc, offset)
    if citation is None or citation.passage.boilerplate:
        return None
    if fields["kind"] == "sentence" and _VAGUE.match(fields["metric_printed"]) and citation.passage.section_path:
        # "Sept 2020 figure is 1103" under the heading "Children in Care trajectories"
        fields["metric_printed"] = f"{fields['metric_printed']} ({squash_cell(citation.passage.section_path[-1])})"
    period: Period | None = fields.pop("period")
    if period is None and inherit:
        period = context_period(doc, citation.passage, fields.get("table"))
    period = rolling(period, fields["metric_printed"], fields.get("table"), fields.get("column"),
                     doc.source.text[fields["context_start"]:fields["context_end"]])
    printed = fields["metric_printed"]
    return Figure(metric=metric_name(printed), period=period.text if period else None,
                  period_start=period.start if period else None, period_end=period.end if period else None,
                  passage_ordinal=citation.passage.ordinal, paragraph=citation.paragraph, page=citation.page,
                  **fields)
