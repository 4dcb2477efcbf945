"""BM25 over SQLite FTS5 (porter stemming), restricted by the filters inside the query."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Set as AbstractSet

import numpy as np

from models.lexicon import STOP_WORDS

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


def bm25_search(conn: sqlite3.Connection, expression: str | None, limit: int,
                excluded: AbstractSet[int] = frozenset(),
                admitted: np.ndarray | None = None) -> list[tuple[int, float]]:
    """(passage id, score) best first; score is -bm25 (higher is better).

    The full-text index is asked alone: joining every match to its passage and paper to test a
    filter cost twice the search itself. Without a filter the ``excluded`` ids (template text)
    are dropped from an over-fetch; with one, the ranking is streamed through the ``admitted``
    ids (sorted) until ``limit`` are found. Either way scores and order are the full-text index's own.
    """
    if expression is None:
        return []
    sql = ("SELECT rowid, -bm25(passages_fts, 1.0, 0.4) AS score FROM passages_fts "
           "WHERE passages_fts MATCH ? ORDER BY score DESC")
    if admitted is not None:
        if not len(admitted):
            return []
        cursor = conn.execute(sql, [expression])
        found: list[tuple[int, float]] = []
        while len(found) < limit and (rows := cursor.fetchmany(2000)):
            ids = np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows))
            inside = admitted[np.minimum(np.searchsorted(admitted, ids), len(admitted) - 1)] == ids
            found.extend((int(r[0]), float(r[1])) for r, keep in zip(rows, inside) if keep)
        cursor.close()
        return found[:limit]
    fetch = limit + min(len(excluded), limit)
    while True:
        rows = conn.execute(f"{sql} LIMIT ?", [expression, fetch]).fetchall()
        kept = [(int(r[0]), float(r[1])) for r in rows if r[0] not in excluded]
        if len(kept) >= limit or len(rows) < fetch:
            return kept[:limit]
        fetch *= 4
