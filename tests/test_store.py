"""The index store: build, incremental add/change/remove, crash safety, lock, mismatch."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import numpy as np
import pytest

from indexer.errors import IndexLocked, IndexMismatch, IndexNotFound
from models.catalog import DEFAULT_MODEL, PRODUCT_MODEL
from indexer.pipeline import IndexBuilder
from indexer.store.layout import CURRENT, WriteLock, current_generation
from indexer.store.reader import IndexReader
from fakes import fake_components

MINI = Path(__file__).resolve().parent / "data" / "mini"
@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    shutil.copytree(MINI, folder)
    return folder


def build(index: Path, corpus: Path, **kwargs):
    return IndexBuilder(index, fake_components(kwargs.pop("model", "keyword"))).run([corpus], **kwargs)


def snapshot(index: Path) -> dict:
    """Everything a query can see, independent of row ids."""
    reader = IndexReader(index)
    conn = reader.connection()

    def rows(sql):
        return sorted(tuple(row) for row in conn.execute(sql))

    return {"passages": rows("SELECT d.source_file, p.ordinal, p.text, p.vector FROM passages p"
                             " JOIN documents d ON d.id = p.document_id"),
            "mentions": rows("SELECT e.label, e.norm, m.text FROM mentions m JOIN entities e ON e.id = m.entity_id"),
            "documents": reader.manifest.documents,
            "people": rows("SELECT name, role FROM people"),
            "glossary": rows("SELECT acronym, long_form FROM glossary")}


def test_build_and_round_trip(tmp_path, corpus):
    index = tmp_path / "index"
    report = build(index, corpus)
    assert report.published and report.documents == 2 and report.failures == []
    reader = IndexReader(index)
    assert reader.integrity_problems() == []
    conn = reader.connection()
    text = conn.execute("SELECT text FROM documents WHERE source_file = '2021-03-children.txt'").fetchone()[0]
    for start, end, passage in conn.execute("SELECT char_start, char_end, text FROM passages"):
        if passage in text:
            assert text[start:end] == passage
    assert reader.faiss.ntotal == report.passages
    ids = np.array([r[0] for r in conn.execute("SELECT id FROM passages")])
    stored = np.frombuffer(conn.execute("SELECT vector FROM passages WHERE id = ?", (int(ids[0]),)).fetchone()[0], np.float32)
    assert np.allclose(reader.faiss.reconstruct(int(ids[0])), stored)
    assert conn.execute("SELECT COUNT(*) FROM mentions").fetchone()[0] >= 2
    assert ("EHCP", "Education, Health and Care Plan") in [tuple(r) for r in conn.execute("SELECT acronym, long_form FROM glossary")]
    assert [tuple(r) for r in conn.execute("SELECT name, role FROM people")] == [("Fabian Eagle", "Chair")]


def test_unchanged_corpus_is_a_no_op(tmp_path, corpus):
    index = tmp_path / "index"
    build(index, corpus)
    generation = current_generation(index)
    report = build(index, corpus)
    assert not report.published and report.embedded == 0 and report.unchanged == 2
    assert current_generation(index) == generation


def test_incremental_equals_full_rebuild(tmp_path, corpus):
    index = tmp_path / "index"
    build(index, corpus)
    (corpus / "2019-06-health.md").write_text((corpus / "2019-06-health.md").read_text() + "\n## Housing\n\nNew housing care schemes.\n")
    (corpus / "extra.txt").write_text("Transport report\n\nThe transport budget rose.\n")
    (corpus / "2021-03-children.txt").unlink()
    report = build(index, corpus, prune=True)
    assert report.added == ["extra.txt"] and report.changed == ["2019-06-health.md"]
    assert report.removed == ["2021-03-children.txt"]
    fresh = tmp_path / "fresh"
    build(fresh, corpus)
    assert snapshot(index) == snapshot(fresh)
    assert IndexReader(index).integrity_problems() == []


@pytest.mark.parametrize("leftover", [None, "-journal"])
def test_an_update_starts_from_a_copy_of_the_live_database(tmp_path, corpus, leftover):
    """The live database is copied as a file; beside a journal SQLite copies it instead. Either way the
    live generation is left as it was and the update holds old and new papers."""
    index = tmp_path / "index"
    build(index, corpus)
    live = current_generation(index)
    if leftover:
        (live / f"index.sqlite{leftover}").write_bytes(b"")
    before = (live / "index.sqlite").read_bytes()
    (corpus / "extra.txt").write_text("Transport report\n\nThe transport budget rose.\n")
    report = build(index, corpus)
    assert report.added == ["extra.txt"] and report.published
    assert (live / "index.sqlite").read_bytes() == before
    reader = IndexReader(index)
    assert set(reader.manifest.documents) == {"2019-06-health.md", "2021-03-children.txt", "extra.txt"}
    assert reader.integrity_problems() == []


def test_without_prune_removed_files_stay(tmp_path, corpus):
    index = tmp_path / "index"
    build(index, corpus)
    (corpus / "2021-03-children.txt").unlink()
    build(index, corpus)
    assert "2021-03-children.txt" in IndexReader(index).manifest.documents


def test_crash_mid_build_leaves_old_index(tmp_path, corpus):
    index = tmp_path / "index"
    build(index, corpus)
    before = snapshot(index)
    (corpus / "extra.txt").write_text("Obesity report\n\nThe obesity budget rose.\n")
    components = fake_components()

    def explode(texts):
        raise KeyboardInterrupt("killed")

    components.extract_entities = explode
    with pytest.raises(KeyboardInterrupt):
        IndexBuilder(index, components).run([corpus])
    assert snapshot(index) == before
    assert IndexReader(index).integrity_problems() == []
    assert not list(index.glob("gen-*.tmp"))


def test_leftover_temp_generation_is_ignored_and_cleaned(tmp_path, corpus):
    index = tmp_path / "index"
    build(index, corpus)
    (index / "gen-half.tmp").mkdir()
    (index / "gen-half.tmp" / "index.sqlite").write_bytes(b"garbage")
    assert IndexReader(index).integrity_problems() == []
    (corpus / "extra.txt").write_text("Care report\n\nCare text.\n")
    build(index, corpus)
    assert not (index / "gen-half.tmp").exists()


def test_second_writer_is_locked_out(tmp_path, corpus):
    index = tmp_path / "index"
    with WriteLock(index):
        with pytest.raises(IndexLocked, match="locked"):
            build(index, corpus)


def test_model_mismatch_is_a_clear_error(tmp_path, corpus):
    index = tmp_path / "index"
    build(index, corpus)
    with pytest.raises(IndexMismatch, match="rebuild"):
        build(index, corpus, model="other-model")
    assert build(index, corpus, model="other-model", rebuild=True).published


def test_an_index_of_the_former_product_model_is_rebuilt_on_upgrade(tmp_path, corpus):
    """`make run` after an update that changed the product's model rebuilds the index, not refuses it."""
    index = tmp_path / "index"
    build(index, corpus, model=DEFAULT_MODEL)
    report = build(index, corpus, model=PRODUCT_MODEL)
    assert report.published and report.added and not report.unchanged
    assert IndexReader(index).manifest.model == PRODUCT_MODEL
    with pytest.raises(IndexMismatch, match="rebuild"):  # any other change of model is still refused
        build(index, corpus, model=DEFAULT_MODEL)


