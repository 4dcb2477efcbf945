"""The question-answering service over the live index: what the API and the CLI call."""

from __future__ import annotations

from dataclasses import dataclass, replace

from indexer.errors import NotFound
from indexer.store.rows import DocumentOutline, DocumentSummary, EntitySummary, StoredPerson
from qa.answer import AnswerSentence, MeetingDigest, build_digest, extract_answer, is_said_about
from qa.generation import Generation, LiveIndex
from qa.highlight import find_highlights
from qa.records import Hit, SearchResult
from qa.retrieval.filters import Filters
from qa.retrieval.lexical import content_terms
from qa.settings import ServiceSettings


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
        self.settings = settings
        self.embedder = embedder
        self.live = LiveIndex(settings, embedder)

    @property
    def current(self) -> Generation:
        return self.live.current

    def refresh(self) -> bool:
        """Swap in a newly published generation; True if one was swapped in."""
        return self.live.refresh()

    def health(self) -> dict[str, object]:
        reader = self.current.reader
        manifest = reader.manifest
        return {"status": "ok", "documents": len(manifest.documents), "passages": manifest.passages,
                "model": manifest.model, "dim": manifest.dim, "built_at": manifest.built_at,
                "generation": reader.generation.name}

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
        digest_wanted = is_said_about(question)
        generation = self.current
        result = self.search(question, k=max(k, 20 if digest_wanted else k), filters=filters)
        hits = list(result.hits)
        plan = generation.engine.planner.plan(question)
        vector = generation.engine.encode_query(plan.dense_text)
        sentences = extract_answer(vector, plan.terms, hits, self.embedder) if hits else []
        digest = build_digest(hits, plan.terms, generation.people) if digest_wanted and hits else []
        cited = hits[:max(k, max((c for s in sentences for c in s.citations), default=0))]
        return Answer(question, tuple(sentences), tuple(cited), tuple(digest), result.took_ms, result.message)

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
