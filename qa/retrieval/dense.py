"""Dense search over the FAISS index, with filters applied inside the search."""

from __future__ import annotations

import math

import faiss
import numpy as np

# On an IVF index a filter's ids are either scored exactly (their vectors reconstructed by id, times the
# query) or searched with the selector and nprobe raised by the share of the index the filter rules out,
# whichever does less work. Reconstructing one vector costs about as much as RECONSTRUCT_COST vectors
# scanned against the selector (1.1-1.7 us against 70 ns, 8,627 ids of 100k, 2-core EPYC). A filter that
# admits few ids always goes exact: its raised nprobe would visit every list anyway.
RECONSTRUCT_COST = 16
EXACT_MAX_IDS = 50_000  # bounds the matrix an exact scoring reconstructs (75 MB at 384 dimensions)


class AllowedIds:
    """The passage ids a filter admits, with the FAISS selector over them built once."""

    def __init__(self, ids: np.ndarray) -> None:
        self.ids = np.sort(ids)  # sorted, so BM25 can test membership by binary search (no set to hold)
        self.selector = faiss.IDSelectorBatch(self.ids) if len(ids) else None

    def __len__(self) -> int:
        return len(self.ids)


def search_one_query_at_a_time() -> None:
    """Run FAISS searches on the calling thread. A server searches one query vector per request, which
    FAISS's OpenMP team cannot split usefully, and whose spinning threads fought the query encoder's for
    this machine's two cores: 2.5 -> 0.6 ms a search and new-query p50 23 -> 20 ms in process (2,584
    passages, 150 gold queries). Set for the serving process only: builds keep every thread."""
    faiss.omp_set_num_threads(1)


def dense_search(index: faiss.Index, query: np.ndarray, limit: int, allowed: AllowedIds | None = None,
                 excluded: frozenset[int] = frozenset()) -> list[tuple[int, float]]:
    """(passage id, cosine) best first.

    ``allowed`` restricts the ids searched (a filter); without it the whole index is searched,
    no selector built, and the ``excluded`` ids (boilerplate) are dropped from an over-fetch.
    On an IVF index a filter that admits few ids is scored exactly; one that admits many is searched
    with more lists visited, in proportion to the share of the index it rules out.
    """
    if index.ntotal == 0 or (allowed is not None and len(allowed) == 0):
        return []
    vector = np.ascontiguousarray(query.reshape(1, -1), dtype=np.float32)
    if allowed is not None:
        ivf = faiss.try_extract_index_ivf(index)
        params = faiss.SearchParameters(sel=allowed.selector)
        if ivf is not None:
            nprobe = min(ivf.nlist, math.ceil(ivf.nprobe * index.ntotal / len(allowed)))
            if len(allowed) <= EXACT_MAX_IDS and len(allowed) * RECONSTRUCT_COST <= nprobe * index.ntotal / ivf.nlist:
                return exact_search(index, vector[0], allowed.ids, limit)
            params = faiss.SearchParametersIVF(sel=allowed.selector, nprobe=nprobe)
        scores, ids = index.search(vector, min(limit, index.ntotal), params=params)
        return [(int(i), float(s)) for i, s in zip(ids[0], scores[0]) if i >= 0]
    # Over-fetch to make up for the excluded; a query that looks like boilerplate (repeated in many packs,
    # so in many of the best places) fetches more, up to every excluded id, until it has a full page.
    fetch, most = min(limit + min(len(excluded), limit), index.ntotal), min(limit + len(excluded), index.ntotal)
    while True:
        scores, ids = index.search(vector, fetch)
        kept = [(int(i), float(s)) for i, s in zip(ids[0], scores[0]) if i >= 0 and int(i) not in excluded][:limit]
        if len(kept) == limit or fetch >= most:
            return kept
        fetch = min(fetch * 4, most)


def exact_search(index: faiss.Index, query: np.ndarray, ids: np.ndarray, limit: int) -> list[tuple[int, float]]:
    """The ``limit`` best of ``ids`` by exact inner product, their vectors reconstructed from ``index``."""
    scores = index.reconstruct_batch(ids) @ query
    top = np.argpartition(-scores, limit - 1)[:limit] if len(ids) > limit else np.arange(len(ids))
    top = top[np.argsort(-scores[top], kind="stable")]
    return [(int(ids[i]), float(scores[i])) for i in top]
