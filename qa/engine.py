"""The search engine: hybrid first stage, then the second stage, the relevance floor and collapsing."""

from __future__ import annotations

import functools
import threading
import time
from collections import OrderedDict
from dataclasses import replace

import numpy as np

from indexer.errors import BadQuery
from indexer.store.collection import CollectionReader, Shard, single_shard
from indexer.store.reader import IndexReader
from indexer.store.rows import StoredPassage
from models.calibration import CosineBackground, measure_background, model_background
from qa.figure_asks import lacks_asked_figure
from qa.records import Hit, Location, SearchResult
from qa.retrieval.collapse import collapse, same_words
from qa.retrieval.dense import AllowedIds, dense_search
from qa.retrieval.filters import Filters, allowed_ids
from qa.retrieval.fusion import reciprocal_rank_fusion
from qa.retrieval.lexical import ShardTerms, bm25_search, fts_totals, global_bm25, match_phrases
from qa.retrieval.query import QueryPlan, QueryPlanner
from qa.retrieval.rerank import (
    FeatureCache,
    RarityWeights,
    Tuning,
    passes_floor,
    rerank_score,
    signals_of,
)
from qa.retrieval.specifics import speaks_of, unknown_names

MODES = ("hybrid", "bm25", "dense")
Scored = tuple[float, StoredPassage, dict[str, float]]
# A query naming a period ("in 2021-22") keeps the hits about it among the first SHOWN: digging
# deeper only finds passages that mention the year in passing.
SHOWN = 10


def cosine_background(reader: IndexReader | CollectionReader) -> CosineBackground:
    """The index's cosine background: as its manifest records it, else its model's, else measured now."""
    stored = reader.manifest.cosine_background
    if stored:
        return CosineBackground(float(stored["mean"]), float(stored["std"]), int(stored["pairs"]))
    found = model_background(reader.manifest.model) or measure_background(reader.all_vectors())
    return found or CosineBackground(0.0, 1.0, 0)  # one passage: nothing to compare, cosines as they are


