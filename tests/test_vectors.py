"""The FAISS index: Flat or IVF by size, IVF recall, exact filtered search, incremental updates."""

from __future__ import annotations

import json
import shutil
from dataclasses import asdict
from pathlib import Path

import faiss
import numpy as np
import pytest
from fakes import fake_components

from indexer.pipeline import IndexBuilder
from indexer.store.manifest import MANIFEST, read_manifest
from indexer.store.reader import IndexReader
from indexer.store.vectors import (
    FLAT,
    build_faiss,
    load_faiss,
    recall_at,
    reusable,
    save_faiss,
    update_faiss,
)
from qa.retrieval import dense
from qa.retrieval.dense import AllowedIds, dense_search

MINI = Path(__file__).resolve().parent / "data" / "mini"


def clustered(count: int, dim: int = 32, topics: int = 64, seed: int = 1) -> np.ndarray:
    """Normalised vectors around ``topics`` centres, like passages around subjects."""
    rng = np.random.default_rng(seed)
    centres = rng.standard_normal((topics, dim))
    vectors = (centres[rng.integers(0, topics, count)] + 0.6 * rng.standard_normal((count, dim))).astype(np.float32)
    faiss.normalize_L2(vectors)
    return vectors


def exact_top(ids: np.ndarray, vectors: np.ndarray, query: np.ndarray, k: int) -> list[int]:
    scores = vectors @ query
    return [int(ids[i]) for i in np.argsort(-scores, kind="stable")[:k]]


@pytest.fixture(scope="module")
def ivf_set() -> tuple[np.ndarray, np.ndarray, object]:
    vectors = clustered(8000)
    ids = np.arange(8000, dtype=np.int64) * 3 + 5  # sparse ids, as after deletes
    return ids, vectors, build_faiss(ids, vectors, ivf_min=1000)


def test_auto_is_flat_when_small_and_ivf_when_large(tmp_path, ivf_set):
    small = clustered(500)
    flat = build_faiss(np.arange(500), small, ivf_min=1000)
    assert flat.factory == FLAT and flat.nprobe is None and faiss.try_extract_index_ivf(flat.index) is None
    _ids, _vectors, ivf = ivf_set
    assert ivf.factory.startswith("IVF") and ivf.trained_on == 8000
    assert faiss.extract_index_ivf(ivf.index).nlist == 205  # min(4*sqrt(8000), 8000 // 39)
    assert 1 <= ivf.nprobe < 205
    save_faiss(ivf.index, tmp_path)  # the reader gets the chosen nprobe from the file
    assert faiss.extract_index_ivf(load_faiss(tmp_path)).nprobe == ivf.nprobe
    assert build_faiss(np.arange(500), small, factory="HNSW32").factory == "HNSW32"  # explicit strings still work


def test_ivf_recall_against_exact(ivf_set):
    ids, vectors, ivf = ivf_set
    rng = np.random.default_rng(9)
    queries = vectors[rng.integers(0, len(vectors), 200)] + 0.5 * clustered(200, seed=3)  # unseen queries
    faiss.normalize_L2(queries)
    _, found = ivf.index.search(queries, 10)
    exact = np.array([exact_top(ids, vectors, q, 10) for q in queries])
    assert recall_at(found, exact) >= 0.95


def test_filtered_search_with_few_ids_is_exact(ivf_set, monkeypatch):
    ids, vectors, ivf = ivf_set
    rng = np.random.default_rng(4)
    query = vectors[17]
    few = np.sort(rng.choice(ids, 300, replace=False))
    positions = np.searchsorted(ids, few)
    got = dense_search(ivf.index, query, 20, AllowedIds(few))
    assert [i for i, _ in got] == exact_top(few, vectors[positions], query, 20)
    assert np.allclose([s for _, s in got], np.sort(vectors[positions] @ query)[::-1][:20], atol=1e-5)
    # A filter too large to score exactly searches IVF with more lists and still finds a full, right page.
    monkeypatch.setattr(dense, "EXACT_MAX_IDS", 100)
    many = np.sort(rng.choice(ids, 800, replace=False))
    got = dense_search(ivf.index, query, 20, AllowedIds(many))
    expected = exact_top(many, vectors[np.searchsorted(ids, many)], query, 20)
    assert len(got) == 20 and len({i for i, _ in got} & set(expected)) >= 18


