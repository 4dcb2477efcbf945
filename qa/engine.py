"""The search engine: hybrid first stage, second stage, relevance floor and duplicate collapsing."""

from __future__ import annotations

import functools
import json
import math
import re
import sqlite3
import time
from dataclasses import dataclass

import numpy as np

from indexer.errors import BadQuery
from indexer.store.reader import IndexReader
from indexer.structure.text import plain_text
from qa.highlight import find_highlights
from qa.records import Hit, Location, SearchResult
from qa.retrieval.dense import dense_search
from qa.retrieval.filters import FROM, Filters, allowed_ids
from qa.retrieval.fusion import reciprocal_rank_fusion
from qa.retrieval.lexical import bm25_search, match_expression
from qa.retrieval.query import QueryPlan, QueryPlanner
from qa.retrieval.signals import (coverage, date_match, document_frequencies, idf_coverage, proximity, stems,
                                  word_positions)

MODES = ("hybrid", "bm25", "dense")
_WORDS = re.compile(r"[a-z0-9]+")
_ROW = (f"SELECT p.id, p.document_id, d.source_file, d.title, d.body, COALESCE(pt.meeting_date, d.meeting_date),"
        f" d.kind, pt.kind, pt.item_number, pt.title, p.section_path_json, p.paragraph_nos_json, p.page,"
        f" p.char_start, p.char_end, p.text, p.header, p.context, p.vector, p.fingerprint FROM {FROM}")


@dataclass(frozen=True)
class Tuning:
    """Weights of the second stage and the relevance floor (tuned on the dev split).

    Attributes:
        candidates: How many first-stage hits each retriever contributes.
        rerank_depth: How many fused hits the second stage rescores.
        w_dense: Weight of the query-passage cosine.
        w_coverage: Weight of the share of query terms present.
        w_heading: Weight of query terms in the item title and headings.
        w_date: Weight of a match with the query's date hint.
        w_fused: Weight of the reciprocal-rank fusion score.
        w_idf: Weight of the rarity-weighted share of query terms present.
        w_proximity: Weight of adjacent query terms found near each other.
        floor_dense: A hit needs at least this cosine...
        floor_coverage: ...or at least this term coverage with cosine over floor_dense_low.
        floor_dense_low: The lower cosine bar that goes with good coverage.
        floor_idf: ...and at least this rarity-weighted coverage.
        floor_dense_sure: A cosine this high passes on meaning alone; between floor_dense
            and it, a hit must also hold floor_idf_dense of the query's rarity-weighted words.
        floor_idf_dense: See floor_dense_sure.
    """

    candidates: int = 100
    rerank_depth: int = 50
    w_dense: float = 1.0
    w_coverage: float = 0.35
    w_heading: float = 0.0
    w_date: float = 0.0
    w_fused: float = 0.0
    w_idf: float = 0.5
    w_proximity: float = 0.2
    floor_dense: float = 0.4
    floor_coverage: float = 0.6
    floor_dense_low: float = 0.25
    floor_idf: float = 0.0
    floor_dense_sure: float = 0.55
    floor_idf_dense: float = 0.3


def passes_floor(signals: dict[str, float], t: Tuning, mode: str) -> bool:
    """The relevance floor: close in meaning, or covering the query's words (BM25 mode: only the latter)."""
    cover = max(signals["coverage"], signals["coverage_expanded"])
    if mode == "bm25":
        return cover >= t.floor_coverage
    close = signals["dense"] >= t.floor_dense_sure or (
        signals["dense"] >= t.floor_dense and signals["idf"] >= t.floor_idf_dense)
    return close or (cover >= t.floor_coverage and signals["idf"] >= t.floor_idf
                     and signals["dense"] >= t.floor_dense_low)


def rerank_score(signals: dict[str, float], t: Tuning) -> float:
    """The second stage's score: a weighted sum of the signals."""
    return (t.w_dense * signals["dense"] + t.w_coverage * max(signals["coverage"], signals["coverage_expanded"])
            + t.w_heading * signals["heading"] + t.w_date * signals["date"] + t.w_fused * signals["fused"]
            + t.w_idf * signals["idf"] + t.w_proximity * signals["proximity"])


