"""Second-stage signals computed from what the index holds: coverage, headings, dates."""

from __future__ import annotations

import re
from collections.abc import Set as AbstractSet
from functools import lru_cache

import Stemmer

_WORD = re.compile(r"[a-z0-9]+")
# The Porter stemmer, as FTS5's "porter" tokenizer applies it to the full-text index, so the first and
# second stage agree on what a word's stem is ("committee" and "commissioning" stay apart).
_PORTER = Stemmer.Stemmer("porter")


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """A word's Porter stem ("timeliness" -> "timeli", "timeline" -> "timelin")."""
    return _PORTER.stemWord(word)


def stems(text: str) -> set[str]:
    return {stem(w) for w in _WORD.findall(text.lower())}


def coverage(terms: tuple[str, ...], text_stems: AbstractSet[str]) -> float:
    """Share of the query's content terms that occur in the text."""
    if not terms:
        return 0.0
    return sum(1 for t in terms if stem(t) in text_stems) / len(terms)


def date_match(year: str | None, month: str | None, meeting_date: str | None, text: str) -> float:
    """1 when the text or meeting matches the query's date hint, 0.5 for the year alone."""
    if not year:
        return 0.0
    lowered = text.lower()
    if month and (f"{month} {year}" in lowered or f"{month[:3]} {year}" in lowered
                  or f"{month[:3]}-{year[2:]}" in lowered or f"{month[:3]} {year[2:]}" in lowered):
        return 1.0
    if year in lowered or (meeting_date or "").startswith(year):
        return 0.5
    return 0.0


def idf_coverage(terms: tuple[str, ...], text_stems: AbstractSet[str], idf: dict[str, float], default: float) -> float:
    """Coverage with each term weighted by its rarity: the rare words of a query are the ones that matter."""
    weights = [idf.get(stem(t), default) for t in terms]
    total = sum(weights)
    if not total:
        return 0.0
    return sum(w for t, w in zip(terms, weights) if stem(t) in text_stems) / total


def word_positions(text: str) -> dict[str, list[int]]:
    """Where each stem occurs in the text, by word position."""
    positions: dict[str, list[int]] = {}
    for i, word in enumerate(_WORD.findall(text.lower())):
        positions.setdefault(stem(word), []).append(i)
    return positions


def proximity(terms: tuple[str, ...], text: str | dict[str, list[int]], window: int = 3) -> float:
    """Share of adjacent query-term pairs that occur within ``window`` words of each other in the text.

    ``text`` may be given as its ``word_positions``, computed once per passage.
    """
    pairs = [(stem(a), stem(b)) for a, b in zip(terms, terms[1:])]
    if not pairs:
        return 0.0
    positions = word_positions(text) if isinstance(text, str) else text
    found = 0
    for a, b in pairs:
        pa, pb = positions.get(a), positions.get(b)
        if pa and pb and any(abs(i - j) <= window for i in pa for j in pb):
            found += 1
    return found / len(pairs)
