"""A collection of shards (one per council) answers as one index of the same papers would: the same
hits, scores and citations; records read through ids that name their shard; filters that skip shards.
Two tiny councils in every run; the Norfolk and Kent papers and the gold set under ``-m slow``."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from indexer.errors import IndexMismatch
from indexer.factory import build_index
from indexer.settings import IndexSettings
from indexer.store.collection import STRIDE, CollectionReader, open_reader
from indexer.store.layout import published_pointer, shard_dir
from indexer.store.reader import IndexReader
from models.calibration import VectorMoments
from qa.api.app import create_app
from qa.cli import app
from qa.retrieval.filters import Filters
from qa.service import QAService
from qa.settings import ServiceSettings, load_query_embedder

WESTSHIRE = """Westshire County Council

MINUTES of a meeting of the Cabinet held at County Hall, Westshire on 15 January 2024

Present:
Cllr Jane Morrow (Chair)
Cllr Peter Aldous

1. Children's Services Budget

1.1 The Executive Director of Children's Services reported that the high needs budget for 2023-24 was
£42.5m, an overspend of £3.1m, driven by demand for specialist school places.

1.2 The number of Education, Health and Care Plans (EHCP) rose by 12% to 4,210 in December 2023.

1.3 RESOLVED to approve the high needs recovery plan.

2. Public Health Annual Report

2.1 The Director of Public Health introduced the report. Smoking prevalence fell to 11.2% in 2023.
"""

EASTSHIRE = """Eastshire County Council

MINUTES of a meeting of the Children and Young People Committee held at Shire Hall on 3 March 2024

Present:
Cllr Amira Dale (Chair)
Cllr Robert Finch

1. Home to School Transport

1.1 Members noted that spending on home to school transport reached £18.4m in 2022-23, with 1,150
children who have an EHCP travelling to school by taxi.

1.2 RESOLVED to consult on a new transport policy from September 2024.

2. Fostering Recruitment

2.1 The Assistant Director reported that 41 new foster carer households were approved in 2023-24,
against a target of 60.
"""

QUERIES = ["high needs budget overspend", "home to school transport taxi", "smoking prevalence",
           "how many foster carers were approved", "EHCP", "what did the committee resolve about transport"]


def write_councils(folder: Path) -> dict[str, Path]:
    papers = {"westshire": folder / "westshire", "eastshire": folder / "eastshire"}
    for name, text in (("westshire", WESTSHIRE), ("eastshire", EASTSHIRE)):
        papers[name].mkdir(parents=True)
        (papers[name] / f"2024-{name}-minutes.txt").write_text(text, encoding="utf-8")
    return papers


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, Path]:
    """One index of both councils' papers, and a collection with one shard per council."""
    root = tmp_path_factory.mktemp("shards")
    papers = write_councils(root / "papers")
    report = build_index(list(papers.values()), IndexSettings(index_dir=root / "one"))
    assert report.failures == [] and report.published
    for name, folder in papers.items():
        assert build_index([folder], IndexSettings(index_dir=shard_dir(root / "collection", name))).published
    return {"one": root / "one", "collection": root / "collection", "papers": root / "papers"}


def citations(result) -> list[tuple]:
    return [(h.location.source_file, h.location.char_start, h.location.char_end, round(h.score, 6))
            for h in result.hits]


def test_collection_ranks_as_one_index(built):
    settings = ServiceSettings(index_dir=built["one"])
    embedder = load_query_embedder(settings)
    one = QAService(settings, embedder)
    many = QAService(ServiceSettings(index_dir=built["collection"]), embedder)
    try:
        assert isinstance(many.current.reader, CollectionReader)
        assert many.current.engine.background == pytest.approx(one.current.engine.background)
        for query in QUERIES:
            expected, found = one.search(query), many.search(query)
            assert citations(found) == citations(expected), query
            assert found.message == expected.message
            # BM25 alone, unreranked: its order is the full-text ranking itself, over both shards' statistics
            lexical = dict(mode="bm25", rerank=False)
            assert citations(many.search(query, **lexical)) == citations(one.search(query, **lexical)), query
        for filters in (Filters(council="Eastshire"), Filters(body="Cabinet"), Filters(date_from="2024-02-01")):
            assert citations(many.search("transport budget", filters=filters)) == \
                citations(one.search("transport budget", filters=filters)), filters
    finally:
        one.live.close()
        many.live.close()


