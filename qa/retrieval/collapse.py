"""Near-duplicate collapsing: the same words printed again (a summary and its appendix) become one hit."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from indexer.store.rows import StoredPassage
from indexer.structure.text import plain_text

_WORDS = re.compile(r"[a-z0-9]+")
# Shingle overlap at which two passages count as the same words around different headings.
NEAR_COPY = 0.7


def shingles(text: str) -> set[tuple[str, ...]]:
    """The text's word trigrams, markup dropped."""
    words = _WORDS.findall(plain_text(text).lower())
    return {tuple(words[i:i + 3]) for i in range(max(len(words) - 2, 1))}


def overlap(a: set | frozenset, b: set | frozenset) -> float:
    """Overlap of two shingle sets, relative to the smaller (a copy inside a longer passage counts)."""
    if not a or not b:
        return 0.0
    smaller = min(len(a), len(b))
    return len(a & b) / (smaller if smaller >= 10 else len(a | b))


def collapse(ranked: Sequence[StoredPassage], k: int,
             shingles_of: Callable[[StoredPassage], frozenset[tuple[str, ...]]]
             ) -> tuple[list[int], dict[int, list[StoredPassage]]]:
    """The positions in ``ranked`` of the top k distinct texts, and for each kept position the
    near copies (same words around a different heading) ranked below it.

    Exact copies (equal fingerprints) are skipped here; the caller finds them in the whole index.
    """
    seen: set[str] = set()
    kept: list[int] = []
    kept_shingles: list[frozenset[tuple[str, ...]]] = []
    near: dict[int, list[StoredPassage]] = {}
    for position, passage in enumerate(ranked):
        if len(kept) >= k:
            break
        if passage.fingerprint in seen:
            continue
        seen.add(passage.fingerprint)
        mine = shingles_of(passage)
        twin = next((i for i, other in enumerate(kept_shingles) if overlap(mine, other) >= NEAR_COPY), None)
        if twin is not None:
            near.setdefault(kept[twin], []).append(passage)
            continue
        kept_shingles.append(mine)
        kept.append(position)
    return kept, near
