"""Records the service returns internally: hits, citations, answers (API schemas live in qa/api)."""

from __future__ import annotations

from dataclasses import dataclass, field


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


@dataclass(frozen=True)
class SearchResult:
    """Hits for a query, with what the query was understood to mean."""

    query: str
    hits: tuple[Hit, ...]
    took_ms: float
    expansions: tuple[str, ...] = ()
    date_hint: str | None = None
    message: str | None = None
