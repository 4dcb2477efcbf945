"""Fuzzy comparison of titles, for tying printed headings to agenda entries."""

from __future__ import annotations

import re

from indexer.structure.text import plain_text
from models.lexicon import STOP_WORDS

# Words every title may carry: the stop words, and "update" and "report" ("SEND update", "Finance report").
_STOP = STOP_WORDS | {"update", "report"}
_WORD = re.compile(r"[a-z0-9]+")
_NUMBERS = {"one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6", "ten": "10"}


def title_words(title: str) -> frozenset[str]:
    """Content words of a title, lower-cased, without possessives or stop words."""
    text = plain_text(title).lower().replace("’", "'").replace("'s", "")
    return frozenset(_NUMBERS.get(w, w) for w in _WORD.findall(text) if w not in _STOP)


def containment(needle: str, haystack: str) -> float:
    """Share of the needle title's content words that occur in the haystack."""
    words = title_words(needle)
    if not words:
        return 0.0
    return len(words & title_words(haystack)) / len(words)
