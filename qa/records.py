"""Records the service returns internally: hits, citations, answers (API schemas live in qa/api)."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from indexer.records import ParagraphSpan, paragraph_at
from indexer.store.rows import StoredPassage
from indexer.structure.display import display_text
from indexer.structure.text import MappedText

# Parts that are agenda items, so their title is the item's title.
ITEM_PARTS = ("report", "minutes", "appendix")


@dataclass(frozen=True)
class Highlight:
    """A span of text worth marking (a hit's display text, an answer sentence): a term, a figure or a date."""

    start: int
    end: int
    kind: str  # "term", "figure", "date"


@dataclass(frozen=True)
class Location:
    """Where a passage sits: what an officer needs to quote it."""

    passage_id: int
    document_id: int
    source_file: str
    title: str
    body: str | None
    meeting_date: str | None
    kind: str
    part_kind: str
    item_number: str | None
    item_title: str | None
    section_path: tuple[str, ...]
    paragraph: str | None
    page: int | None
    char_start: int
    char_end: int
    paragraph_spans: tuple[ParagraphSpan, ...] = ()

    @property
    def paragraphs(self) -> tuple[str, ...]:
        """Every printed paragraph the passage holds, in order."""
        return tuple(dict.fromkeys(span.number for span in self.paragraph_spans)) or \
            ((self.paragraph,) if self.paragraph else ())

    def paragraph_at(self, offset: int) -> str | None:
        """The printed paragraph holding source offset ``offset``; the passage's first when unknown."""
        return paragraph_at(self.paragraph_spans, offset) or self.paragraph

    @classmethod
    def of(cls, passage: StoredPassage) -> Location:
        """Where a stored passage sits; it is cited by its first printed paragraph."""
        return cls(
            passage_id=passage.id, document_id=passage.document_id, source_file=passage.source_file,
            title=passage.title, body=passage.body, meeting_date=passage.meeting_date, kind=passage.document_kind,
            part_kind=passage.part_kind, item_number=passage.item_number,
            item_title=passage.part_title if passage.part_kind in ITEM_PARTS else None,
            section_path=passage.section_path, paragraph=passage.paragraph_nos[0] if passage.paragraph_nos else None,
            page=passage.page, char_start=passage.char_start, char_end=passage.char_end,
            paragraph_spans=passage.paragraph_spans)


# The same passages come back query after query; a hit rebuilt with highlights keeps its display text.
_display = lru_cache(maxsize=8192)(display_text)


@dataclass(frozen=True)
class Hit:
    """One search result: a passage, its score and where else the same text appears.

    ``text`` is the passage's exact source slice (``location.char_start`` to ``char_end``);
    ``display`` is what a person reads, and what ``highlights`` index.
    """

    location: Location
    text: str
    header: str
    score: float
    highlights: tuple[Highlight, ...] = ()
    also_at: tuple[Location, ...] = ()
    signals: dict[str, float] = field(default_factory=dict)

    @cached_property
    def display(self) -> MappedText:
        """The passage as a person reads it: markup removed, wrapped lines joined, mapped to source offsets."""
        return _display(self.text, self.location.char_start)

    @classmethod
    def of(cls, passage: StoredPassage, score: float = 0.0) -> Hit:
        """A stored passage as a hit (unranked unless a score is given)."""
        return cls(Location.of(passage), passage.text, passage.header, score)


@dataclass(frozen=True)
class SearchResult:
    """Hits for a query, with what the query was understood to mean."""

    query: str
    hits: tuple[Hit, ...]
    took_ms: float
    expansions: tuple[str, ...] = ()
    date_hint: str | None = None
    message: str | None = None