def test_missing_index(tmp_path):
    with pytest.raises(IndexNotFound, match="qa index"):
        IndexReader(tmp_path / "nothing")


def test_bad_files_are_reported_and_the_rest_indexed(tmp_path, corpus):
    (corpus / "empty.txt").write_text("")
    (corpus / "notes.docx").write_bytes(b"PK\x03\x04")
    report = build(tmp_path / "index", corpus)
    assert report.documents == 2
    assert sorted(f.source_file for f in report.failures) == ["empty.txt", "notes.docx"]
    assert report.tried == 4


def test_current_pointer_switch_is_atomic(tmp_path, corpus):
    index = tmp_path / "index"
    build(index, corpus)
    first = (index / CURRENT).read_text()
    reader = IndexReader(index)
    (corpus / "extra.txt").write_text("Budget report\n\nThe budget.\n")
    build(index, corpus)
    assert (index / CURRENT).read_text() != first
    # A reader opened before the switch still sees its own, complete generation.
    assert reader.integrity_problems() == []
    assert "extra.txt" not in reader.manifest.documents
    conn = sqlite3.connect(current_generation(index) / "index.sqlite")
    assert conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0] == 3


def test_an_index_of_an_older_schema_is_rebuilt_whole(tmp_path: Path, corpus: Path) -> None:
    import json

    from indexer.store.manifest import MANIFEST

    index = tmp_path / "index"
    build(index, corpus)
    manifest_path = current_generation(index) / MANIFEST
    old = json.loads(manifest_path.read_text(encoding="utf-8"))
    manifest_path.write_text(json.dumps({**old, "schema_version": old["schema_version"] - 1}), encoding="utf-8")
    report = build(index, corpus)
    assert report.published and sorted(report.added) == sorted(p.name for p in corpus.iterdir())
    assert IndexReader(index).manifest.schema_version == old["schema_version"]


def test_an_index_read_by_another_reader_version_is_read_again_whole(tmp_path: Path, corpus: Path) -> None:
    # Unchanged papers are not read again, so a version that reads them differently (a parser or figure
    # extraction change) must say so, or an updated program would keep the old records.
    import json

    from indexer.store.manifest import MANIFEST
    from indexer.store.schema import READER_VERSION

    index = tmp_path / "index"
    build(index, corpus)
    assert IndexReader(index).manifest.reader_version == READER_VERSION
    assert build(index, corpus).added == []
    manifest_path = current_generation(index) / MANIFEST
    old = json.loads(manifest_path.read_text(encoding="utf-8"))
    manifest_path.write_text(json.dumps({**old, "reader_version": 0}), encoding="utf-8")
    report = build(index, corpus)
    assert report.published and sorted(report.added) == sorted(p.name for p in corpus.iterdir())
    assert IndexReader(index).manifest.reader_version == READER_VERSION