def test_incremental_update_equals_rebuild():
    vectors = clustered(3000, seed=5)
    ids = np.arange(1, 3001, dtype=np.int64)
    for factory in ("auto", "IVF32,Flat"):
        built = build_faiss(ids[:2500], vectors[:2500], factory=factory, ivf_min=10**6)
        removed = ids[1000:1200]  # deleted passages, whose ids SQLite then reuses
        new_ids = np.concatenate([removed[:50], ids[2500:]])
        new_vectors = np.concatenate([vectors[2500:2550], vectors[2500:]])
        update_faiss(built.index, removed, new_ids, new_vectors)
        keep = np.concatenate([ids[:1000], ids[1200:2500]])
        final_ids = np.concatenate([keep, new_ids])
        final_vectors = np.concatenate([vectors[keep - 1], new_vectors])
        assert built.index.ntotal == len(final_ids)
        assert np.allclose(built.index.reconstruct_batch(new_ids[:50]), vectors[2500:2550])
        ivf = faiss.try_extract_index_ivf(built.index)
        if ivf is not None:
            ivf.nprobe = ivf.nlist  # every list: exact, so the comparison is about ids, not the approximation
        rebuilt = build_faiss(final_ids, final_vectors, factory="Flat")
        queries = clustered(20, seed=8)
        assert np.array_equal(built.index.search(queries, 10)[1], rebuilt.index.search(queries, 10)[1])


def test_reusable_until_regime_change_or_fourfold_growth():
    assert reusable("auto", FLAT, 10, "auto", 40_000)
    assert not reusable("auto", FLAT, 40_000, "auto", 60_000)  # Flat -> IVF
    assert reusable("auto", "IVF894,Flat", 50_000, "auto", 190_000)
    assert not reusable("auto", "IVF894,Flat", 50_000, "auto", 210_000)  # grown more than 4x
    assert not reusable("auto", "IVF894,Flat", 60_000, "auto", 40_000)  # IVF -> Flat
    assert not reusable("Flat", FLAT, 100, "auto", 100)  # another setting
    assert reusable("HNSW32", "HNSW32", 100, "HNSW32", 10**6)


def test_builder_updates_faiss_without_retraining(tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(MINI, corpus)
    index, fresh = tmp_path / "index", tmp_path / "fresh"
    builder = IndexBuilder(index, fake_components(), faiss_ivf_min=1)
    builder.run([corpus])
    first = read_manifest(IndexReader(index).generation)
    assert first.faiss_setting == "auto" and first.faiss_factory.startswith("IVF") and first.faiss_nprobe
    (corpus / "extra.txt").write_text("Transport report\n\nThe transport budget rose.\n")
    (corpus / "2021-03-children.txt").unlink()
    builder.run([corpus], prune=True)
    reader = IndexReader(index)
    assert reader.integrity_problems() == []
    assert reader.manifest.faiss_trained_on == first.faiss_trained_on  # updated, not retrained
    IndexBuilder(fresh, fake_components(), faiss_ivf_min=1).run([corpus])
    rebuilt = IndexReader(fresh)

    def results(reader: IndexReader) -> list[tuple[str, int]]:
        conn, query = reader.connection(), np.ones(reader.manifest.dim, dtype=np.float32)
        found = dense_search(reader.faiss, query / np.linalg.norm(query), 10)
        return [tuple(conn.execute("SELECT d.source_file, p.ordinal FROM passages p JOIN documents d"
                                   " ON d.id = p.document_id WHERE p.id = ?", (i,)).fetchone()) for i, _ in found]

    assert results(reader) == results(rebuilt)


def test_a_manifest_older_than_the_faiss_fields_still_loads(tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(MINI, corpus)
    IndexBuilder(tmp_path / "index", fake_components(), faiss_factory="Flat").run([corpus])
    generation = IndexReader(tmp_path / "index").generation
    data = asdict(read_manifest(generation))
    for name in ("faiss_setting", "faiss_nprobe", "faiss_trained_on"):
        del data[name]
    (generation / MANIFEST).write_text(json.dumps(data))
    old = read_manifest(generation)
    assert old.faiss_built_with == "Flat" and old.faiss_trained_on == 0


def test_a_query_like_boilerplate_still_gets_a_full_page():
    vectors = clustered(500, seed=6)
    ids = np.arange(500, dtype=np.int64)
    built = build_faiss(ids, vectors, factory="Flat")
    query = vectors[3]
    nearest = exact_top(ids, vectors, query, 40)
    excluded = frozenset(nearest[:30])  # more excluded near the top than the usual over-fetch covers
    got = dense_search(built.index, query, 10, None, excluded)
    assert [i for i, _ in got] == nearest[30:40]
