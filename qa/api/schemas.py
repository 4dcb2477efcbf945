"""API request and response schemas, kept apart from the internal records."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, Field

from indexer.structure.display import display_text
from indexer.structure.text import MappedText
from qa.answer import AnswerSentence, MeetingDigest
from qa.figure_text import cite_figure
from qa.records import Highlight, Hit, Location, SearchResult

if TYPE_CHECKING:
    from indexer.store.rows import StoredFigure, StoredMetric
    from qa.service import Answer, FigureSeries


class DocumentRef(BaseModel):
    id: int
    title: str
    source_file: str = Field(description="File name under corpus/")
    body: str | None
    meeting_date: str | None
    kind: str


class ItemRef(BaseModel):
    number: str | None
    title: str | None


class HighlightOut(BaseModel):
    start: int = Field(description="Offset into the text it marks (a hit's `display_text`, an answer sentence)")
    end: int
    kind: str = Field(description="term, figure or date")
    char_start: int | None = Field(default=None, description="For a hit: where the marked words start in the source")
    char_end: int | None = Field(default=None, description="For a hit: where they end in the source (exclusive)")


class LocationOut(BaseModel):
    passage_id: int
    source_file: str
    meeting_date: str | None
    item: ItemRef | None
    section_path: list[str]
    paragraph: str | None
    page: int | None
    char_start: int
    char_end: int
    citation: str = Field(description="The location as a person quotes it")


class HitOut(BaseModel):
    passage_id: int
    text: str = Field(description="The exact source text from `char_start` to `char_end`, markup and all")
    display_text: str = Field(description="The passage as a person reads it: markup removed, wrapped lines joined")
    header: str = Field(description="Context repeated from the table or list the passage continues, as read")
    highlights: list[HighlightOut] = Field(description="Spans of `display_text` worth marking")
    score: float
    document: DocumentRef
    item: ItemRef | None
    section_path: list[str]
    paragraph: str | None
    page: int | None = Field(description="Printed page, or null where the paper does not say")
    char_start: int
    char_end: int
    citation: str = Field(description="How an officer would cite it")
    also_at: list[LocationOut]


class SearchOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"example": {
        "query": "EHCP 20 week timescale", "took_ms": 12.3, "expansions": ["Education, Health and Care Plan"],
        "date_hint": None, "message": None, "results": []}})
    query: str
    took_ms: float
    expansions: list[str]
    date_hint: str | None
    message: str | None
    results: list[HitOut]


class AskIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"example": {
        "question": "how many looked after children were there in April 2018?", "k": 5}})
    question: str = Field(min_length=1, max_length=1000)
    k: int = Field(default=5, ge=1, le=100)
    body: str | None = Field(default=None, max_length=200)
    date_from: str | None = Field(default=None, pattern=r"^\d{4}-\d{2}-\d{2}$")
    date_to: str | None = Field(default=None, pattern=r"^\d{4}-\d{2}-\d{2}$")
    kind: str | None = Field(default=None, max_length=50)
    person: str | None = Field(default=None, max_length=200)


class AnswerSentenceOut(BaseModel):
    text: str
    citations: list[int] = Field(description="1-based positions in `citations`")
    paragraph: str | None = Field(description="The printed paragraph of the cited passage that holds this sentence")
    highlights: list[HighlightOut]


class StatementOut(BaseModel):
    text: str
    speaker: str | None
    person: str | None
    location: LocationOut


class DigestOut(BaseModel):
    meeting_date: str | None
    body: str | None
    source_file: str
    statements: list[StatementOut]


class AskOut(BaseModel):
    question: str
    took_ms: float
    message: str | None
    answer: list[AnswerSentenceOut]
    citations: list[HitOut]
    digest: list[DigestOut]


class ErrorOut(BaseModel):
    model_config = ConfigDict(json_schema_extra={"example": {"error": "bad_query", "detail": "the query is empty"}})
    error: str
    detail: str


def _item(location: Location) -> ItemRef | None:
    if location.part_kind not in ("report", "minutes", "appendix"):
        return None
    return ItemRef(number=location.item_number, title=location.item_title)


def citation_text(location: Location) -> str:
    """'Children's Services Committee, 10 July 2018, Item 8, para 4.4.1, p. 19'."""
    from indexer.context import human_date

    pieces = [location.body or location.title, human_date(location.meeting_date)]
    if location.part_kind == "minutes":
        pieces.append("minutes" + (f" (item {location.item_number})" if location.item_number else ""))
    elif location.item_number:
        pieces.append(f"Item {location.item_number}" + (" appendix" if location.part_kind == "appendix" else ""))
    paragraphs = location.paragraphs
    if len(paragraphs) > 1:
        pieces.append(f"paras {paragraphs[0]}–{paragraphs[-1]}")
    elif paragraphs:
        pieces.append(f"para {paragraphs[0]}")
    if location.page:
        pieces.append(f"p. {location.page}")
    return ", ".join(p for p in pieces if p)


def location_out(location: Location) -> LocationOut:
    return LocationOut(passage_id=location.passage_id, source_file=location.source_file,
                       meeting_date=location.meeting_date, item=_item(location),
                       section_path=list(location.section_path), paragraph=location.paragraph, page=location.page,
                       char_start=location.char_start, char_end=location.char_end, citation=citation_text(location))


