"""BM25 over SQLite FTS5 (porter stemming), restricted by the filters inside the query."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Set as AbstractSet

from indexer.store.reader import PASSAGE_JOIN
from models.lexicon import STOP_WORDS
from qa.retrieval.filters import Filters

_TOKEN = re.compile(r"[A-Za-z0-9]+(?:'[a-z]+)?")


def content_terms(text: str) -> list[str]:
    """Lower-cased query words that carry meaning (no stop words), in order, unique."""
    seen: list[str] = []
    for token in _TOKEN.findall(text.lower().replace("’", "'")):
        token = token.removesuffix("'s")
        if token not in STOP_WORDS and len(token) > 1 and token not in seen:
            seen.append(token)
    return seen


def match_expression(terms: list[str], phrases: list[str]) -> str | None:
    """An FTS5 MATCH expression: any term or phrase, each quoted so nothing is syntax."""
    parts = [f'"{t}"' for t in terms]
    for phrase in phrases:
        words = [w for w in _TOKEN.findall(phrase.lower()) if w not in STOP_WORDS]
        if words:
            parts.append('"' + " ".join(words) + '"')
    return " OR ".join(dict.fromkeys(parts)) or None


def bm25_search(conn: sqlite3.Connection, expression: str | None, filters: Filters, limit: int,
                boilerplate: AbstractSet[int] = frozenset()) -> list[tuple[int, float]]:
    """(passage id, score) best first; score is -bm25 (higher is better).

    Without filters the full-text index is asked alone (joining every match to its passage and
    paper costs twice the search itself), and template text is dropped from its answer.
    """
    if expression is None:
        return []
    if not filters.restricts and not filters.include_boilerplate:
        sql = ("SELECT rowid, -bm25(passages_fts, 1.0, 0.4) AS score FROM passages_fts "
               "WHERE passages_fts MATCH ? ORDER BY score DESC LIMIT ?")
        fetch = limit + min(len(boilerplate), limit)
        while True:
            rows = conn.execute(sql, [expression, fetch]).fetchall()
            kept = [(int(r[0]), float(r[1])) for r in rows if r[0] not in boilerplate]
            if len(kept) >= limit or len(rows) < fetch:
                return kept[:limit]
            fetch *= 4
    where, params = filters.where()
    sql = (f"SELECT passages_fts.rowid, -bm25(passages_fts, 1.0, 0.4) AS score FROM passages_fts, {PASSAGE_JOIN} "
           f"WHERE p.id = passages_fts.rowid AND passages_fts MATCH ? AND {where} "
           f"ORDER BY score DESC LIMIT ?")
    return [(int(r[0]), float(r[1])) for r in conn.execute(sql, [expression, *params, limit])]
