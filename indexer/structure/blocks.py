"""Group a part's lines into headed sections and blocks (paragraphs, lists, tables)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from indexer.records import Block
from indexer.structure.boilerplate import is_boilerplate_block
from indexer.structure.lines import LineInfo, classify, looks_like_title
from indexer.structure.text import Line, plain_text, squash

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


def build_sections(source: str, lines: list[Line], part_start: int, part_end: int) -> list[SectionDraft]:
    """Build the sections of one part from its lines (a contiguous run of the source)."""
    builder = _Builder(source, part_start)
    infos = [classify(line) for line in lines]
    for i, (line, info) in enumerate(zip(lines, infos)):
        previous_blank = i == 0 or infos[i - 1].kind == "blank"
        kind = info.kind
        if kind == "text" and info.number is None and previous_blank and i + 1 < len(lines) and infos[i + 1].kind == "blank":
            nxt = next((lines[j] for j in range(i + 1, len(lines)) if infos[j].kind != "blank"), None)
            title = squash(plain_text(line.text))
            if looks_like_title(title) and nxt is not None and not looks_like_title(squash(plain_text(nxt.text))):
                kind, info = "heading", LineInfo("heading", None, title.rstrip(":"), 0)
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
