"""The second stage and the relevance floor: signals per candidate, a weighted score, and who passes."""

from __future__ import annotations

import functools
import math
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from indexer.store.rows import StoredPassage
from models.calibration import CosineBackground
from qa.retrieval.collapse import shingles
from indexer.figures.periods import Period
from qa.retrieval.query import QueryPlan
from qa.retrieval.specifics import printed_periods
from qa.retrieval.signals import (
    coverage,
    date_match,
    idf_coverage,
    proximity,
    stem,
    stems,
    word_positions,
)


@dataclass(frozen=True)
class Tuning:
    """Weights of the second stage and the relevance floor (tuned on the dev split).

    Attributes:
        candidates: How many first-stage hits each retriever contributes.
        rerank_depth: How many fused hits the second stage rescores.
        bm25_common: BM25 leaves out query words held by more than this share of the passages
            (1.0: none left out); the second stage still counts them.
        w_dense: Weight of the query-passage cosine.
        w_coverage: Weight of the share of query terms present.
        w_heading: Weight of query terms in the item title and headings.
        w_date: Weight of a match with the query's date hint.
        w_fused: Weight of the reciprocal-rank fusion score.
        w_idf: Weight of the rarity-weighted share of query terms present.
        w_proximity: Weight of adjacent query terms found near each other.
        floor_dense: A hit needs at least this closeness...
        floor_coverage: ...or at least this term coverage with closeness over floor_dense_low.
        floor_dense_low: The lower closeness bar that goes with good coverage.
        floor_idf: ...and at least this rarity-weighted coverage.
        floor_dense_sure: This close passes on meaning alone; between floor_dense
            and it, a hit must also hold floor_idf_dense of the query's rarity-weighted words.
        floor_idf_dense: See floor_dense_sure.

    Closeness is the cosine counted in standard deviations above the index's cosine background
    (``models.calibration.CosineBackground``), so the floor holds for another model. With MiniLM
    the three bars are the cosines 0.40, 0.25 and 0.55 they replace (background 0.383 +- 0.136).
    """

    candidates: int = 100
    bm25_common: float = 0.05
    rerank_depth: int = 50
    w_dense: float = 1.0
    w_coverage: float = 0.35
    w_heading: float = 0.0
    w_date: float = 0.0
    w_fused: float = 0.0
    w_idf: float = 0.5
    w_proximity: float = 0.2
    floor_dense: float = 0.128
    floor_coverage: float = 0.6
    floor_dense_low: float = -0.976
    floor_idf: float = 0.0
    floor_dense_sure: float = 1.232
    floor_idf_dense: float = 0.3


def passes_floor(signals: dict[str, float], t: Tuning, mode: str) -> bool:
    """The relevance floor: close in meaning, or covering the query's words (BM25 mode: only the latter)."""
    cover = max(signals["coverage"], signals["coverage_expanded"])
    if mode == "bm25":
        return cover >= t.floor_coverage
    closeness = signals["closeness"]
    close = closeness >= t.floor_dense_sure or (closeness >= t.floor_dense and signals["idf"] >= t.floor_idf_dense)
    return close or (cover >= t.floor_coverage and signals["idf"] >= t.floor_idf and closeness >= t.floor_dense_low)


def rerank_score(signals: dict[str, float], t: Tuning) -> float:
    """The second stage's score: a weighted sum of the signals."""
    return (t.w_dense * signals["dense"] + t.w_coverage * max(signals["coverage"], signals["coverage_expanded"])
            + t.w_heading * signals["heading"] + t.w_date * signals["date"] + t.w_fused * signals["fused"]
            + t.w_idf * signals["idf"] + t.w_proximity * signals["proximity"])


@dataclass(frozen=True)
class PassageFeatures:
    """What the second stage needs of a passage's words, computed once per passage."""

    stems: frozenset[str]  # text, repeated header and context header
    heading: frozenset[str]  # context header (body, date, item, section)
    positions: dict[str, list[int]]  # header and text
    text: str  # the passage's source text, for its shingles and periods
    header: str
    meeting_date: str | None

    @functools.cached_property
    def shingles(self) -> frozenset[tuple[str, ...]]:
        """The text's word trigrams, for near-duplicate collapse: asked only of the candidates ranked
        above the k-th hit, so computed only for them."""
        return frozenset(shingles(self.text))

    @functools.cached_property
    def periods(self) -> tuple[Period, ...]:
        """The dated periods the passage prints, asked only when a query names one."""
        return printed_periods(self.header, self.text, self.meeting_date)