def _highlight_out(highlight: Highlight, display: MappedText) -> HighlightOut:
    char_start, char_end = display.source_span(highlight.start, highlight.end)
    return HighlightOut(start=highlight.start, end=highlight.end, kind=highlight.kind,
                        char_start=char_start, char_end=char_end)


def hit_out(hit: Hit) -> HitOut:
    loc = hit.location
    return HitOut(
        passage_id=loc.passage_id, text=hit.text, display_text=hit.display.text,
        header=display_text(hit.header).text if hit.header else "",
        highlights=[_highlight_out(h, hit.display) for h in hit.highlights],
        score=hit.score,
        document=DocumentRef(id=loc.document_id, title=loc.title, source_file=loc.source_file, body=loc.body,
                             meeting_date=loc.meeting_date, kind=loc.kind),
        item=_item(loc), section_path=list(loc.section_path), paragraph=loc.paragraph, page=loc.page,
        char_start=loc.char_start, char_end=loc.char_end, citation=citation_text(loc),
        also_at=[location_out(other) for other in hit.also_at])


def answer_sentence_out(sentence: AnswerSentence) -> AnswerSentenceOut:
    return AnswerSentenceOut(text=sentence.text, citations=list(sentence.citations), paragraph=sentence.paragraph,
                             highlights=[HighlightOut(start=h.start, end=h.end, kind=h.kind) for h in sentence.highlights])


def digest_out(meeting: MeetingDigest) -> DigestOut:
    return DigestOut(meeting_date=meeting.meeting_date, body=meeting.body, source_file=meeting.source_file,
                     statements=[StatementOut(text=s.text, speaker=s.speaker, person=s.person,
                                              location=location_out(s.location)) for s in meeting.statements])


def search_out(result: SearchResult) -> SearchOut:
    return SearchOut(query=result.query, took_ms=result.took_ms, expansions=list(result.expansions),
                     date_hint=result.date_hint, message=result.message, results=[hit_out(h) for h in result.hits])


def ask_out(answer: Answer) -> AskOut:
    return AskOut(question=answer.question, took_ms=answer.took_ms, message=answer.message,
                  answer=[answer_sentence_out(s) for s in answer.sentences],
                  citations=[hit_out(h) for h in answer.citations], digest=[digest_out(d) for d in answer.digest])


class MetricOut(BaseModel):
    id: int
    name: str
    unit: str
    figures: int = Field(description="How many figures the series has")
    documents: int = Field(description="How many papers print it")
    first_period: str | None = Field(description="Start of its earliest period (YYYY-MM-DD)")
    last_period: str | None = Field(description="End of its latest period (YYYY-MM-DD)")
    keys: list[str] = Field(description="The normalised metric names grouped into this series")


class FigureOut(BaseModel):
    id: int
    metric: str
    metric_printed: str = Field(description="The words naming the measure as printed")
    value: float
    value_text: str = Field(description="The number as printed")
    unit: str
    period: str | None = Field(description="The period as printed")
    period_start: str | None
    period_end: str | None
    geography: str | None
    comparator: str | None
    kind: str = Field(description="table or sentence")
    table: str | None
    row: str | None
    column: str | None
    context: str = Field(description="The table row or sentence that prints it")
    passage_id: int
    document: DocumentRef
    item_number: str | None
    paragraph: str | None
    page: int | None
    char_start: int = Field(description="Where the number is printed in the source file's text")
    char_end: int
    citation: str


class FiguresOut(BaseModel):
    query: str
    took_ms: float
    message: str | None
    metric: MetricOut | None
    alternatives: list[MetricOut] = Field(description="Other measures the query may mean")
    figures: list[FigureOut]


def metric_out(metric: "StoredMetric") -> MetricOut:
    return MetricOut(id=metric.id, name=metric.name, unit=metric.unit, figures=metric.figures,
                     documents=metric.documents, first_period=metric.first_period, last_period=metric.last_period,
                     keys=list(metric.keys))


def figure_out(figure: "StoredFigure") -> FigureOut:
    return FigureOut(
        id=figure.id, metric=figure.metric, metric_printed=figure.metric_printed, value=figure.value,
        value_text=figure.value_text, unit=figure.unit, period=figure.period, period_start=figure.period_start,
        period_end=figure.period_end, geography=figure.geography, comparator=figure.comparator, kind=figure.kind,
        table=figure.table, row=figure.row, column=figure.column, context=" ".join(figure.context.split()),
        passage_id=figure.passage_id,
        document=DocumentRef(id=figure.document_id, title=figure.title, source_file=figure.source_file,
                             body=figure.body, meeting_date=figure.meeting_date, kind=figure.document_kind),
        item_number=figure.item_number, paragraph=figure.paragraph, page=figure.page, char_start=figure.char_start,
        char_end=figure.char_end, citation=cite_figure(figure))


def figures_out(series: "FigureSeries") -> FiguresOut:
    return FiguresOut(query=series.query, took_ms=series.took_ms, message=series.message,
                      metric=metric_out(series.metric) if series.metric else None,
                      alternatives=[metric_out(m) for m in series.alternatives],
                      figures=[figure_out(f) for f in series.figures])
