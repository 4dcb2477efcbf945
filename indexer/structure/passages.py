"""Cut sections into passages that fit the embedding model's window, with citable spans."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable

from indexer.records import Block, ParagraphSpan, Passage
from indexer.structure.sentences import SENTENCE_END

if TYPE_CHECKING:  # the parser imports this module; the draft type is only annotation
    from indexer.structure.blocks import SectionDraft

TokenCounter = Callable[[str], int]


@dataclass(frozen=True)
class PassageBudget:
    """Size limits for one passage.

    Attributes:
        max_tokens: Word pieces for the passage's header plus text (the model's
            window less its special tokens and room for the context header).
        max_chars: A ceiling on characters, so passages stay quotable.
        min_tokens: Passages smaller than this merge into a neighbour.
        overlap_tokens: A split paragraph repeats its last sentence if it is
            no longer than this.
    """

    max_tokens: int = 200
    max_chars: int = 1200
    min_tokens: int = 24
    overlap_tokens: int = 40


@dataclass(frozen=True)
class _Unit:
    start: int
    end: int
    tokens: int
    block: Block
    split: bool  # a piece of a block that did not fit whole


def _pieces(source: str, start: int, end: int, pattern: re.Pattern[str]) -> list[tuple[int, int]]:
    spans, cursor = [], start
    for match in pattern.finditer(source, start, end):
        if match.start() > cursor:
            spans.append((cursor, match.start()))
        cursor = match.end()
    if cursor < end:
        spans.append((cursor, end))
    return [(a, b) for a, b in spans if source[a:b].strip()]


def _words(source: str, start: int, end: int) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(r"\S+", source[start:end])]


class _Cutter:
    def __init__(self, source: str, count: TokenCounter, budget: PassageBudget) -> None:
        self.source, self.count, self.budget = source, count, budget

    def fits(self, start: int, end: int, tokens: int) -> bool:
        return tokens <= self.budget.max_tokens and end - start <= self.budget.max_chars

    def units(self, block: Block) -> list[_Unit]:
        """A block as one unit if it fits, else as lines, sentences, then words."""
        tokens = self.count(self.source[block.char_start:block.char_end])
        if self.fits(block.char_start, block.char_end, tokens):
            return [_Unit(block.char_start, block.char_end, tokens, block, False)]
        room = self.budget.max_tokens - self.count(block.lead_in) - 4
        out: list[_Unit] = []
        for a, b in _pieces(self.source, block.char_start, block.char_end, re.compile(r"\n")):
            out.extend(self._fit(block, a, b, room, SENTENCE_END))
        return out

    def _fit(self, block: Block, start: int, end: int, room: int, pattern: re.Pattern[str]) -> list[_Unit]:
        tokens = self.count(self.source[start:end])
        if tokens <= room and end - start <= self.budget.max_chars // 2:
            return [_Unit(start, end, tokens, block, True)]
        pieces = _pieces(self.source, start, end, pattern) if pattern is not None else []
        if len(pieces) > 1:
            return [u for a, b in pieces for u in self._fit(block, a, b, room, pattern)]
        words = [(start + a, start + b) for a, b in _words(self.source, start, end)]
        out, first = [], 0
        while first < len(words):  # a run-on sentence: cut at words
            last = first
            while last + 1 < len(words) and self.count(self.source[words[first][0]:words[last + 1][1]]) <= room \
                    and words[last + 1][1] - words[first][0] <= self.budget.max_chars // 2:
                last += 1
            a, b = words[first][0], words[last][1]
            out.append(_Unit(a, b, self.count(self.source[a:b]), block, True))
            first = last + 1
        return out


def _header(units: list[_Unit]) -> str:
    block = units[0].block
    if block.lead_in and block.header_end is not None and units[0].start > block.header_end:
        return block.lead_in
    return ""


def paragraph_numbers(blocks: list[Block]) -> dict[int, str | None]:
    """The printed paragraph each block belongs to, by block id.

    A numbered block gives its number; a bullet list, table or unnumbered paragraph after it
    carries on the same paragraph (papers continue "2.3" with bullets, a table or a page
    turn); a heading ends the run.
    """
    numbers: dict[int, str | None] = {}
    carried: str | None = None
    for block in blocks:
        if block.kind == "heading":
            carried = None
        elif block.paragraph_no:
            carried = block.paragraph_no
        numbers[id(block)] = block.paragraph_no or (carried if block.kind != "heading" else None)
    return numbers


def cut_passages(source: str, sections: list["SectionDraft"], part_ordinal: int, count: TokenCounter,
                 budget: PassageBudget) -> list[Passage]:
    """Pack each section's blocks into passages; a passage never leaves its section.

    Ordinals and pages are left at 0/None; the parser fills them in.
    """
    cutter = _Cutter(source, count, budget)
    passages: list[Passage] = []
    for section in sections:
        numbers = paragraph_numbers(section.blocks)
        groups: list[list[_Unit]] = []
        current: list[_Unit] = []
        for block in section.blocks:
            for unit in cutter.units(block):
                if current:
                    tokens = sum(u.tokens for u in current) + unit.tokens + cutter.count(_header(current))
                    mixed = current[-1].block.boilerplate != unit.block.boilerplate
                    if mixed or not cutter.fits(current[0].start, unit.end, tokens):
                        groups.append(current)
                        carry = current[-1]
                        overlap = (carry.split and unit.split and carry.block is unit.block
                                   and carry.tokens <= budget.overlap_tokens and len(current) > 1
                                   and cutter.fits(carry.start, unit.end, carry.tokens + unit.tokens + cutter.count(unit.block.lead_in)))
                        current = [carry] if overlap else []
                current.append(unit)
        if current:
            groups.append(current)
        if len(groups) > 1 and sum(u.tokens for u in groups[-1]) < budget.min_tokens:
            merged = groups[-2] + [u for u in groups[-1] if u not in groups[-2]]
            tokens = sum(u.tokens for u in merged) + cutter.count(_header(merged))
            if cutter.fits(merged[0].start, merged[-1].end, tokens) and merged[0].block.boilerplate == merged[-1].block.boilerplate:
                groups[-2:] = [merged]
        for group in groups:
            passages.append(_to_passage(source, section, group, part_ordinal, cutter, numbers))
    return passages


def _spans(units: list[_Unit], numbers: dict[int, str | None]) -> tuple[ParagraphSpan, ...]:
    spans: list[ParagraphSpan] = []
    for unit in units:
        number = numbers.get(id(unit.block))
        if not number:
            continue
        if spans and spans[-1].number == number:
            spans[-1] = ParagraphSpan(number, spans[-1].char_start, unit.end)
        else:
            spans.append(ParagraphSpan(number, unit.start, unit.end))
    return tuple(spans)


def _to_passage(source: str, section: "SectionDraft", units: list[_Unit], part_ordinal: int, cutter: _Cutter,
                block_numbers: dict[int, str | None]) -> Passage:
    start, end = units[0].start, units[-1].end
    header = _header(units)
    spans = _spans(units, block_numbers)
    numbers = list(dict.fromkeys(span.number for span in spans))
    kinds = {u.block.kind for u in units}
    text = source[start:end]
    return Passage(
        ordinal=0, text=text, char_start=start, char_end=end, part_ordinal=part_ordinal,
        section_path=section.heading_path, paragraph_nos=tuple(numbers), page=None,
        kind="table" if "table" in kinds else "text", header=header,
        boilerplate=all(u.block.boilerplate for u in units),
        token_count=cutter.count(text) + (cutter.count(header) if header else 0), paragraph_spans=spans,
    )
