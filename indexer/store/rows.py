"""Records read back from a stored index: passages with their citation fields, documents, parts, directories."""

from __future__ import annotations

from dataclasses import dataclass

from indexer.records import AgendaEntry, Figure, ParagraphSpan


@dataclass(frozen=True)
class StoredPassage:
    """A passage as stored, with what its document and part say about where it sits.

    Attributes:
        meeting_date: The part's meeting date (minutes of an earlier meeting) or the document's.
        document_kind: The paper's kind ("agenda_pack", "presentation"...).
        part_kind: The part's kind ("report", "minutes", "appendix", "cover"...).
        part_title: The part's title as printed.
        context: The context header embedded with the passage (body, date, item, section).
        vector: The passage's float32 embedding, as stored.
        fingerprint: Hash of the normalised text; equal for verbatim repeats.
        paragraph_spans: Which printed paragraph each stretch of the text belongs to.
    """

    id: int
    document_id: int
    ordinal: int
    source_file: str
    title: str
    body: str | None
    meeting_date: str | None
    document_kind: str
    part_kind: str
    item_number: str | None
    part_title: str | None
    section_path: tuple[str, ...]
    paragraph_nos: tuple[str, ...]
    page: int | None
    char_start: int
    char_end: int
    text: str
    header: str
    context: str
    vector: bytes
    fingerprint: str
    paragraph_spans: tuple[ParagraphSpan, ...] = ()


@dataclass(frozen=True)
class DocumentSummary:
    """One indexed paper, as the library lists it."""

    id: int
    title: str
    source_file: str
    body: str | None
    meeting_date: str | None
    kind: str
    media_type: str
    passages: int
    council: str | None = None
    reference: str | None = None


@dataclass(frozen=True)
class StoredSection:
    """A section of a part, with the first passage that starts inside it."""

    heading_path: tuple[str, ...]
    number: str | None
    page: int | None
    first_passage_id: int | None


@dataclass(frozen=True)
class StoredPart:
    """A part of a paper (agenda, minutes, a report) with its sections."""

    id: int
    ordinal: int
    kind: str
    title: str
    item_number: str | None
    meeting_date: str | None
    start_page: int | None
    responsible_director: str | None
    cabinet_member: str | None
    sections: tuple[StoredSection, ...]


@dataclass(frozen=True)
class DocumentOutline:
    """A paper's metadata, agenda and outline."""

    id: int
    title: str
    source_file: str
    body: str | None
    meeting_date: str | None
    venue: str | None
    kind: str
    council: str | None
    reference: str | None
    media_type: str
    sha256: str
    warnings: tuple[str, ...]
    agenda: tuple[AgendaEntry, ...]
    parts: tuple[StoredPart, ...]


@dataclass(frozen=True)
class EntitySummary:
    """An entity with how many passages mention it."""

    id: int
    label: str
    name: str
    mentions: int


@dataclass(frozen=True)
class StoredPerson:
    """A person merged over the index, with their meetings and the papers that list them."""

    id: int
    name: str
    role: str | None
    is_councillor: bool
    meetings: tuple[str, ...]
    documents: tuple[str, ...]


@dataclass(frozen=True)
class StoredMetric:
    """A series of figures of one measure: its name, unit, keys and the span of its periods."""

    id: int
    name: str
    unit: str
    keys: tuple[str, ...]
    figures: int
    documents: int
    first_period: str | None
    last_period: str | None


@dataclass(frozen=True)
class StoredFigure(Figure):
    """A figure as stored: the extracted record plus its id, the words around it, and the paper and item
    it is printed in."""

    id: int
    context: str
    passage_id: int
    document_id: int
    source_file: str
    title: str
    body: str | None
    meeting_date: str | None
    council: str | None
    document_kind: str
    item_number: str | None