def test_ids_name_their_shard_and_records_read_back(built):
    with CollectionReader(built["collection"]) as reader:
        assert [s.name for s in reader.shards] == ["eastshire", "westshire"]
        documents = reader.documents()
        assert {d.source_file for d in documents} == {"2024-eastshire-minutes.txt", "2024-westshire-minutes.txt"}
        west = next(d for d in documents if d.source_file.startswith("2024-westshire"))
        assert west.id // STRIDE == 1
        outline = reader.document(west.id)
        assert outline is not None and outline.id == west.id
        first = next(s.first_passage_id for part in outline.parts for s in part.sections if s.first_passage_id)
        passage = reader.passage(first)
        assert passage is not None and passage.document_id == west.id and passage.source_file == west.source_file
        assert [p.id for p in reader.passages_around(passage, 1)][:1] == [first] or \
            first in [p.id for p in reader.passages_around(passage, 1)]
        assert reader.passage(STRIDE * 7) is None and reader.document(-1) is None
        assert reader.manifest.passages == sum(s.reader.manifest.passages for s in reader.shards)
        assert reader.integrity_problems() == []
        names = [p.name for p in reader.people()]
        assert "Amira Dale" in " ".join(names) and "Jane Morrow" in " ".join(names)
        # The figures printed in given passages come back with ids of the shard that holds them.
        printed = reader.figures_in_passages([f.passage_id for f in reader.figures()])
        assert {(f.value, f.passage_id) for f in printed} == {(f.value, f.passage_id) for f in reader.figures()}
        west_figures = reader.figures_in_passages([p.id for p in reader.passages_around(passage, 5)])
        assert 42.5 in {f.value for f in west_figures} and all(f.passage_id // STRIDE == 1 for f in west_figures)
        keys = reader.metric_key_vectors([key for m in reader.metrics() for key in m.keys])
        assert keys and all(v.shape == (reader.manifest.dim,) for v in keys.values())
    with IndexReader(built["one"]) as one, CollectionReader(built["collection"]) as many:
        terms = ["transport", "budget", "ehcp"]
        assert many.document_frequencies(terms) == one.document_frequencies(terms)
        vectors = one.all_vectors()
        exact = VectorMoments.of(vectors).background()
        assert many.moments().count == len(vectors)
        assert many.moments().background().mean == pytest.approx(exact.mean)


def test_a_council_filter_skips_the_other_shards(built):
    settings = ServiceSettings(index_dir=built["collection"])
    service = QAService(settings, load_query_embedder(settings))
    try:
        engine = service.current.engine
        allowed = engine._allowed(Filters(council="Westshire"))
        assert [a is None for a in allowed] == [True, False]  # eastshire skipped without a query
        hits = service.search("transport", filters=Filters(council="Westshire")).hits
        assert all(h.location.source_file.startswith("2024-westshire") for h in hits)
    finally:
        service.live.close()


def test_api_serves_a_collection(built):
    with TestClient(create_app(ServiceSettings(index_dir=built["collection"]))) as client:
        health = client.get("/health").json()
        assert health["generation"] == published_pointer(built["collection"])
        assert health["passages"] > 0
        hit = client.get("/search", params={"q": "foster carer households approved"}).json()["results"][0]
        assert hit["document"]["source_file"] == "2024-eastshire-minutes.txt"
        passage = client.get(f"/passages/{hit['passage_id']}")
        assert passage.status_code == 200 and passage.json()["passage"]["text"] == hit["text"]
        document = client.get(f"/documents/{hit['document']['id']}")
        assert document.status_code == 200
        assert client.get(f"/passages/{STRIDE * 9 + 1}").status_code == 404


def test_cli_indexes_into_a_named_shard_and_refuses_to_mix(built, tmp_path):
    collection = tmp_path / "collection"
    runner = CliRunner()
    result = runner.invoke(app, ["index", str(built["papers"] / "westshire"), "--index-dir", str(collection),
                                 "--shard", "westshire"])
    assert result.exit_code == 0, result.output
    assert (collection / "shards" / "westshire" / "CURRENT").is_file()
    assert isinstance(open_reader(collection), CollectionReader)
    unsharded = runner.invoke(app, ["index", str(built["papers"] / "eastshire"), "--index-dir", str(collection)])
    assert unsharded.exit_code != 0 and "collection of shards" in unsharded.output
    bad = runner.invoke(app, ["index", str(built["papers"]), "--index-dir", str(collection), "--shard", "../x"])
    assert bad.exit_code != 0 and "bad shard name" in bad.output
    single = runner.invoke(app, ["index", str(built["papers"]), "--index-dir", str(built["one"]), "--shard", "x"])
    assert single.exit_code != 0 and "single index" in single.output


def test_shards_built_with_other_models_are_refused(built, tmp_path):
    collection = tmp_path / "mixed"
    shutil.copytree(built["collection"], collection)
    other = shard_dir(collection, "other")
    build_index([built["papers"] / "eastshire"], IndexSettings(index_dir=other, embedding_model="default"))
    with pytest.raises(IndexMismatch, match="shard"):
        CollectionReader(collection)


def test_moments_add_up_to_the_union():
    rng = np.random.default_rng(3)
    vectors = rng.normal(size=(60, 8)) + 0.3
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    whole = VectorMoments.of(vectors).background()
    parts = (VectorMoments.of(vectors[:25]) + VectorMoments.of(vectors[25:])).background()
    cosines = vectors @ vectors.T
    off = cosines[~np.eye(60, dtype=bool)]
    assert whole.mean == pytest.approx(off.mean()) and whole.std == pytest.approx(off.std())
    assert parts.mean == pytest.approx(whole.mean) and parts.std == pytest.approx(whole.std)
    assert whole.pairs == 60 * 59 // 2


@pytest.mark.slow
def test_norfolk_and_kent_as_two_shards_answer_the_gold_set_as_one_index(tmp_path):
    """Every gold query: the same hits, in the same order, with the same scores and messages."""
    from evaluation.gold import SOURCE_ROOTS, load_gold

    norfolk, kent = SOURCE_ROOTS
    assert build_index([norfolk, kent], IndexSettings(index_dir=tmp_path / "one")).published
    for name, root in (("norfolk", norfolk), ("kent", kent)):
        assert build_index([root], IndexSettings(index_dir=shard_dir(tmp_path / "collection", name))).published
    settings = ServiceSettings(index_dir=tmp_path / "one")
    embedder = load_query_embedder(settings)
    one = QAService(settings, embedder)
    many = QAService(ServiceSettings(index_dir=tmp_path / "collection"), embedder)
    try:
        different = [q.query for q in load_gold()
                     if (citations(one.search(q.query)), one.search(q.query).message)
                     != (citations(many.search(q.query)), many.search(q.query).message)]
        assert different == []
    finally:
        one.live.close()
        many.live.close()


def test_a_council_or_committee_filter_read_paper_first_admits_the_same_passages(built):
    from indexer.store.reader import PASSAGE_JOIN
    from qa.retrieval.filters import allowed_ids

    with IndexReader(built["one"]) as reader:
        conn = reader.connection()
        for filters in (Filters(council="Eastshire"), Filters(body="Cabinet"),
                        Filters(council="shire", include_boilerplate=True)):
            where, params = filters.where()
            expected = sorted(r[0] for r in conn.execute(f"SELECT p.id FROM {PASSAGE_JOIN} WHERE {where}", params))
            assert expected and sorted(allowed_ids(conn, filters).tolist()) == expected, filters


def test_bm25_over_the_shards_scores_as_the_one_index_does(built):
    """On the built shards (both columns, real sizes): global BM25 gives the one index's scores, which
    neither shard's own bm25() gives."""
    from qa.retrieval.lexical import ShardTerms, bm25_search, fts_totals, global_bm25, match_phrases

    with IndexReader(built["one"]) as one, CollectionReader(built["collection"]) as many:
        for terms in (["transport", "budget"], ["foster", "carers", "households"], ["ehcp", "plans"]):
            phrases = match_phrases(terms, [])
            expected = {(p.source_file, p.char_start): score for p, score in
                        ((one.passage(i), s) for i, s in bm25_search(one.connection(), " OR ".join(phrases), 50))}
            conns = [shard.reader.connection() for shard in many.shards]
            found = global_bm25([ShardTerms(c, fts_totals(c), phrases) for c in conns], 50,
                                [frozenset()] * len(conns), [None] * len(conns))
            scored = {(p.source_file, p.char_start): score for shard, hits in zip(many.shards, found)
                      for p, score in ((shard.reader.passage(i), s) for i, s in hits)}
            assert scored.keys() == expected.keys()
            assert all(abs(scored[key] - expected[key]) < 1e-9 for key in expected), terms
            local = {(p.source_file, p.char_start): score for shard, c in zip(many.shards, conns)
                     for p, score in ((shard.reader.passage(i), s) for i, s in bm25_search(c, " OR ".join(phrases), 50))}
            assert any(abs(local[key] - expected[key]) > 1e-6 for key in expected), terms