class SearchEngine:
    """Answers searches over one open index with one embedder."""

    def __init__(self, reader: IndexReader | CollectionReader, embedder: object, planner: QueryPlanner,
                 tuning: Tuning | None = None, max_query_chars: int = 1000) -> None:
        self.reader = reader
        self.embedder = embedder
        self.planner = planner
        self.tuning = tuning or Tuning()
        self.max_query_chars = max_query_chars
        # A collection is searched shard by shard, with its ids and word counts over all of them; a
        # single index is a collection of one shard whose ids are its own.
        self.shards: list[Shard] = reader.shards if isinstance(reader, CollectionReader) else single_shard(reader)
        self._boilerplate = [frozenset(shard.reader.boilerplate_ids()) for shard in self.shards]
        # What only a collection needs: each shard's councils (to skip) and full-text totals (for BM25).
        sharded = len(self.shards) > 1
        self._councils = [{(d.council or "").lower() for d in shard.reader.documents()} for shard in self.shards] \
            if sharded else []
        self._fts_totals = [fts_totals(shard.reader.connection()) for shard in self.shards] if sharded else []
        self.rarity = RarityWeights(reader.document_frequencies,
                                    reader.manifest.passages - sum(map(len, self._boilerplate)))
        # Each distinct filter's admitted ids and FAISS selector per shard, built once (the page repeats them).
        self._allowed = functools.lru_cache(maxsize=64)(self._allowed_in_shards)
        self.features = FeatureCache()
        self._passage_cache: OrderedDict[int, StoredPassage] = OrderedDict()
        self._cache_lock = threading.Lock()
        self.background = cosine_background(reader)
        # The page asks /search, /timeline and /ask for one query: encode it once.
        self.encode_query = functools.lru_cache(maxsize=2048)(self._encode_query)

    def _allowed_in_shards(self, filters: Filters) -> tuple[AllowedIds | None, ...]:
        """Per shard, the ids ``filters`` admits; None for a shard the filter rules out without a look
        (another council's, or one that never mentions the entity)."""
        entity_ids = self.reader.entity_locals(filters.entity) \
            if filters.entity is not None and isinstance(self.reader, CollectionReader) else None
        allowed: list[AllowedIds | None] = []
        for number, shard in enumerate(self.shards):
            own = filters
            if self._councils and filters.council and not any(filters.council.lower() in c
                                                               for c in self._councils[number]):
                allowed.append(None)
                continue
            if entity_ids is not None:
                if shard.base not in entity_ids:
                    allowed.append(None)
                    continue
                own = replace(filters, entity=entity_ids[shard.base])
            allowed.append(AllowedIds(allowed_ids(shard.reader.connection(), own)))
        return tuple(allowed)

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
        unknown = unknown_names(query, self.reader.term_counts, self.planner.by_acronym)
        if unknown:
            return SearchResult(query=query, hits=(), took_ms=round((time.perf_counter() - started) * 1000, 2),
                                expansions=plan.expansions, date_hint=plan.date_hint,
                                message=f"The indexed papers never mention {', '.join(map(repr, unknown))}.")
        allowed = self._allowed(filters) if filters.restricts or filters.include_boilerplate else None
        query_vector = self.encode_query(plan.dense_text)
        lexical, dense = [], []
        phrases = match_phrases(self.rarity.selective(plan.terms, self.tuning.bm25_common),
                                list(plan.expansions)) if mode in ("hybrid", "bm25") else []
        skipped = [allowed is not None and (allowed[n] is None or not len(allowed[n])) for n in range(len(self.shards))]
        if phrases and len(self.shards) > 1:  # one BM25 over every shard's statistics, as one index would score
            terms = [ShardTerms(shard.reader.connection(), self._fts_totals[n], phrases, counted_only=skipped[n])
                     for n, shard in enumerate(self.shards)]
            per_shard = global_bm25(terms, self.tuning.candidates, self._boilerplate,
                                    [None if allowed is None or skipped[n] else allowed[n].ids  # type: ignore[union-attr]
                                     for n in range(len(self.shards))])
            lexical = [(shard.glob(i), score) for shard, found in zip(self.shards, per_shard) for i, score in found]
        for number, shard in enumerate(self.shards):
            if skipped[number]:
                continue  # the filter rules this shard out
            admitted = None if allowed is None else allowed[number]
            if phrases and len(self.shards) == 1:
                lexical += [(shard.glob(i), score) for i, score in bm25_search(
                    shard.reader.connection(), " OR ".join(phrases), self.tuning.candidates,
                    self._boilerplate[number], None if admitted is None else admitted.ids)]
            if mode in ("hybrid", "dense"):
                dense += [(shard.glob(i), score) for i, score in dense_search(
                    shard.reader.faiss, query_vector, self.tuning.candidates, admitted, self._boilerplate[number])]
        # Each shard's best, merged by score (a stable sort: one shard's own order is kept as it came).
        rankings = []
        if mode in ("hybrid", "bm25"):
            rankings.append([i for i, _ in sorted(lexical, key=lambda hit: -hit[1])[: self.tuning.candidates]])
        if mode in ("hybrid", "dense"):
            rankings.append([i for i, _ in sorted(dense, key=lambda hit: -hit[1])[: self.tuning.candidates]])
        fused = reciprocal_rank_fusion(rankings)
        ranked = sorted(fused, key=fused.get, reverse=True)[: self.tuning.rerank_depth]  # type: ignore[arg-type]
        scored = self.score(ranked, fused, plan, query_vector, rerank, mode)
        if plan.periods:  # of the passages a reader would be shown, those about the period asked for
            scored = [s for s in scored[:max(k, SHOWN)]
                      if speaks_of(self.features.get(s[1]).periods, s[1].meeting_date, plan.periods)]
        # A figure asked for a period needs a passage that prints a figure of its kind for that period.
        lacking = lacks_asked_figure(self.reader, query, [s[1].id for s in scored]) \
            if plan.periods and mode != "dense" else None  # scored is cut to what a reader is shown
        hits = [] if lacking else self._hits(scored, k)
        took = (time.perf_counter() - started) * 1000
        message = None if hits else "No passage in the indexed papers matches this query closely enough."
        if not hits and plan.periods:
            message = (f"No passage close to this query {f'gives {lacking} for' if lacking else 'speaks of'} "
                       f"{' and '.join(p.text for p in plan.periods)} in the indexed papers.")
        return SearchResult(query=query, hits=tuple(hits), took_ms=round(took, 2), expansions=plan.expansions,
                            date_hint=plan.date_hint, message=message)

    def score(self, ranked: list[int], fused: dict[int, float], plan: QueryPlan, query_vector: np.ndarray,
              rerank: bool, mode: str) -> list[Scored]:
        """The candidates that pass the floor, best first, with their signals."""
        passages = self._passages(ranked)
        scored = []
        for passage_id in ranked:
            passage = passages[passage_id]
            signals = signals_of(passage, self.features.get(passage), plan, query_vector, fused[passage_id],
                                 self.rarity, self.background)
            if passes_floor(signals, self.tuning, mode):
                scored.append((rerank_score(signals, self.tuning) if rerank else signals["fused"], passage, signals))
        scored.sort(key=lambda s: s[0], reverse=True)
        return scored

    def _passages(self, ids: list[int]) -> dict[int, StoredPassage]:
        """Passages by id, from a bounded cache of recently ranked ones (a generation never changes)."""
        with self._cache_lock:
            found = {i: self._passage_cache[i] for i in ids if i in self._passage_cache}
            for i in found:
                self._passage_cache.move_to_end(i)
        missing = [i for i in ids if i not in found]
        if missing:
            fetched = self.reader.passages(missing)
            found.update(fetched)
            with self._cache_lock:
                self._passage_cache.update(fetched)
                while len(self._passage_cache) > 10_000:
                    self._passage_cache.popitem(last=False)
        return found

    def _hits(self, scored: list[Scored], k: int) -> list[Hit]:
        """The top k distinct texts; the other places that print the same words go in ``also_at``.

        Exact copies are found in the whole index (by fingerprint); near copies (same words
        around a different heading) among the candidates ranked above the k-th hit.
        """
        kept, near = collapse([passage for _, passage, _ in scored], k, lambda p: self.features.get(p).shingles)
        copies: dict[str, list[StoredPassage]] = {}
        for passage in self.reader.passages_with_fingerprints([scored[i][1].fingerprint for i in kept]):
            copies.setdefault(passage.fingerprint, []).append(passage)
        hits = []
        for position in kept:
            score, passage, signals = scored[position]
            others = [Location.of(copy) for copy in copies.get(passage.fingerprint, [])
                      if copy.id != passage.id and same_words(passage, copy, 1.0)]
            listed = {loc.passage_id for loc in others}
            others += [Location.of(p) for p in near.get(position, []) if p.id not in listed]
            hits.append(Hit(location=Location.of(passage), text=passage.text, header=passage.header,
                            score=round(float(score), 4), also_at=tuple(others),
                            signals={name: round(value, 4) for name, value in signals.items()}))
        return hits
