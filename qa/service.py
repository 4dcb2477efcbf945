"""The question-answering service over one index: what the API and the CLI call."""

from __future__ import annotations

import json
import logging
import threading
from dataclasses import dataclass, replace
from pathlib import Path

from indexer.errors import IndexMismatch, NotFound
from indexer.records import Person
from indexer.settings import Settings
from indexer.store.layout import CURRENT
from indexer.store.reader import IndexReader
from qa.answer import AnswerSentence, MeetingDigest, build_digest, extract_answer, is_said_about
from qa.engine import _ROW, SearchEngine, location_of
from qa.highlight import find_highlights
from qa.records import Hit, SearchResult
from qa.retrieval.filters import Filters
from qa.retrieval.query import QueryPlanner

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Answer:
    """An extractive answer, the hits it cites (numbered from 1) and, for "what was said", a digest."""

    question: str
    sentences: tuple[AnswerSentence, ...]
    citations: tuple[Hit, ...]
    digest: tuple[MeetingDigest, ...]
    took_ms: float
    message: str | None


class _Loaded:
    """One index generation with the engine over it; swapped whole on reload."""

    def __init__(self, index_dir: Path, embedder: object, settings: Settings) -> None:
        from models.glossary import load_glossary
        from indexer.records import GlossaryEntry

        self.reader = IndexReader(index_dir)
        manifest = self.reader.manifest
        if manifest.model_setting != settings.embedding_model or manifest.dim != embedder.dim:  # type: ignore[attr-defined]
            raise IndexMismatch(
                f"the index was built with model '{manifest.model_setting}' (dim {manifest.dim}), the service is "
                f"configured with '{settings.embedding_model}' (dim {embedder.dim}); rebuild with `qa index --rebuild`")  # type: ignore[attr-defined]
        conn = self.reader.connection()
        mined = [GlossaryEntry(a, f, s) for a, f, s in conn.execute("SELECT acronym, long_form, source FROM glossary")]
        self.glossary = load_glossary(mined)
        self.people = [Person(r[0], r[1], bool(r[2]), tuple(json.loads(r[3])))
                       for r in conn.execute("SELECT name, role, is_councillor, meetings_json FROM people")]
        self.engine = SearchEngine(self.reader, embedder, QueryPlanner(self.glossary),
                                   max_query_chars=settings.max_query_chars)
        self.pointer = (index_dir / CURRENT).read_text(encoding="utf-8").strip()


