"""Dense search over the FAISS index, with filters applied inside the search."""

from __future__ import annotations

import faiss
import numpy as np


def dense_search(index: faiss.Index, query: np.ndarray, limit: int, allowed: np.ndarray | None) -> list[tuple[int, float]]:
    """(passage id, cosine) best first; ``allowed`` restricts the ids searched."""
    if index.ntotal == 0 or (allowed is not None and len(allowed) == 0):
        return []
    params = None
    if allowed is not None:
        params = faiss.SearchParameters(sel=faiss.IDSelectorBatch(allowed))
    scores, ids = index.search(np.ascontiguousarray(query.reshape(1, -1), dtype=np.float32),
                               min(limit, index.ntotal), params=params)
    return [(int(i), float(s)) for i, s in zip(ids[0], scores[0]) if i >= 0]
