"""What the indexer produces: loaded sources, the parsed tree of a paper, its passages and people."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class PageSpan:
    """A printed page's character range in a source text (end exclusive)."""

    page: int
    char_start: int
    char_end: int


@dataclass(frozen=True)
class SourceText:
    """The decoded text of one source file, as loaded from disk.

    Attributes:
        source_file: File name relative to the corpus root (what citations show).
        text: The decoded text. Character spans of passages point into this string.
        sha256: Hex digest of the raw bytes, used for incremental indexing.
        media_type: One of "text", "markdown", "pdf", "html".
        encoding: The encoding the bytes were decoded with.
        pages: Printed pages with their spans when the format has real pages (PDF),
            otherwise empty.
        warnings: Things a person should know about the decode (fallback encoding,
            replacement characters, pages without a text layer).
    """

    source_file: str
    text: str
    sha256: str
    media_type: str
    encoding: str = "utf-8"
    pages: tuple[PageSpan, ...] = ()
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class LoadFailure:
    """A file that could not be loaded, with a reason a person can act on."""

    source_file: str
    reason: str


@dataclass(frozen=True)
class Meeting:
    """Meeting metadata read from a paper's cover; a field the paper does not print is None.

    Attributes:
        body: The committee, board or council the paper is for ("Cabinet").
        meeting_date: ISO date of the meeting, YYYY-MM-DD.
        venue: Where it met.
        kind: "agenda", "agenda_pack", "minutes", "report", "appendix", "supplement",
            "questions", "presentation", or "document" when the paper is not a council paper.
        title: A report's subject, or "Cabinet, 30 January 2025" for minutes and agendas.
        council: The council that published the paper ("Kent County Council").
        reference: A decision or reference number the paper prints ("24/00115").
    """

    body: str | None
    meeting_date: str | None
    venue: str | None
    kind: str
    title: str
    council: str | None = None
    reference: str | None = None


@dataclass(frozen=True)
class AgendaEntry:
    """One line of a paper's agenda: item number, title and the page it starts on."""

    number: str
    title: str
    page: int | None


@dataclass(frozen=True)
class Part:
    """A top-level part of a paper: the agenda, minutes, a report, an appendix.

    Attributes:
        ordinal: Position of the part in the document, from 0.
        kind: "cover", "agenda", "minutes", "report", "appendix", "presentation".
        title: Title as printed.
        item_number: Agenda item number ("9") where known.
        meeting_date: ISO date of the meeting the part belongs to (minutes of an
            earlier meeting carry that meeting's date).
        start_page: Printed page the part starts on, where the paper says so.
        responsible_director: "Responsible Director"/"Responsible Chief Officer".
        cabinet_member: "Responsible Cabinet Member" where given.
        char_start: Start of the part in the source text.
        char_end: End of the part (exclusive).
    """

    ordinal: int
    kind: str
    title: str
    item_number: str | None
    meeting_date: str | None
    start_page: int | None
    responsible_director: str | None
    cabinet_member: str | None
    char_start: int
    char_end: int


@dataclass(frozen=True)
class Section:
    """A headed section inside a part."""

    part_ordinal: int
    heading_path: tuple[str, ...]
    number: str | None
    char_start: int
    char_end: int
    page: int | None = None


@dataclass(frozen=True)
class Block:
    """A unit of body text: a paragraph, a bullet list with its lead-in, a table.

    Attributes:
        kind: "paragraph", "list", "table" or "heading".
        char_start: Start in the source text.
        char_end: End in the source text (exclusive).
        paragraph_no: The printed paragraph number ("8.4.3"), if any.
        lead_in: Context a split must repeat: a table's caption and header rows,
            or the lead-in sentence of a bullet list.
        header_end: For tables and lists, where the header rows / lead-in end in
            the source text (the rest are body rows or bullets).
        boilerplate: True for text repeated in every pack (notices, templates).
    """

    kind: str
    char_start: int
    char_end: int
    paragraph_no: str | None = None
    lead_in: str = ""
    header_end: int | None = None
    boilerplate: bool = False


@dataclass(frozen=True)
class ParagraphSpan:
    """Where a printed paragraph number applies inside the source text (end exclusive)."""

    number: str
    char_start: int
    char_end: int


