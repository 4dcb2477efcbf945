"""BM25 without filters asks the full-text index alone; common words are left to the second stage."""

from __future__ import annotations

import math
import sqlite3

import numpy as np

from qa.retrieval.lexical import ShardTerms, bm25_search, fts_totals, global_bm25, match_expression, match_phrases
from qa.retrieval.rerank import RarityWeights


def fts(texts: list[str], contexts: list[str] | None = None, first: int = 1) -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE VIRTUAL TABLE passages_fts USING fts5(body, context, tokenize = 'porter unicode61')")
    conn.executemany("INSERT INTO passages_fts(rowid, body, context) VALUES (?, ?, ?)",
                     [(i, t, c) for i, t, c in zip(range(first, first + len(texts)), texts,
                                                   contexts or [""] * len(texts))])
    return conn


def test_unfiltered_bm25_drops_template_text_and_still_fills_the_page():
    texts = ["fostering allowance template"] * 6 + ["fostering allowance rose by 3%"] * 4 + ["library opening hours"]
    conn = fts(texts)
    template = frozenset(range(1, 7))
    found = bm25_search(conn, match_expression(["fostering", "allowance"], []), 3, template)
    assert len(found) == 3 and not {i for i, _ in found} & template
    everything = bm25_search(conn, match_expression(["fostering"], []), 20, template)
    assert sorted(i for i, _ in everything) == [7, 8, 9, 10]


def test_filtered_bm25_keeps_the_full_ranking_order_of_the_admitted_passages():
    texts = [f"fostering allowance report {'fostering ' * (i % 5)}{'filler ' * i}" for i in range(5000)]
    conn = fts(texts)
    expression = match_expression(["fostering"], [])
    everything = bm25_search(conn, expression, 5000)
    admitted = np.arange(3, 5001, 7)
    found = bm25_search(conn, expression, 40, admitted=admitted)
    assert found == [hit for hit in everything if hit[0] in admitted][:40]
    assert bm25_search(conn, expression, 40, admitted=np.array([], dtype=np.int64)) == []


def test_selective_leaves_out_words_most_passages_hold_but_never_every_word():
    counts = {"council": 900, "children": 700, "fostering": 12, "allowanc": 30}
    rarity = RarityWeights(lambda stems: {s: counts[s] for s in stems if s in counts}, 1000)
    assert rarity.selective(["council", "fostering", "allowance"], 0.05) == ["fostering", "allowance"]
    assert rarity.selective(["council", "children"], 0.05) == ["children"]  # the rarer of two common words
    assert rarity.selective(["council", "fostering"], 1.0) == ["council", "fostering"]
    assert rarity.selective(["unheardof"], 0.05) == ["unheardof"]  # a word no passage holds is the rarest
    assert math.isclose(rarity.idf.get("fostering", 0.0), math.log(1 + 1000 / 12))


def varied_papers(n: int) -> tuple[list[str], list[str]]:
    rng = np.random.default_rng(11)
    words = ["fostering", "allowance", "budget", "looked", "after", "children", "transport", "school", "care",
             "leavers", "overspend", "placements", "report", "committee", "the", "of", "and"]
    texts = [" ".join(rng.choice(words, size=int(rng.integers(5, 60)))) for _ in range(n)]
    contexts = [" ".join(rng.choice(words[:8], size=int(rng.integers(0, 6)))) for _ in range(n)]
    return texts, contexts


def test_bm25_read_back_per_phrase_reproduces_fts5_on_one_index():
    texts, contexts = varied_papers(400)
    conn = fts(texts, contexts)
    phrases = match_phrases(["fostering", "overspend", "leavers"], ["looked after children"])
    native = bm25_search(conn, " OR ".join(phrases), 50)
    (mine,) = global_bm25([ShardTerms(conn, fts_totals(conn), phrases)], 50, [frozenset()], [None])
    assert [i for i, _ in mine] == [i for i, _ in native]
    assert np.allclose([s for _, s in mine], [s for _, s in native], rtol=0, atol=1e-9)


def test_two_shards_score_as_one_index_of_both():
    """Split one table's rows between two shards: the global BM25 ranks them as the one table does, though
    each shard's own statistics differ."""
    texts, contexts = varied_papers(600)
    whole = fts(texts, contexts)
    left, right = fts(texts[:250], contexts[:250]), fts(texts[250:], contexts[250:], first=251)
    phrases = match_phrases(["transport", "overspend"], ["care leavers"])
    native = bm25_search(whole, " OR ".join(phrases), 60)
    shards = [ShardTerms(c, fts_totals(c), phrases) for c in (left, right)]
    found = global_bm25(shards, 60, [frozenset(), frozenset()], [None, None])
    merged = sorted([hit for hits in found for hit in hits], key=lambda hit: -hit[1])
    assert [i for i, _ in merged] == [i for i, _ in native]
    assert np.allclose([s for _, s in merged], [s for _, s in native], rtol=0, atol=1e-9)
    local = bm25_search(left, " OR ".join(phrases), 60)  # what the left shard alone would say differs
    assert not np.allclose([s for _, s in local][:5], [s for i, s in native if i <= 250][:5])
    # a shard only counted (a filter ruled it out) still weighs the phrases as one index does
    counted = [shards[0], ShardTerms(right, fts_totals(right), phrases, counted_only=True)]
    (only_left, nothing) = global_bm25(counted, 60, [frozenset(), frozenset()], [None, None])
    left_in_one_index = [i for i, _ in bm25_search(whole, " OR ".join(phrases), 600) if i <= 250][:60]
    assert nothing == [] and [i for i, _ in only_left] == left_in_one_index