def passage_features(passage: StoredPassage) -> PassageFeatures:
    """The word features of one passage (its words are read and stemmed once: the header and text's
    positions give their stems)."""
    positions = word_positions(f"{passage.header} {passage.text}")
    heading = frozenset(stems(passage.context))
    return PassageFeatures(stems=frozenset(positions) | heading, heading=heading, positions=positions,
                           text=passage.text, header=passage.header, meeting_date=passage.meeting_date)


class FeatureCache:
    """Passage features, least recently used dropped first once ``size`` passages are held."""

    def __init__(self, size: int = 50_000) -> None:
        self.size = size
        self._features: OrderedDict[int, PassageFeatures] = OrderedDict()

    def get(self, passage: StoredPassage) -> PassageFeatures:
        found = self._features.get(passage.id)
        if found is None:
            found = self._features[passage.id] = passage_features(passage)
            if len(self._features) > self.size:
                self._features.popitem(last=False)
        else:
            self._features.move_to_end(passage.id)
        return found


class RarityWeights:
    """Inverse document frequencies of word stems over the passages of an index.

    Read from the full-text index's vocabulary as queries need them (its Porter stems are the
    second stage's), so opening an index costs nothing that grows with it.
    """

    def __init__(self, frequencies: Callable[[Sequence[str]], dict[str, int]], passages: int) -> None:
        self.frequencies = frequencies
        self.count = max(passages, 1)
        self.unseen = math.log(1 + self.count)
        self.idf = _Lookup(self)

    def selective(self, terms: Sequence[str], share: float) -> list[str]:
        """The terms held by at most ``share`` of the passages (the rarest one if none is), in order.

        Words nearly every passage holds ("council", "children") add little to BM25 and cost the
        most to score: each of their matches is ranked.
        """
        if share >= 1.0 or not terms:
            return list(terms)
        self.idf.fetch(stem(t) for t in terms)
        rarity = {t: self.idf.get(stem(t), self.unseen) for t in terms}
        kept = [t for t in terms if rarity[t] >= math.log(1 + 1 / share)]  # n <= share * count
        return kept or [max(terms, key=rarity.__getitem__)]


class _Lookup:
    """``idf.get(stem, default)`` over a RarityWeights, cached (a bounded dict: stems repeat)."""

    def __init__(self, owner: RarityWeights, size: int = 100_000) -> None:
        self.owner, self.size = owner, size
        self.known: dict[str, float] = {}

    def get(self, key: str, default: float) -> float:
        if key not in self.known:
            self.fetch([key])
        found = self.known[key]
        return default if found is None else found  # type: ignore[return-value]

    def fetch(self, keys: Iterable[str]) -> None:
        missing = [k for k in dict.fromkeys(keys) if k not in self.known]
        if not missing:
            return
        if len(self.known) + len(missing) > self.size:
            self.known.clear()
        counts = self.owner.frequencies(missing)
        for key in missing:
            n = counts.get(key)
            self.known[key] = math.log(1 + self.owner.count / n) if n else None  # type: ignore[assignment]


def signals_of(passage: StoredPassage, features: PassageFeatures, plan: QueryPlan, query_vector: np.ndarray,
               fused: float, rarity: RarityWeights, background: CosineBackground) -> dict[str, float]:
    """Every second-stage signal of one candidate for one query."""
    expanded = plan.terms + tuple(w for e in plan.expansions for w in e.lower().split() if len(w) > 3)
    dense = float(np.frombuffer(passage.vector, dtype=np.float32) @ query_vector)
    return {
        "dense": dense, "closeness": background.z(dense), "fused": fused,
        "coverage": coverage(plan.terms, features.stems) if plan.terms else 0.0,
        "coverage_expanded": coverage(expanded, features.stems) if expanded else 0.0,
        "heading": coverage(plan.terms, features.heading) if plan.terms else 0.0,
        "date": date_match(plan.year, plan.month, passage.meeting_date, passage.text),
        "idf": idf_coverage(plan.terms, features.stems, rarity.idf, rarity.unseen),
        "proximity": proximity(plan.terms, features.positions),
    }
