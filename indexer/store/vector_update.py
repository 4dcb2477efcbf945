"""Bring a new generation's FAISS index up to date with its database: update the previous one, or build afresh."""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from indexer.store.manifest import Manifest
from indexer.store.vectors import (
    IVF_MIN_VECTORS,
    VectorIndex,
    build_faiss,
    load_faiss,
    reusable,
    update_faiss,
)
from indexer.store.writer import all_vectors, decode_vectors

log = logging.getLogger(__name__)

# An update measures the cosine background on this many stored vectors at most (a fresh build on all).
BACKGROUND_SAMPLE = 50_000
_DOCUMENT_PASSAGES = ("FROM passages p JOIN documents d ON d.id = p.document_id"
                      " WHERE d.source_file IN (SELECT value FROM json_each(?)) ORDER BY p.id")


def document_passage_ids(conn: sqlite3.Connection, source_files: Sequence[str]) -> np.ndarray:
    """Ids of every passage of these documents (read them before deleting the documents)."""
    rows = conn.execute(f"SELECT p.id {_DOCUMENT_PASSAGES}", (json.dumps(list(source_files)),)).fetchall()
    return np.array([r[0] for r in rows], dtype=np.int64)


def document_passage_vectors(conn: sqlite3.Connection, source_files: Sequence[str],
                             dim: int) -> tuple[np.ndarray, np.ndarray]:
    """Ids and vectors of every passage of these documents, in id order."""
    return decode_vectors(conn.execute(f"SELECT p.id, p.vector {_DOCUMENT_PASSAGES}",
                                       (json.dumps(list(source_files)),)).fetchall(), dim)


def refresh_faiss(conn: sqlite3.Connection, previous: tuple[Path, Manifest] | None, stale: np.ndarray,
                  added: Sequence[str], dim: int, setting: str,
                  ivf_min: int = IVF_MIN_VECTORS) -> tuple[VectorIndex, np.ndarray]:
    """The generation's FAISS index, and stored vectors to measure the cosine background on.

    With a previous generation whose index ``reusable`` allows, that index loses the ``stale`` passage
    ids and gains the passages of the ``added`` documents (an IVF index keeps its training). Otherwise,
    or when the update fails or disagrees with the database, the index is built afresh from every vector.

    Args:
        conn: The new generation's database, with its documents already deleted and inserted.
        previous: The previous generation's folder and manifest, or None for a first build.
        stale: Ids the deleted (or changed) documents' passages had.
        added: Source files of the documents inserted by this run.
        dim: Vector dimension.
        setting: The factory setting ("auto" or a factory string).
        ivf_min: Where "auto" switches from Flat to IVF.
    """
    ids = np.array([r[0] for r in conn.execute("SELECT id FROM passages ORDER BY id")], dtype=np.int64)
    if previous is not None:
        folder, manifest = previous
        if reusable(manifest.faiss_built_with, manifest.faiss_factory, manifest.faiss_trained_on, setting, len(ids),
                    ivf_min):
            try:
                index = load_faiss(folder)
                update_faiss(index, stale, *document_passage_vectors(conn, added, dim))
                if index.ntotal != len(ids):
                    raise RuntimeError(f"the updated index holds {index.ntotal} vectors for {len(ids)} passages")
                sample = ids if len(ids) <= BACKGROUND_SAMPLE else \
                    np.sort(np.random.default_rng(0).choice(ids, BACKGROUND_SAMPLE, replace=False))
                return (VectorIndex(index, manifest.faiss_factory, manifest.faiss_nprobe, manifest.faiss_trained_on),
                        index.reconstruct_batch(sample))
            except RuntimeError as error:
                log.warning("building the FAISS index afresh: %s", error)
    ids, vectors = all_vectors(conn, dim)
    return build_faiss(ids, vectors, setting, ivf_min), vectors