def location_of(row: sqlite3.Row | tuple) -> Location:
    """A Location from one row of the _ROW query."""
    paragraphs = json.loads(row[11])
    return Location(
        passage_id=row[0], document_id=row[1], source_file=row[2], title=row[3], body=row[4], meeting_date=row[5],
        kind=row[6], part_kind=row[7], item_number=row[8], item_title=row[9] if row[7] in ("report", "minutes", "appendix") else None,
        section_path=tuple(json.loads(row[10])), paragraph=paragraphs[0] if paragraphs else None, page=row[12],
        char_start=row[13], char_end=row[14])


def _shingles(text: str) -> set[tuple[str, ...]]:
    words = _WORDS.findall(plain_text(text).lower())
    return {tuple(words[i:i + 3]) for i in range(max(len(words) - 2, 1))}


def _jaccard(a: set, b: set) -> float:
    """Overlap of two shingle sets, relative to the smaller (a copy inside a longer passage counts)."""
    if not a or not b:
        return 0.0
    smaller = min(len(a), len(b))
    return len(a & b) / (smaller if smaller >= 10 else len(a | b))


@dataclass(frozen=True)
class _Features:
    """What the second stage needs of a passage's words, computed once per passage."""

    stems: frozenset[str]  # text, repeated header and context header
    heading: frozenset[str]  # context header (body, date, item, section)
    positions: dict[str, list[int]]  # header and text
    shingles: frozenset[tuple[str, ...]]  # text, for near-duplicate collapse


FEATURE_CACHE = 50_000  # passages whose features stay in memory


