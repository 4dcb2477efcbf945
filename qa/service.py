"""The question-answering service over the live index: what the API and the CLI call."""

from __future__ import annotations

import time
from dataclasses import dataclass, replace

from indexer.errors import BadQuery, NotFound
from indexer.store.rows import (
    DocumentOutline,
    DocumentSummary,
    EntitySummary,
    StoredFigure,
    StoredMetric,
    StoredPerson,
)
from indexer.structure.display import display_text
from models.calibration import answer_weights
from qa.answer import (
    AnswerSentence,
    Attributed,
    MeetingDigest,
    Question,
    build_digest,
    extract_answer,
    is_said_about,
    statements,
)
from qa.answerhood import QuestionForm
from qa.figure_asks import is_figure_question, units_asked
from qa.figures import (
    MATCH_FLOOR,
    FigureIndex,
    PASSAGE_DEPTH,
    answer_figure_question,
    metric_text,
)
from qa.generation import Generation, LiveIndex
from qa.retrieval.dense import search_one_query_at_a_time
from qa.highlight import find_highlights
from qa.records import Hit, SearchResult
from qa.retrieval.filters import Filters
from qa.retrieval.lexical import content_terms
from qa.settings import ServiceSettings
from qa.speech import Attribution, SpeakerQuestion, parse_speaker_question


@dataclass(frozen=True)
class Answer:
    """An extractive answer, the hits it cites (numbered from 1) and, for "what was said", a digest."""

    question: str
    sentences: tuple[AnswerSentence, ...]
    citations: tuple[Hit, ...]
    digest: tuple[MeetingDigest, ...]
    took_ms: float
    message: str | None


@dataclass(frozen=True)
class FigureSeries:
    """The figures of the measure a query names, oldest first, and the other measures it might mean."""

    query: str
    metric: StoredMetric | None
    alternatives: tuple[StoredMetric, ...]
    figures: tuple[StoredFigure, ...]
    took_ms: float
    message: str | None


@dataclass(frozen=True)
class PassageInContext:
    """A passage with its neighbours in the paper."""

    passage: Hit
    before: tuple[Hit, ...]
    after: tuple[Hit, ...]


@dataclass(frozen=True)
class EntityMentions:
    """An entity and the passages that mention it."""

    entity: EntitySummary
    mentions: tuple[Hit, ...]


@dataclass(frozen=True)
class TimelinePoint:
    """How many matching passages one meeting has, and the best of them."""

    meeting_date: str | None
    body: str
    count: int
    top: Hit


@dataclass(frozen=True)
class Timeline:
    """Matching passages per meeting date for a query."""

    query: str
    took_ms: float
    points: tuple[TimelinePoint, ...]
    message: str | None


