"""BM25 without filters asks the full-text index alone; common words are left to the second stage."""

from __future__ import annotations

import math
import sqlite3

import numpy as np

from qa.retrieval.lexical import bm25_search, match_expression
from qa.retrieval.rerank import RarityWeights


def fts(texts: list[str]) -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE VIRTUAL TABLE passages_fts USING fts5(body, context, tokenize = 'porter unicode61')")
    conn.executemany("INSERT INTO passages_fts(rowid, body, context) VALUES (?, ?, '')", enumerate(texts, 1))
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
