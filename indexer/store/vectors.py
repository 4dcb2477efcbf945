"""The FAISS index of passage vectors, keyed by passage id: exact while small, IVF past that."""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

try:
    import faiss
except ImportError as error:  # pragma: no cover - faiss-cpu is a declared dependency
    raise ImportError("faiss is required: pip install faiss-cpu") from error

log = logging.getLogger(__name__)

VECTORS = "vectors.faiss"
AUTO = "auto"
FLAT = "Flat"
# Below this many vectors "auto" scans them all (exact). A single-query flat scan of 384-dim vectors costs
# about 0.16-0.28 ms per 1,000 here (2-core EPYC, AVX2: dense p50 5.6 ms at 20k in bench_scale, 7.8 ms at 50k
# and 16 ms at 100k in isolation), so past 50k it alone would take the whole 10 ms search budget, while IVF
# answers in under 1 ms at recall@10 0.98 (100k); below it, the whole search costs several times the scan,
# 4*sqrt(N) lists would get few training points each, and exact results and no training cost little.
IVF_MIN_VECTORS = 50_000
# nprobe is the smallest power of two whose recall@10 against exact search reaches this on probe queries.
RECALL_TARGET = 0.95
# An IVF index keeps its lists while it holds between 1/4 and 4 times the vectors it was trained on.
REGROW_FACTOR = 4
PROBE_NOISE = 0.11  # see probe_queries
# Training sample and k-means iterations: at 100k passages (IVF1265), 40 points a list and 10 iterations
# trained in 12 s with recall@10 0.953/0.976 at nprobe 16/32 on real questions; 25 iterations (20 s, 0.941/0.970)
# or 100 points a list (24 s, 0.935/0.963) bought nothing. FAISS warns under 39 points a list.
TRAIN_POINTS_PER_LIST = 40
KMEANS_ITERATIONS = 10


@dataclass(frozen=True)
class VectorIndex:
    """A built FAISS index and what the manifest records about it.

    Attributes:
        index: The index; labels are passage ids.
        factory: The factory string it was built with ("Flat", "IVF1265,Flat").
        nprobe: Lists an IVF search visits (also stored in the index file); None when not IVF.
        trained_on: How many vectors it held when it was built (trained).
    """

    index: faiss.Index
    factory: str
    nprobe: int | None
    trained_on: int