class QAService:
    """Search, answers, documents and directories over the live index generation.

    The index is watched: when ``qa index`` publishes a new generation, the next
    request opens it and swaps it in whole, so a request sees one generation only.
    """

    def __init__(self, settings: Settings, embedder: object) -> None:
        self.settings = settings
        self.embedder = embedder
        self._lock = threading.Lock()
        self._loaded = _Loaded(settings.index_dir, embedder, settings)

    @property
    def current(self) -> _Loaded:
        self.refresh()
        return self._loaded

    def refresh(self) -> bool:
        """Swap in a newly published generation; True if one was swapped in."""
        try:
            pointer = (self.settings.index_dir / CURRENT).read_text(encoding="utf-8").strip()
        except OSError:
            return False
        if pointer == self._loaded.pointer:
            return False
        with self._lock:
            if pointer != self._loaded.pointer:
                try:
                    self._loaded = _Loaded(self.settings.index_dir, self.embedder, self.settings)
                    log.info("switched to index generation %s", self._loaded.pointer)
                    return True
                except Exception:  # keep serving the generation we have
                    log.exception("could not open the new index generation; still serving %s", self._loaded.pointer)
        return False

    def health(self) -> dict[str, object]:
        loaded = self.current
        manifest = loaded.reader.manifest
        return {"status": "ok", "documents": len(manifest.documents), "passages": manifest.passages,
                "model": manifest.model, "dim": manifest.dim, "built_at": manifest.built_at,
                "generation": loaded.reader.generation.name}

    def search(self, query: str, k: int = 10, filters: Filters | None = None, mode: str = "hybrid",
               expand: bool = True, rerank: bool = True) -> SearchResult:
        result = self.current.engine.search(query, k, filters, mode, expand, rerank)
        terms = result.expansions and tuple(w for e in result.expansions for w in e.split())
        plan_terms = self.current.engine.planner.plan(query, expand).terms + tuple(terms or ())
        hits = tuple(replace(h, highlights=find_highlights(h.text, plan_terms)) for h in result.hits)
        return replace(result, hits=hits)

    def ask(self, question: str, k: int = 5, filters: Filters | None = None) -> Answer:
        digest_wanted = is_said_about(question)
        result = self.search(question, k=max(k, 20 if digest_wanted else k), filters=filters)
        hits = list(result.hits)
        loaded = self.current
        plan = loaded.engine.planner.plan(question)
        vector = loaded.engine.encode_query(plan.dense_text)
        sentences = extract_answer(vector, plan.terms, hits, self.embedder) if hits else []
        digest: list[MeetingDigest] = []
        if digest_wanted and hits:
            from models.people import link_post

            digest = build_digest(hits, plan.terms, loaded.people, link_post)
        cited = hits[:max(k, max((c for s in sentences for c in s.citations), default=0))]
        return Answer(question, tuple(sentences), tuple(cited), tuple(digest), result.took_ms, result.message)

    # Documents and passages -------------------------------------------------

    def documents(self) -> list[dict[str, object]]:
        conn = self.current.reader.connection()
        rows = conn.execute("SELECT d.id, d.title, d.source_file, d.body, d.meeting_date, d.kind, d.media_type,"
                            " (SELECT COUNT(*) FROM passages p WHERE p.document_id = d.id) FROM documents d"
                            " ORDER BY d.meeting_date, d.source_file").fetchall()
        return [dict(zip(("id", "title", "source_file", "body", "meeting_date", "kind", "media_type", "passages"), r))
                for r in rows]

    def document(self, document_id: int) -> dict[str, object]:
        conn = self.current.reader.connection()
        row = conn.execute("SELECT id, title, source_file, body, meeting_date, venue, kind, media_type, sha256,"
                           " warnings_json FROM documents WHERE id = ?", (document_id,)).fetchone()
        if row is None:
            raise NotFound(f"no document with id {document_id}")
        keys = ("id", "title", "source_file", "body", "meeting_date", "venue", "kind", "media_type", "sha256")
        doc = dict(zip(keys, row[:9]))
        doc["warnings"] = json.loads(row[9])
        doc["agenda"] = [dict(zip(("number", "title", "page"), r)) for r in
                         conn.execute("SELECT number, title, page FROM agenda WHERE document_id = ?", (document_id,))]
        parts = []
        for part in conn.execute("SELECT id, ordinal, kind, title, item_number, meeting_date, start_page,"
                                 " responsible_director, cabinet_member FROM parts WHERE document_id = ? ORDER BY ordinal",
                                 (document_id,)).fetchall():
            entry = dict(zip(("id", "ordinal", "kind", "title", "item_number", "meeting_date", "start_page",
                              "responsible_director", "cabinet_member"), part))
            entry["sections"] = [
                {"heading_path": json.loads(s[0]), "number": s[1], "page": s[2], "first_passage_id": s[3]}
                for s in conn.execute(
                    "SELECT s.heading_path_json, s.number, s.page, (SELECT MIN(p.id) FROM passages p WHERE"
                    " p.document_id = s.document_id AND p.char_start >= s.char_start AND p.char_start < s.char_end)"
                    " FROM sections s WHERE s.document_id = ? AND s.part_ordinal = ? ORDER BY s.char_start",
                    (document_id, part[1]))]
            parts.append(entry)
        doc["parts"] = parts
        return doc

    def passage(self, passage_id: int, context: int = 2) -> dict[str, object]:
        conn = self.current.reader.connection()
        row = conn.execute(f"{_ROW} WHERE p.id = ?", (passage_id,)).fetchone()
        if row is None:
            raise NotFound(f"no passage with id {passage_id}")
        ordinal = conn.execute("SELECT ordinal FROM passages WHERE id = ?", (passage_id,)).fetchone()[0]
        around = conn.execute(f"{_ROW} WHERE p.document_id = ? AND p.ordinal BETWEEN ? AND ? ORDER BY p.ordinal",
                              (row[1], ordinal - context, ordinal + context)).fetchall()
        hit = Hit(location_of(row), row[15], row[16], 0.0)
        return {"passage": hit, "before": [Hit(location_of(r), r[15], r[16], 0.0) for r in around if r[0] < row[0] and r[0] != row[0]],
                "after": [Hit(location_of(r), r[15], r[16], 0.0) for r in around if r[0] > row[0]]}

    # Directories -------------------------------------------------------------

    def entities(self, label: str | None = None, query: str | None = None, limit: int = 100) -> list[dict[str, object]]:
        conn = self.current.reader.connection()
        sql = ("SELECT e.id, e.label, e.norm, COUNT(m.passage_id) AS n FROM entities e JOIN mentions m ON m.entity_id = e.id"
               " WHERE (? IS NULL OR e.label = ?) AND (? IS NULL OR e.norm LIKE ?) GROUP BY e.id ORDER BY n DESC, e.norm LIMIT ?")
        rows = conn.execute(sql, (label, label, query, f"%{query}%", limit)).fetchall()
        return [dict(zip(("id", "label", "name", "mentions"), r)) for r in rows]

    def entity(self, entity_id: int, limit: int = 100) -> dict[str, object]:
        conn = self.current.reader.connection()
        row = conn.execute("SELECT id, label, norm FROM entities WHERE id = ?", (entity_id,)).fetchone()
        if row is None:
            raise NotFound(f"no entity with id {entity_id}")
        mentions = conn.execute(f"{_ROW} JOIN mentions m ON m.passage_id = p.id WHERE m.entity_id = ? "
                                f"GROUP BY p.id ORDER BY COALESCE(pt.meeting_date, d.meeting_date), p.id LIMIT ?",
                                (entity_id, limit)).fetchall()
        return {"id": row[0], "label": row[1], "name": row[2],
                "mentions": [Hit(location_of(r), r[15], r[16], 0.0) for r in mentions]}

    def people(self) -> list[dict[str, object]]:
        conn = self.current.reader.connection()
        rows = conn.execute("SELECT id, name, role, is_councillor, meetings_json, documents_json FROM people ORDER BY name")
        return [{"id": r[0], "name": r[1], "role": r[2], "is_councillor": bool(r[3]), "meetings": json.loads(r[4]),
                 "documents": json.loads(r[5])} for r in rows]

    def glossary(self) -> list[dict[str, object]]:
        return [{"acronym": a, "long_forms": forms} for a, forms in sorted(self.current.glossary.items())]

    def timeline(self, query: str, filters: Filters | None = None) -> dict[str, object]:
        result = self.search(query, k=100, filters=filters)
        meetings: dict[tuple[str | None, str], list[Hit]] = {}
        for hit in result.hits:
            meetings.setdefault((hit.location.meeting_date, hit.location.body or ""), []).append(hit)
        points = [{"meeting_date": date, "body": body, "count": len(hits), "top": hits[0]}
                  for (date, body), hits in sorted(meetings.items(), key=lambda m: m[0][0] or "")]
        return {"query": result.query, "took_ms": result.took_ms, "points": points, "message": result.message}