def paragraph_at(spans: tuple[ParagraphSpan, ...], offset: int) -> str | None:
    """The printed number of the paragraph span holding source offset ``offset``, if any."""
    return next((span.number for span in spans if span.char_start <= offset < span.char_end), None)


@dataclass(frozen=True)
class Passage:
    """A section-bounded, citable chunk of a paper.

    ``text`` is the source text at ``[char_start, char_end)`` (the slice, as is);
    ``header`` is context that is not in the span but travels with the passage,
    such as a table's title and column headers repeated in every split.

    Attributes:
        ordinal: Position of the passage in its document, from 0.
        text: The source slice.
        char_start: Start in the source text.
        char_end: End in the source text (exclusive).
        part_ordinal: The part the passage belongs to.
        section_path: Headings from the part down to the passage's section.
        paragraph_nos: Printed paragraph numbers inside the passage, in order.
        paragraph_spans: Which paragraph each stretch of the passage belongs to, so that a
            sentence is cited by the paragraph that holds it, not the passage's first.
        page: Printed page of the passage's start, or None where it cannot be known.
        kind: "text" or "table".
        header: Repeated context (table title and header rows), may be empty.
        boilerplate: True when the passage is template text search should skip.
        token_count: Word pieces of header + text under the token counter used.
    """

    ordinal: int
    text: str
    char_start: int
    char_end: int
    part_ordinal: int
    section_path: tuple[str, ...]
    paragraph_nos: tuple[str, ...]
    page: int | None
    kind: str = "text"
    header: str = ""
    boilerplate: bool = False
    token_count: int = 0
    paragraph_spans: tuple[ParagraphSpan, ...] = ()

    def paragraph_at(self, offset: int) -> str | None:
        """The printed number of the paragraph holding source offset ``offset``, if it has one."""
        return paragraph_at(self.paragraph_spans, offset)


@dataclass(frozen=True)
class ParsedDocument:
    """A paper parsed into its tree: meeting, parts, sections and passages."""

    source: SourceText
    meeting: Meeting
    agenda: tuple[AgendaEntry, ...]
    parts: tuple[Part, ...]
    sections: tuple[Section, ...]
    passages: tuple[Passage, ...]


@dataclass(frozen=True)
class Person:
    """A person named in a membership or attendance list, with their post."""

    name: str
    role: str | None
    is_councillor: bool
    meeting_dates: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class Figure:
    """One number a paper reports, as data, with where it is printed.

    Attributes:
        metric: The measure's name, normalised ("number of looked after children").
        metric_printed: The words naming it as printed (row label, column header or phrase).
        value: The number, in ``unit`` ("£16.8m" is 16.8 in "£m"; "(3.2)" is -3.2).
        value_text: The number as printed.
        unit: "count", "%", "£", "£k", "£m", "£bn", "days", "weeks", "rate per 10,000"...
        period: The period as printed ("Apr-18", "2017-18", "30/09/2024"), or None.
        period_start: Its first day (YYYY-MM-DD), or None.
        period_end: Its last day, or None.
        geography: A breakdown where printed ("England", "statistical neighbours", a column's place).
        comparator: A target printed beside it ("target 55"), or None.
        role: "value", or "target"/"threshold" for a table's target and tolerance columns.
        kind: "table" or "sentence".
        table: The table's caption (tables only).
        row: The row label (tables) or None.
        column: The column header (tables) or None.
        char_start: Where the number is printed in the source text.
        char_end: Its end.
        context_start: The start of its row (tables) or sentence.
        context_end: Its end.
        passage_ordinal: The passage that holds it.
        paragraph: The printed paragraph number holding it, if any.
        page: The printed page, if known.
    """

    metric: str
    metric_printed: str
    value: float
    value_text: str
    unit: str
    period: str | None
    period_start: str | None
    period_end: str | None
    geography: str | None
    comparator: str | None
    role: str
    kind: str
    table: str | None
    row: str | None
    column: str | None
    char_start: int
    char_end: int
    context_start: int
    context_end: int
    passage_ordinal: int
    paragraph: str | None
    page: int | None