def ivf_lists(count: int) -> int:
    """About 4*sqrt(N) lists, never so many that a list gets fewer than 39 training points."""
    return max(1, min(round(4 * math.sqrt(count)), count // 39))


def choose_factory(setting: str, count: int, ivf_min: int = IVF_MIN_VECTORS) -> str:
    """The factory string for ``count`` vectors: ``setting`` itself unless it is "auto"."""
    if setting != AUTO:
        return setting
    return FLAT if count < ivf_min else f"IVF{ivf_lists(count)},Flat"


def reusable(built_setting: str, built_factory: str, trained_on: int, setting: str, count: int,
             ivf_min: int = IVF_MIN_VECTORS) -> bool:
    """Whether an index built with ``built_factory`` can take ``count`` vectors by adds and removes alone.

    It cannot when the setting changed, when "auto" now wants the other regime (Flat or IVF), or when
    an IVF index holds more than 4 times (or under a quarter of) what its lists were trained on.
    """
    if built_setting != setting:
        return False
    if setting != AUTO:
        return True
    wanted = choose_factory(AUTO, count, ivf_min)
    if FLAT in (wanted, built_factory):
        return wanted == built_factory
    return trained_on / REGROW_FACTOR <= count <= trained_on * REGROW_FACTOR


def build_faiss(ids: np.ndarray, vectors: np.ndarray, factory: str = AUTO, ivf_min: int = IVF_MIN_VECTORS,
                seed: int = 0) -> VectorIndex:
    """An inner-product index over normalised vectors, with passage ids as labels.

    Args:
        ids: int64 passage ids, one per row.
        vectors: float32 rows, L2-normalised.
        factory: "auto" (Flat below ``ivf_min`` vectors, else IVF) or a FAISS factory string
            ("Flat", "HNSW32", "IVF256,Flat"...).
        ivf_min: Where "auto" switches from Flat to IVF.
        seed: Seeds the training sample and the nprobe probe queries.
    """
    ids = np.asarray(ids, dtype=np.int64)
    vectors = np.ascontiguousarray(vectors, dtype=np.float32)
    chosen = choose_factory(factory, len(ids), ivf_min)
    inner = faiss.index_factory(vectors.shape[1], chosen, faiss.METRIC_INNER_PRODUCT)
    ivf = faiss.try_extract_index_ivf(inner)
    if ivf is None:
        if not inner.is_trained:
            inner.train(vectors)
        index = faiss.IndexIDMap2(inner)
        if len(ids):
            index.add_with_ids(vectors, ids)
        return VectorIndex(index, chosen, None, len(ids))
    # IVF keeps the ids in its lists itself (an IndexIDMap over IVF would renumber wrongly on remove_ids),
    # and a hashtable from id to list position lets search reconstruct a filter's vectors and remove ids.
    ivf.set_direct_map_type(faiss.DirectMap.Hashtable)
    ivf.cp.niter = KMEANS_ITERATIONS
    rng = np.random.default_rng(seed)
    sample = rng.choice(len(ids), min(len(ids), TRAIN_POINTS_PER_LIST * ivf.nlist), replace=False)
    inner.train(vectors[np.sort(sample)])
    inner.add_with_ids(vectors, ids)
    ivf.nprobe = tune_nprobe(inner, ids, vectors, seed=seed)
    log.info("FAISS %s over %d vectors, nprobe %d", chosen, len(ids), ivf.nprobe)
    return VectorIndex(inner, chosen, ivf.nprobe, len(ids))


def probe_queries(vectors: np.ndarray, count: int = 256, seed: int = 0) -> np.ndarray:
    """Queries as far from the passages as real ones: the midpoint of two random passages, plus noise.

    A passage itself would find its own list first and flatter IVF. The noise (0.11 a dimension on the
    sum) brings the best cosine down to about 0.53, as for 200 unseen questions taken from a held-out pack
    (0.52; evaluation/bench_scale.py, 100k passages). Recall on these probes ran below those questions' at
    every nprobe there (0.945 against 0.976 at 32), so the nprobe chosen errs on the safe side.
    """
    rng = np.random.default_rng(seed)
    left, right = rng.integers(0, len(vectors), (2, count))
    noise = PROBE_NOISE * rng.standard_normal((count, vectors.shape[1]))
    queries = np.ascontiguousarray(vectors[left] + vectors[right] + noise, dtype=np.float32)
    faiss.normalize_L2(queries)
    return queries


def recall_at(found: np.ndarray, exact: np.ndarray) -> float:
    """Mean share of each row of ``exact`` ids (-1 pads) that the same row of ``found`` holds; empty rows skipped."""
    hits = [len(set(f[f >= 0].tolist()) & set(e[e >= 0].tolist())) / (e >= 0).sum()
            for f, e in zip(found, exact) if (e >= 0).any()]
    return float(np.mean(hits)) if hits else 1.0


def tune_nprobe(index: faiss.Index, ids: np.ndarray, vectors: np.ndarray, target: float = RECALL_TARGET,
                k: int = 10, seed: int = 0) -> int:
    """The smallest power-of-two nprobe whose recall@k against exact search reaches ``target``."""
    ivf = faiss.extract_index_ivf(index)
    queries = probe_queries(vectors, seed=seed)
    _, positions = faiss.knn(queries, vectors, k, metric=faiss.METRIC_INNER_PRODUCT)
    exact = np.where(positions >= 0, ids[positions], -1)
    nprobe = 1
    while nprobe < ivf.nlist:
        _, found = index.search(queries, k, params=faiss.SearchParametersIVF(nprobe=nprobe))
        if recall_at(found, exact) >= target:
            return nprobe
        nprobe *= 2
    return ivf.nlist


def update_faiss(index: faiss.Index, removed: np.ndarray, ids: np.ndarray, vectors: np.ndarray) -> None:
    """Remove the ids of deleted passages, then add new ones (SQLite may reuse a deleted id).

    An IVF index keeps its trained lists; ``reusable`` says when it should be built afresh instead.
    Raises RuntimeError where the index type cannot remove ids (HNSW).
    """
    removed = np.asarray(removed, dtype=np.int64)
    if len(removed):
        ivf = faiss.try_extract_index_ivf(index)
        # An IVF hashtable direct map removes only by an explicit array; an id map takes a hashed batch.
        selector = faiss.IDSelectorArray(removed) if ivf is not None else faiss.IDSelectorBatch(removed)
        if index.remove_ids(selector) != len(removed):
            raise RuntimeError(f"the previous FAISS index did not hold all {len(removed)} removed passages")
    if len(ids):
        index.add_with_ids(np.ascontiguousarray(vectors, dtype=np.float32), np.asarray(ids, dtype=np.int64))


def save_faiss(index: faiss.Index, directory: Path) -> None:
    faiss.write_index(index, str(directory / VECTORS))


def load_faiss(directory: Path) -> faiss.Index:
    """The generation's index; an IVF index comes back with the nprobe its build chose."""
    return faiss.read_index(str(directory / VECTORS))
