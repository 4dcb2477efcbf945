"""Near-duplicate collapsing: the same words printed again (a summary and its appendix) become one hit."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from indexer.store.rows import StoredPassage
from indexer.structure.text import plain_text

_WORDS = re.compile(r"[a-z0-9]+")
# Shingle overlap at which two passages count as the same words around different headings.
NEAR_COPY = 0.7
# Across two papers the words must match almost whole: a summary printed again in another pack, not a
# cover sheet or agenda template that two packs share with different dates and names.
NEAR_COPY_ACROSS_PAPERS = 0.9
_FURNITURE_PARTS = ("cover", "agenda")


def same_words(a: StoredPassage, b: StoredPassage, words_overlap: float) -> bool:
    """Whether ``b`` repeats ``a``: near copies within one paper, near-whole copies of real content across two."""
    if a.document_id == b.document_id:
        return words_overlap >= NEAR_COPY
    return (words_overlap >= NEAR_COPY_ACROSS_PAPERS and a.part_kind not in _FURNITURE_PARTS
            and b.part_kind not in _FURNITURE_PARTS)


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
    copies (the same words, perhaps around a different heading; see ``same_words``) ranked below it.
    """
    kept: list[int] = []
    kept_shingles: list[frozenset[tuple[str, ...]]] = []
    near: dict[int, list[StoredPassage]] = {}
    for position, passage in enumerate(ranked):
        if len(kept) >= k:
            break
        mine = shingles_of(passage)
        twin = next((i for i, other in zip(kept, kept_shingles)
                     if same_words(ranked[i], passage, 1.0 if ranked[i].fingerprint == passage.fingerprint
                                   else overlap(mine, other))), None)
        if twin is not None:
            near.setdefault(twin, []).append(passage)
            continue
        kept_shingles.append(mine)
        kept.append(position)
    return kept, near
