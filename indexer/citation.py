"""What a sentence at a source offset is cited as: its item, the paragraph that holds it, and its page."""

from __future__ import annotations

import bisect
from dataclasses import dataclass

from indexer.records import PageSpan, ParsedDocument, Passage


@dataclass(frozen=True)
class Citation:
    """Where one offset of a paper sits, as an officer would quote it."""

    passage: Passage
    item_number: str | None
    paragraph: str | None
    page: int | None


def page_at(pages: tuple[PageSpan, ...], offset: int) -> int | None:
    """The printed page holding ``offset``, when the format has real pages (PDF)."""
    starts = [page.char_start for page in pages]
    index = bisect.bisect_right(starts, offset) - 1
    return pages[index].page if index >= 0 and offset < pages[index].char_end + 2 else None


def cite(doc: ParsedDocument, offset: int) -> Citation | None:
    """The citation of the text at ``offset``: the passage that holds it (a non-boilerplate one
    where two overlap), its part's item number, the paragraph holding the offset, and the page."""
    holding = [p for p in doc.passages if p.char_start <= offset < p.char_end]
    if not holding:
        return None
    passage = min(holding, key=lambda p: (p.boilerplate, p.char_end - p.char_start))
    part = next((part for part in doc.parts if part.ordinal == passage.part_ordinal), None)
    page = page_at(doc.source.pages, offset) if doc.source.pages else passage.page
    return Citation(passage, part.item_number if part else None, passage.paragraph_at(offset), page)
