"""Parse a paper's text into its tree: meeting, agenda, parts, sections and passages."""

from __future__ import annotations

import bisect
from dataclasses import replace

from indexer.structure.passages import PassageBudget, TokenCounter, cut_passages
from indexer.records import ParsedDocument, Passage, Section, SourceText
from indexer.structure.agenda import AGENDA_HEADING, parse_agenda
from indexer.structure.blocks import build_sections
from indexer.structure.meeting import parse_meeting
from indexer.structure.parts import ITEM_NO, MINUTES_HEADING, REPORT_TITLE, find_parts
from indexer.structure.text import Line, plain_text, repair_lookalikes, split_lines
from models.tokens import approximate_token_count

def _ends_agenda(text: str) -> bool:
    return bool(MINUTES_HEADING.match(text) or ITEM_NO.match(text) or REPORT_TITLE.match(text))


def _agenda_lines(lines: list[Line]) -> list[Line]:
    start = next((i for i, l in enumerate(lines) if AGENDA_HEADING.match(plain_text(l.stripped).strip("# "))), None)
    if start is None:
        return []
    stop = next((i for i in range(start + 1, len(lines)) if _ends_agenda(plain_text(lines[i].stripped))), len(lines))
    return lines[start + 1:stop]


def parse_document(source: SourceText, count_tokens: TokenCounter = approximate_token_count,
                   budget: PassageBudget | None = None) -> ParsedDocument:
    """Parse one loaded paper. Pure: no disk, no model (the token counter is passed in).

    Args:
        source: The loaded text and its pages.
        count_tokens: Counts word pieces the way the embedding model will.
        budget: Passage size limits.

    Returns:
        The document tree; passage spans index ``source.text``.
    """
    budget = budget or PassageBudget()
    text = repair_lookalikes(source.text)
    lines = split_lines(text)
    meeting = parse_meeting(lines, text)
    agenda = parse_agenda(_agenda_lines(lines))
    parts, _ = find_parts(lines, agenda, meeting.kind, meeting.title, meeting.meeting_date)
    starts = [line.start for line in lines]
    page_starts = [p.char_start for p in source.pages]

    def page_at(offset: int) -> int | None:
        if not source.pages:
            return None
        index = bisect.bisect_right(page_starts, offset) - 1
        return source.pages[max(index, 0)].page

    sections: list[Section] = []
    passages: list[Passage] = []
    for part in parts:
        first = bisect.bisect_left(starts, part.char_start)
        last = bisect.bisect_left(starts, part.char_end)
        drafts = build_sections(text, lines[first:last], part.char_start, part.char_end)
        for draft in drafts:
            sections.append(Section(part.ordinal, draft.heading_path, draft.number, draft.char_start,
                                    draft.char_end, page_at(draft.char_start)))
        part_passages = cut_passages(text, drafts, part.ordinal, count_tokens, budget)
        for index, passage in enumerate(part_passages):
            page = page_at(passage.char_start) if source.pages else (part.start_page if index == 0 else None)
            passages.append(replace(passage, ordinal=len(passages), page=page))
    return ParsedDocument(source=replace(source, text=text), meeting=meeting, agenda=tuple(agenda),
                          parts=tuple(parts), sections=tuple(sections), passages=tuple(passages))
