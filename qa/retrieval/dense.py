"""Dense search over the FAISS index, with filters applied inside the search."""

from __future__ import annotations

import faiss
import numpy as np


class AllowedIds:
    """The passage ids a filter admits, with the FAISS selector over them built once."""

    def __init__(self, ids: np.ndarray) -> None:
        self.ids = ids
        self.selector = faiss.IDSelectorBatch(ids) if len(ids) else None

    def __len__(self) -> int:
        return len(self.ids)


def dense_search(index: faiss.Index, query: np.ndarray, limit: int, allowed: AllowedIds | None = None,
                 excluded: frozenset[int] = frozenset()) -> list[tuple[int, float]]:
    """(passage id, cosine) best first.

    ``allowed`` restricts the ids searched (a filter); without it the whole index is searched,
    no selector built, and the few ``excluded`` ids (boilerplate) are dropped from an over-fetch.
    """
    if index.ntotal == 0 or (allowed is not None and len(allowed) == 0):
        return []
    vector = np.ascontiguousarray(query.reshape(1, -1), dtype=np.float32)
    if allowed is not None:
        scores, ids = index.search(vector, min(limit, index.ntotal), params=faiss.SearchParameters(sel=allowed.selector))
        return [(int(i), float(s)) for i, s in zip(ids[0], scores[0]) if i >= 0]
    fetch = min(limit + min(len(excluded), limit), index.ntotal)
    scores, ids = index.search(vector, fetch)
    return [(int(i), float(s)) for i, s in zip(ids[0], scores[0]) if i >= 0 and int(i) not in excluded][:limit]
