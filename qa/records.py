"""Records the service returns internally: hits, citations, answers (API schemas live in qa/api)."""

from __future__ import annotations

from dataclasses import dataclass, field

from indexer.store.rows import StoredPassage

# Parts that are agenda items, so their title is the item's title.
ITEM_PARTS = ("report", "minutes", "appendix")


@dataclass(frozen=True)
class Highlight:
    """A span of a hit's text worth marking: a query term, a figure or a date."""

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

    @classmethod
    def of(cls, passage: StoredPassage) -> Location:
        """Where a stored passage sits; it is cited by its first printed paragraph."""
        return cls(
            passage_id=passage.id, document_id=passage.document_id, source_file=passage.source_file,
            title=passage.title, body=passage.body, meeting_date=passage.meeting_date, kind=passage.document_kind,
            part_kind=passage.part_kind, item_number=passage.item_number,
            item_title=passage.part_title if passage.part_kind in ITEM_PARTS else None,
            section_path=passage.section_path, paragraph=passage.paragraph_nos[0] if passage.paragraph_nos else None,
            page=passage.page, char_start=passage.char_start, char_end=passage.char_end)


@dataclass(frozen=True)
class Hit:
    """One search result: a passage, its score and where else the same text appears."""

    location: Location
    text: str
    header: str
    score: float
    highlights: tuple[Highlight, ...] = ()
    also_at: tuple[Location, ...] = ()
    signals: dict[str, float] = field(default_factory=dict)

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
