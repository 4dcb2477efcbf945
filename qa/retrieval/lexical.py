"""BM25 over SQLite FTS5 (porter stemming), restricted by the filters inside the query."""

from __future__ import annotations

import math
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


def match_phrases(terms: list[str], phrases: list[str]) -> list[str]:
    """The quoted FTS5 phrases a search matches: each term, and each expansion's content words."""
    parts = [f'"{t}"' for t in terms]
    for phrase in phrases:
        words = [w for w in _TOKEN.findall(phrase.lower()) if w not in STOP_WORDS]
        if words:
            parts.append('"' + " ".join(words) + '"')
    return list(dict.fromkeys(parts))


def match_expression(terms: list[str], phrases: list[str]) -> str | None:
    """An FTS5 MATCH expression: any term or phrase, each quoted so nothing is syntax."""
    return " OR ".join(match_phrases(terms, phrases)) or None


def admitted_mask(admitted: np.ndarray, ids: np.ndarray) -> np.ndarray:
    """Which of ``ids`` are in ``admitted`` (sorted, not empty), by binary search: no set to build."""
    return admitted[np.minimum(np.searchsorted(admitted, ids), len(admitted) - 1)] == ids


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
            inside = admitted_mask(admitted, ids)
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


# FTS5's bm25(): k1, b, and this project's column weights (text, then context header).
K1, B = 1.2, 0.75
WEIGHTS = (1.0, 0.4)


def _varints(blob: bytes) -> list[int]:
    """The SQLite varints FTS5 packs its sizes in."""
    values, i = [], 0
    while i < len(blob):
        value = 0
        for position in range(9):
            byte = blob[i]
            i += 1
            if position == 8:
                value = (value << 8) | byte
                break
            value = (value << 7) | (byte & 0x7F)
            if not byte & 0x80:
                break
        values.append(value)
    return values


def fts_totals(conn: sqlite3.Connection) -> tuple[int, int]:
    """Rows in the full-text index and tokens over all of them (FTS5's own averages record)."""
    row = conn.execute("SELECT block FROM passages_fts_data WHERE id = 1").fetchone()
    values = _varints(row[0]) if row is not None and row[0] else []
    if not values:  # not written yet (an uncommitted table): add the rows' sizes up instead
        sizes = [sum(_varints(r[0])) for r in conn.execute("SELECT sz FROM passages_fts_docsize")]
        return len(sizes), sum(sizes)
    return values[0], sum(values[1:])


def _idf(rows: int, hits: int) -> float:
    idf = math.log((rows - hits + 0.5) / (hits + 0.5))
    return idf if idf > 0.0 else 1e-6


def _norm(size: float, average: float) -> float:
    return 1 - B + B * size / average


class ShardTerms:
    """What one shard's full-text index says about each phrase of a query: how many rows hold it, and
    (unless only counted) which, and the weighted number of times each does (read back from FTS5's own
    per-phrase bm25).

    A shard a filter rules out is only counted: one index of every shard would weigh a phrase by the
    rows holding it in all of them, filtered out or not.
    """

    def __init__(self, conn: sqlite3.Connection, totals: tuple[int, int], phrases: list[str],
                 counted_only: bool = False) -> None:
        self.rows, self.tokens = totals
        self.hits: list[dict[int, float]] = [{} for _ in phrases]
        self.counts = [0] * len(phrases)
        self.sizes: dict[int, int] = {}
        if not self.rows:
            return
        if counted_only:
            self.counts = [conn.execute("SELECT COUNT(*) FROM passages_fts WHERE passages_fts MATCH ?",
                                        [phrase]).fetchone()[0] for phrase in phrases]
            return
        sql = (f"SELECT rowid, -bm25(passages_fts, {WEIGHTS[0]}, {WEIGHTS[1]}) FROM passages_fts"
               " WHERE passages_fts MATCH ?")
        scored = [conn.execute(sql, [phrase]).fetchall() for phrase in phrases]
        ids = sorted({r[0] for rows in scored for r in rows})
        for start in range(0, len(ids), 10_000):
            chunk = ids[start:start + 10_000]
            self.sizes.update((r[0], sum(_varints(r[1]))) for r in conn.execute(
                f"SELECT id, sz FROM passages_fts_docsize WHERE id IN ({','.join('?' * len(chunk))})", chunk))
        average = self.tokens / self.rows
        self.hits, self.counts = [], [len(rows) for rows in scored]
        for rows in scored:
            idf = _idf(self.rows, len(rows))
            frequencies = {}
            for rowid, score in rows:
                # score = idf * f (k1 + 1) / (f + k1 norm): solved for f, the phrase's weighted count
                share = score / idf
                frequencies[rowid] = share * K1 * _norm(self.sizes[rowid], average) / (K1 + 1 - share)
            self.hits.append(frequencies)


def global_bm25(shards: list[ShardTerms], limit: int, excluded: list[AbstractSet[int]],
                admitted: list[np.ndarray | None]) -> list[list[tuple[int, float]]]:
    """Per shard, its rows scored by BM25 over the statistics of every shard together (rows, tokens,
    rows per phrase), as FTS5 would score them in one index of all the shards' rows; the ``limit``
    best over all shards are kept, each in its shard's list, best first."""
    rows = sum(s.rows for s in shards)
    if not rows:
        return [[] for _ in shards]
    average = sum(s.tokens for s in shards) / rows
    phrases = len(shards[0].counts)
    idfs = [_idf(rows, sum(s.counts[i] for s in shards)) for i in range(phrases)]
    found: list[tuple[float, int, int]] = []
    for number, shard in enumerate(shards):
        held = set().union(*shard.hits)
        inside = admitted[number]
        if inside is None:  # template text is left out, unless a filter admits it
            candidates = [rowid for rowid in held if rowid not in excluded[number]]
        else:
            ids = np.fromiter(held, dtype=np.int64, count=len(held))
            candidates = ids[admitted_mask(inside, ids)].tolist() if len(inside) else []
        for rowid in candidates:
            norm = _norm(shard.sizes[rowid], average)
            score = 0.0
            for i in range(phrases):
                f = shard.hits[i].get(rowid, 0.0)
                score += idfs[i] * ((f * (K1 + 1.0)) / (f + K1 * norm))
            found.append((score, number, rowid))
    found.sort(key=lambda hit: (-hit[0], hit[1], hit[2]))
    kept: list[list[tuple[int, float]]] = [[] for _ in shards]
    for score, number, rowid in found[:limit]:
        kept[number].append((rowid, score))
    return kept
