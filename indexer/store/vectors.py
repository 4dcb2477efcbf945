"""The FAISS index of passage vectors, keyed by passage id."""

from __future__ import annotations

from pathlib import Path

import numpy as np

try:
    import faiss
except ImportError as error:  # pragma: no cover - faiss-cpu is a declared dependency
    raise ImportError("faiss is required: pip install faiss-cpu") from error

VECTORS = "vectors.faiss"


def build_faiss(ids: np.ndarray, vectors: np.ndarray, factory: str = "Flat") -> faiss.Index:
    """An inner-product index over normalised vectors, with passage ids as labels.

    Args:
        ids: int64 passage ids, one per row.
        vectors: float32 rows, L2-normalised.
        factory: A FAISS index factory string ("Flat", "HNSW32", "IVF256,Flat"...).
    """
    dim = vectors.shape[1]
    inner = faiss.index_factory(dim, factory, faiss.METRIC_INNER_PRODUCT)
    if not inner.is_trained:
        inner.train(vectors)
    index = faiss.IndexIDMap2(inner)
    if len(ids):
        index.add_with_ids(np.ascontiguousarray(vectors, dtype=np.float32), np.asarray(ids, dtype=np.int64))
    return index


def save_faiss(index: faiss.Index, directory: Path) -> None:
    faiss.write_index(index, str(directory / VECTORS))


def load_faiss(directory: Path) -> faiss.Index:
    return faiss.read_index(str(directory / VECTORS))
