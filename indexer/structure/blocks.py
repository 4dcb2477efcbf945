"""Group a part's lines into headed sections and blocks (paragraphs, lists, tables)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from indexer.records import Block
from indexer.structure.boilerplate import is_boilerplate_block
from indexer.structure.lines import LineInfo, classify, looks_like_title
from indexer.structure.text import Line, plain_text, squash

# "(Item 5)" on the line under a minute's title: how printed minutes tie a minute to its agenda item.
_ITEM_MARKER = re.compile(r"^\W*\(\s*Item\s+(\d{1,3}[A-Za-z]?)\s*\)\W*$", re.I)
_MINUTE_NUMBER = re.compile(r"^\s*(\d{1,4})\.\s+\S")
_NUMERIC_CELL = re.compile(r"^[\s£$€<>~≈+\-–]*[\d.,]+\s*(?:%|k|m|bn|days?)?\s*(?:\(\s*[\d.,]+%?\s*\))?$", re.I)


@dataclass
class SectionDraft:
    """A section being built: its heading path, number, span and blocks."""

    heading_path: tuple[str, ...]
    number: str | None
    char_start: int
    char_end: int = 0
    blocks: list[Block] = field(default_factory=list)


def _table_header_rows(rows: list[Line]) -> int:
    """How many leading rows of a table are headers (no numeric cells after the first)."""
    count = 0
    for row in rows[:3]:
        cells = [c.strip() for c in plain_text(row.text).strip().strip("|").replace("|", "\t").split("\t")]
        if any(_NUMERIC_CELL.match(c) for c in cells[1:] if c):
            break
        count += 1
    return count if 0 < count < len(rows) else min(1, len(rows) - 1)


def _cap(text: str, limit: int = 300) -> str:
    """Keep repeated context short enough to leave room for the passage itself."""
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " …"


def _make_block(kind: str, lines: list[Line], number: str | None, title: str | None) -> Block:
    texts = [line.text for line in lines]
    lead_in, header_end = "", None
    if kind == "table":
        body = [line for line in lines if not line.is_blank]
        n_header = _table_header_rows(body)
        header_rows = [squash(plain_text(line.text.replace("\t", " | "))) for line in body[:n_header]]
        lead_in = _cap("\n".join(([title] if title else []) + header_rows))
        header_end = body[n_header - 1].end if n_header else None
    elif kind == "list" and lines and not lines[0].text.lstrip().startswith(("-", "•", "*")):
        lead_in = _cap(squash(plain_text(lines[0].text)))
        header_end = lines[0].end
    return Block(kind=kind, char_start=lines[0].start, char_end=lines[-1].end, paragraph_no=number,
                 lead_in=lead_in, header_end=header_end, boilerplate=is_boilerplate_block(texts))


class _Builder:
    """Accumulates lines into blocks and sections for one part."""

    def __init__(self, source: str, part_start: int) -> None:
        self.source = source
        self.sections = [SectionDraft((), None, part_start)]
        self.stack: list[tuple[int, str, bool]] = []  # (level, title, numbered)
        self.kind: str | None = None
        self.lines: list[Line] = []
        self.number: str | None = None
        self.pending_number: tuple[str, list[Line]] | None = None
        self.blank_before = True

    def close(self) -> None:
        if self.lines:
            title = None
            if self.kind == "table":
                previous = self.sections[-1].blocks[-1] if self.sections[-1].blocks else None
                title = self._caption(previous)
            self.sections[-1].blocks.append(_make_block(self.kind or "paragraph", self.lines, self.number, title))
        self.kind, self.lines, self.number = None, [], None

    def _caption(self, previous: Block | None) -> str | None:
        if previous is None or previous.kind == "table":
            return None
        text = squash(plain_text(self._text_of(previous)))
        return text if len(text) <= 150 else None

    def _text_of(self, block: Block) -> str:
        return self.source[block.char_start:block.char_end]

    def start(self, kind: str, line: Line, number: str | None = None) -> None:
        self.close()
        self.kind, self.lines, self.number = kind, [line], number
        if self.pending_number:
            self.number = self.pending_number[0]
            self.lines = self.pending_number[1] + self.lines
            self.pending_number = None

    def flush_pending(self) -> None:
        """A paragraph number with no text after it still lands in a passage."""
        if self.pending_number:
            self.number, self.lines = self.pending_number
            self.kind, self.pending_number = "paragraph", None
            self.close()

    def heading(self, line: Line, info: LineInfo) -> None:
        self.close()
        self.flush_pending()
        level = info.level
        if level == 0:
            level = self.stack[-1][0] + 1 if self.stack and self.stack[-1][2] else 2
        while self.stack and self.stack[-1][0] >= level:
            self.stack.pop()
        self.stack.append((level, info.title, info.number is not None))
        carried: list[Block] = []
        previous = self.sections[-1]
        if previous.blocks and all(b.kind == "heading" for b in previous.blocks):
            # A heading with no body of its own travels with the next heading,
            # so that it does not become a passage of one line.
            carried = previous.blocks
            self.sections.pop()
        else:
            previous.char_end = line.start
        start = carried[0].char_start if carried else line.start
        self.sections.append(SectionDraft(tuple(t for _, t, _ in self.stack), info.number, start))
        self.sections[-1].blocks.extend(carried + [Block("heading", line.start, line.end)])


def minute_titles(lines: list[Line]) -> tuple[dict[int, LineInfo], set[int]]:
    """Minute titles marked by an "(Item N)" line under them ("76. Apologies" / "(Item 1)").

    Returns the heading each title's first line starts, and the lines (a wrapped title's
    second line, the marker) that belong to that heading. The minute's own number ("76")
    is its number; a title printed without one takes the item's.
    """
    headings: dict[int, LineInfo] = {}
    absorbed: set[int] = set()
    for index, line in enumerate(lines):
        marker = _ITEM_MARKER.match(line.text)
        if not marker:
            continue
        previous = [j for j in range(index - 1, max(index - 4, -1), -1) if not lines[j].is_blank][:2]
        if not previous:
            continue
        first = previous[0]
        if len(previous) == 2 and previous[1] == first - 1 and not _MINUTE_NUMBER.match(lines[first].text):
            above = lines[previous[1]].text.rstrip()
            if not above.endswith((".", ":", ";")) and (_MINUTE_NUMBER.match(above) or not lines[first].stripped[:1].isupper()):
                first = previous[1]  # a title wrapped over two lines
        title_lines = [lines[j] for j in range(first, index) if not lines[j].is_blank]
        title = squash(plain_text(" ".join(l.text for l in title_lines)))
        if not title or len(title) > 250 or title.endswith("."):
            continue
        number = _MINUTE_NUMBER.match(title)
        headings[first] = LineInfo("heading", number.group(1) if number else marker.group(1), title, 2)
        absorbed.update(j for j in range(first + 1, index + 1))
    return headings, absorbed


def build_sections(source: str, lines: list[Line], part_start: int, part_end: int) -> list[SectionDraft]:
    """Build the sections of one part from its lines (a contiguous run of the source)."""
    builder = _Builder(source, part_start)
    infos = [classify(line) for line in lines]
    minute_headings, absorbed = minute_titles(lines)
    for i, (line, info) in enumerate(zip(lines, infos)):
        if i in absorbed:  # the rest of a minute's title and its "(Item N)" marker
            last = builder.sections[-1].blocks[-1]
            builder.sections[-1].blocks[-1] = Block(last.kind, last.char_start, line.end)
            continue
        if i in minute_headings:
            builder.heading(line, minute_headings[i])
            builder.blank_before = False
            continue
        previous_blank = i == 0 or infos[i - 1].kind == "blank"
        kind = info.kind
        if kind == "text" and info.number is None and previous_blank and i + 1 < len(lines) and infos[i + 1].kind == "blank":
            nxt = next((lines[j] for j in range(i + 1, len(lines)) if infos[j].kind != "blank"), None)
            title = squash(plain_text(line.text))
            if looks_like_title(title) and nxt is not None and not looks_like_title(squash(plain_text(nxt.text))):
                kind, info = "heading", LineInfo("heading", None, title.rstrip(":"), 0)
        above = next((j for j in range(i - 1, -1, -1) if infos[j].kind != "blank"), None)
        after_minute_title = above in absorbed
        if kind == "heading" and after_minute_title and info.number is None:
            kind, info = "text", LineInfo("text")  # "No declarations of interest were received": the minute's body
        if kind == "heading" and info.number and not re.match(r"\s*(?:#|\*\*|<b>)", line.text):
            following = next((lines[j] for j in range(i + 1, min(i + 2, len(lines))) if not lines[j].is_blank), None)
            below = next((infos[j] for j in range(i + 1, min(i + 4, len(lines))) if infos[j].kind != "blank"), None)
            if following is not None and following.stripped[:1].islower():
                kind, info = "text", LineInfo("text", info.number)  # "1. Ms X introduced the" / "report.": prose
            elif "." in info.number and below is not None and below.number and below.kind in ("text", "heading") \
                    and not below.number.startswith(f"{info.number}."):
                # "10.4 The committee took a break" then "11. ...": a short paragraph, not a heading over 10.4.x
                kind, info = "text", LineInfo("text", info.number)
        if kind == "blank":
            builder.blank_before = True
            continue
        if kind == "heading":
            builder.heading(line, info)
        elif kind == "number":
            builder.close()
            builder.pending_number = (info.number or "", [line])
        elif kind == "table":
            if builder.kind != "table":
                builder.start("table", line)
            else:
                builder.lines.append(line)
        elif kind == "bullet":
            if builder.kind in ("paragraph", "list") and (not builder.blank_before or builder.kind == "list"
                                                        or builder.lines[-1].text.rstrip().endswith(":")):
                builder.kind = "list"
                builder.lines.append(line)
            else:
                builder.start("list", line)
        else:  # text
            continuation = builder.kind in ("paragraph", "list") and (
                not builder.blank_before or (line.text.lstrip()[:1].islower() and info.number is None))
            if info.number is None and continuation:
                builder.lines.append(line)
            else:
                builder.start("paragraph", line, info.number)
        builder.blank_before = False
    builder.close()
    builder.flush_pending()
    builder.sections[-1].char_end = part_end
    for section in builder.sections:
        if not section.char_end:
            section.char_end = part_end
    return [s for s in builder.sections if s.blocks]