class QAService:
    """Search, answers, documents and directories over the live index generation."""

    def __init__(self, settings: ServiceSettings, embedder: object) -> None:
        search_one_query_at_a_time()
        self.settings = settings
        self.embedder = embedder
        self.live = LiveIndex(settings, embedder)
        self.answer_weights = answer_weights(getattr(embedder, "name", ""))
        self._figure_indexes: dict[str, FigureIndex] = {}

    def question(self, text: str) -> Question:
        """A question as the answer stage sees it, over the live index's word rarities."""
        engine = self.current.engine
        plan = engine.planner.plan(text)
        return Question(text, plan.terms, engine.encode_query(plan.dense_text), QuestionForm.of(text, is_said_about(text)),
                        engine.rarity.idf, engine.rarity.unseen)

    @property
    def current(self) -> Generation:
        return self.live.current

    def health(self) -> dict[str, object]:
        reader = self.current.reader
        manifest = reader.manifest
        return {"status": "ok", "documents": len(manifest.documents), "passages": manifest.passages,
                "model": manifest.model, "dim": manifest.dim, "built_at": manifest.built_at,
                "generation": reader.pointer}

    def search(self, query: str, k: int = 10, filters: Filters | None = None, mode: str = "hybrid",
               expand: bool = True, rerank: bool = True) -> SearchResult:
        engine = self.current.engine
        result = engine.search(query, k, filters, mode, expand, rerank)
        # An expansion's content words are worth marking; its "and", "of", "the" are not.
        expanded = tuple(w for e in result.expansions for w in content_terms(e))
        terms = engine.planner.plan(query, expand).terms + expanded
        # Highlights index the text a person reads; hit.text stays the exact source slice.
        hits = tuple(replace(h, highlights=find_highlights(h.display.text, terms)) for h in result.hits)
        return replace(result, hits=hits)

    def ask(self, question: str, k: int = 5, filters: Filters | None = None) -> Answer:
        """Answer sentences citing the hits they come from (numbered from 1, cited ones only) and, for
        "what was said" questions, a digest by meeting. "What did X say about Y" searches Y among the
        passages that name X or X's post, and quotes X's own minuted statements first."""
        generation = self.current
        asked = parse_speaker_question(question, generation.people)
        attributed, theirs = None, []
        if asked is not None:
            # Their statements on the topic anywhere, then passages that name them or their post.
            topic = asked.search_text
            result = self.search(topic, k=30, filters=filters)
            named = self.search(topic, k=20, filters=replace(filters or Filters(), person=asked.filter_name)).hits
            attributed = self._attributed(asked, generation)
            pool = list({h.location.passage_id: h for h in (*named, *result.hits)}.values())
            theirs = sorted((h for h in pool if any(attributed(s, h) for s in statements(h.display.text))),
                            key=lambda h: -h.score)
            hits = theirs + [h for h in named if h not in theirs] or list(result.hits)
        asked_as = self.question(question)
        figure_question = asked is None and is_figure_question(question)
        said_about = is_said_about(question)
        if asked is None:
            depth = 20 if said_about else PASSAGE_DEPTH if figure_question else k
            result = self.search(question, k=max(k, depth), filters=filters)
            hits = list(result.hits if said_about else result.hits[:k])  # the deeper list is for figures
        sentences = extract_answer(asked_as, hits, self.embedder, self.answer_weights,
                                   attributed=attributed) if hits else []
        figure = None
        if figure_question:  # figures first
            figure = answer_figure_question(self._figures(generation), question,
                                            generation.engine.encode_query(metric_text(question) or question),
                                            [h.location.passage_id for h in result.hits], filters and filters.council)
        if figure is not None:
            cited = Hit.of(generation.reader.passage(figure.figure.passage_id))
            reordered = [cited] + [h for h in hits if h.location.passage_id != cited.location.passage_id]
            rank = {h.location.passage_id: n for n, h in enumerate(reordered, 1)}
            sentences = [AnswerSentence(figure.sentence, (1,), (), figure.figure.paragraph)] + [
                replace(s, citations=tuple(rank[hits[c - 1].location.passage_id] for c in s.citations))
                for s in sentences][:2]
            hits = reordered
        digest = build_digest(theirs or hits, content_terms(asked.topic or "") if asked else asked_as.terms,
                              generation.people, attributed,
                              (asked.post or asked.who, asked.person.name if asked.person else None) if asked else None) if (asked or said_about) and hits else []
        # Number only what the answer cites, in the order it first cites them.
        order = list(dict.fromkeys(c for s in sentences for c in s.citations))
        number = {rank: n for n, rank in enumerate(order, 1)}
        sentences = [replace(s, citations=tuple(number[c] for c in s.citations)) for s in sentences]
        return Answer(question, tuple(sentences), tuple(hits[rank - 1] for rank in order), tuple(digest),
                      result.took_ms, None if figure is not None else result.message)

    def _attributed(self, asked: SpeakerQuestion, generation: Generation) -> Attributed:
        """Is this statement of this hit the asked-about person's own?"""
        reader = generation.reader

        def before(passage_id: int) -> str | None:
            found = reader.passage(passage_id)
            around = reader.passages_around(found, 1) if found else []
            previous = [p for p in around if p.ordinal == found.ordinal - 1
                        and (p.part_kind, p.item_number, p.part_title) == (found.part_kind, found.item_number, found.part_title)]
            return display_text(previous[0].text).text if previous else None

        return Attribution(asked, generation.people, before).says

    def timeline(self, query: str, filters: Filters | None = None) -> Timeline:
        result = self.search(query, k=100, filters=filters)
        meetings: dict[tuple[str | None, str], list[Hit]] = {}
        for hit in result.hits:
            meetings.setdefault((hit.location.meeting_date, hit.location.body or ""), []).append(hit)
        points = tuple(TimelinePoint(date, body, len(hits), hits[0])
                       for (date, body), hits in sorted(meetings.items(), key=lambda m: m[0][0] or ""))
        return Timeline(result.query, result.took_ms, points, result.message)

    # Documents and passages -------------------------------------------------

    def documents(self) -> list[DocumentSummary]:
        return self.current.reader.documents()

    def document(self, document_id: int) -> DocumentOutline:
        found = self.current.reader.document(document_id)
        if found is None:
            raise NotFound(f"no document with id {document_id}")
        return found

    def passage(self, passage_id: int, context: int = 2) -> PassageInContext:
        reader = self.current.reader
        found = reader.passage(passage_id)
        if found is None:
            raise NotFound(f"no passage with id {passage_id}")
        around = reader.passages_around(found, context)
        return PassageInContext(Hit.of(found), tuple(Hit.of(p) for p in around if p.ordinal < found.ordinal),
                                tuple(Hit.of(p) for p in around if p.ordinal > found.ordinal))

    # Figures -----------------------------------------------------------------

    def _figures(self, generation: Generation) -> FigureIndex:
        found = self._figure_indexes.get(generation.pointer)
        if found is None:
            found = FigureIndex(generation.reader)
            self._figure_indexes = {generation.pointer: found}  # one generation at a time
        return found

    def figures(self, query: str | None = None, metric: int | None = None, date_from: str | None = None,
                date_to: str | None = None, council: str | None = None) -> FigureSeries:
        """The figures of one measure over time: the measure given by id, or the one ``query`` names."""
        started = time.perf_counter()
        generation = self.current
        index = self._figures(generation)
        alternatives: list[StoredMetric] = []
        if metric is not None:
            chosen = index.metrics.get(metric)
            if chosen is None:
                raise NotFound(f"no metric with id {metric}")
        else:
            text = metric_text(query or "") or (query or "")
            if not text.strip():
                raise BadQuery("say which figures: give q (words naming a measure) or metric (an id from /metrics)")
            matches = index.find_metrics(text, generation.engine.encode_query(text), 6, units_asked(query or ""))
            good = [m for m in matches if m.score >= MATCH_FLOOR]
            chosen = good[0].metric if good else None
            alternatives = [m.metric for m in (good[1:] if good else matches[:5])]
        figures = index.series(chosen.id, date_from, date_to, council) if chosen else []
        took = round((time.perf_counter() - started) * 1000, 2)
        message = None if figures else ("No figures in the indexed papers match this measure closely enough."
                                        if chosen is None else "This measure has no figures in the dates or council asked for.")
        return FigureSeries(query or (chosen.name if chosen else ""), chosen, tuple(alternatives), tuple(figures),
                            took, message)

    def metrics(self) -> list[StoredMetric]:
        return list(self._figures(self.current).metrics.values())

    # Directories -------------------------------------------------------------

    def entities(self, label: str | None = None, query: str | None = None, limit: int = 100) -> list[EntitySummary]:
        return self.current.reader.entities(label, query, limit)

    def entity(self, entity_id: int) -> EntityMentions:
        found = self.current.reader.entity(entity_id)
        if found is None:
            raise NotFound(f"no entity with id {entity_id}")
        entity, passages = found
        return EntityMentions(entity, tuple(Hit.of(p) for p in passages))

    def people(self) -> list[StoredPerson]:
        return self.current.reader.people()

    def glossary(self) -> list[dict[str, object]]:
        return [{"acronym": a, "long_forms": forms} for a, forms in sorted(self.current.glossary.items())]