class SearchEngine:
    """Answers searches over one open index with one embedder."""

    def __init__(self, reader: IndexReader, embedder: object, planner: QueryPlanner, tuning: Tuning | None = None,
                 max_query_chars: int = 1000) -> None:
        self.reader = reader
        self.embedder = embedder
        self.planner = planner
        self.tuning = tuning or Tuning()
        self.max_query_chars = max_query_chars
        self._default_allowed = allowed_ids(reader.connection(), Filters())
        count = max(len(self._default_allowed), 1)
        df = document_frequencies(row[0] for row in reader.connection().execute("SELECT text FROM passages"))
        self._idf = {s: math.log(1 + count / n) for s, n in df.items()}
        self._idf_unseen = math.log(1 + count)
        self._features_of: dict[int, _Features] = {}
        # The page asks /search, /timeline and /ask for one query: encode it once.
        self.encode_query = functools.lru_cache(maxsize=2048)(self._encode_query)

    def _encode_query(self, text: str) -> np.ndarray:
        vector = self.embedder.encode_queries([text])[0]  # type: ignore[attr-defined]
        vector.setflags(write=False)
        return vector

    def search(self, query: str, k: int = 10, filters: Filters | None = None, mode: str = "hybrid",
               expand: bool = True, rerank: bool = True) -> SearchResult:
        """Rank passages for ``query``; an off-topic query returns no hits and says so."""
        started = time.perf_counter()
        query = (query or "").strip()
        if not query:
            raise BadQuery("the query is empty: type some words to search for")
        if len(query) > self.max_query_chars:
            raise BadQuery(f"the query is {len(query)} characters; the limit is {self.max_query_chars}")
        if mode not in MODES:
            raise BadQuery(f"unknown mode '{mode}'; use one of {', '.join(MODES)}")
        filters = filters or Filters()
        plan = self.planner.plan(query, expand)
        conn = self.reader.connection()
        allowed = allowed_ids(conn, filters) if filters.restricts or filters.include_boilerplate else self._default_allowed
        query_vector = self.encode_query(plan.dense_text)
        rankings = []
        if mode in ("hybrid", "bm25"):
            expression = match_expression(list(plan.terms), list(plan.expansions))
            rankings.append([i for i, _ in bm25_search(conn, expression, filters, self.tuning.candidates)])
        if mode in ("hybrid", "dense"):
            rankings.append([i for i, _ in dense_search(self.reader.faiss, query_vector, self.tuning.candidates, allowed)])
        fused = reciprocal_rank_fusion(rankings)
        ranked = sorted(fused, key=fused.get, reverse=True)[: self.tuning.rerank_depth]  # type: ignore[arg-type]
        hits = self._score(conn, ranked, fused, plan, query_vector, rerank, mode)
        hits = self._collapse(conn, hits, k)
        took = (time.perf_counter() - started) * 1000
        message = None if hits else "No passage in the indexed papers matches this query closely enough."
        return SearchResult(query=query, hits=tuple(hits), took_ms=round(took, 2), expansions=plan.expansions,
                            date_hint=plan.date_hint, message=message)

    def _features(self, row: tuple) -> _Features:
        found = self._features_of.get(row[0])
        if found is None:
            if len(self._features_of) >= FEATURE_CACHE:
                self._features_of.clear()
            found = _Features(stems=frozenset(stems(row[15] + " " + row[16] + " " + row[17])),
                              heading=frozenset(stems(row[17])), positions=word_positions(row[16] + " " + row[15]),
                              shingles=frozenset(_shingles(row[15])))
            self._features_of[row[0]] = found
        return found

    def _score(self, conn: sqlite3.Connection, ranked: list[int], fused: dict[int, float], plan: QueryPlan,
               query_vector: np.ndarray, rerank: bool, mode: str) -> list[tuple[float, tuple, dict[str, float]]]:
        if not ranked:
            return []
        rows = {r[0]: r for r in conn.execute(f"{_ROW} WHERE p.id IN ({','.join('?' * len(ranked))})", ranked)}
        t = self.tuning
        terms = plan.terms + tuple(w for e in plan.expansions for w in e.lower().split() if len(w) > 3)
        scored = []
        for passage_id in ranked:
            row = rows[passage_id]
            vector = np.frombuffer(row[18], dtype=np.float32)
            cosine = float(vector @ query_vector)
            features = self._features(row)
            text_stems = features.stems
            signals = {
                "dense": cosine, "fused": fused[passage_id],
                "coverage": coverage(plan.terms, text_stems) if plan.terms else 0.0,
                "coverage_expanded": coverage(terms, text_stems) if terms else 0.0,
                "heading": coverage(plan.terms, features.heading) if plan.terms else 0.0,
                "date": date_match(plan.year, plan.month, row[5], row[15]),
                "idf": idf_coverage(plan.terms, text_stems, self._idf, self._idf_unseen),
                "proximity": proximity(plan.terms, features.positions),
            }
            if not passes_floor(signals, t, mode):
                continue
            scored.append((rerank_score(signals, t) if rerank else signals["fused"], row, signals))
        scored.sort(key=lambda s: s[0], reverse=True)
        return scored

    def _collapse(self, conn: sqlite3.Connection, scored: list[tuple[float, tuple, dict[str, float]]],
                  k: int) -> list[Hit]:
        """The top k distinct texts; other places with the same words go in ``also_at``.

        Exact copies are found in the whole index (by fingerprint); near copies
        (same words around a different heading) among the candidates ranked above the k-th hit.
        """
        seen: set[str] = set()
        kept: list[tuple[float, tuple, dict[str, float]]] = []
        shingles: list[set[tuple[str, ...]]] = []
        near: dict[int, list[Location]] = {}
        for score, row, signals in scored:
            if len(kept) >= k:
                break
            if row[19] in seen:
                continue
            seen.add(row[19])
            mine = self._features(row).shingles
            twin = next((i for i, other in enumerate(shingles) if _jaccard(mine, other) >= 0.7), None)
            if twin is not None:  # the same words printed again, around a different heading
                near.setdefault(twin, []).append(location_of(row))
                continue
            shingles.append(mine)
            kept.append((score, row, signals))
        fingerprints = [row[19] for _, row, _ in kept]
        copies: dict[str, list[Location]] = {}
        if fingerprints:
            for row in conn.execute(f"{_ROW} WHERE p.fingerprint IN ({','.join('?' * len(fingerprints))})"
                                    f" ORDER BY p.document_id, p.ordinal", fingerprints):
                copies.setdefault(row[19], []).append(location_of(row))
        hits = []
        for position, (score, row, signals) in enumerate(kept):
            location = location_of(row)
            others = [loc for loc in copies.get(row[19], []) if loc.passage_id != location.passage_id]
            others += [loc for loc in near.get(position, []) if loc.passage_id not in {o.passage_id for o in others}]
            hits.append(Hit(location=location, text=row[15], header=row[16], score=round(float(score), 4),
                            also_at=tuple(others), signals={k: round(v, 4) for k, v in signals.items()}))
        return hits

    def with_highlights(self, hit: Hit, terms: tuple[str, ...]) -> Hit:
        from dataclasses import replace

        return replace(hit, highlights=find_highlights(hit.text, terms))
