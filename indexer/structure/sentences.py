"""Sentence boundaries in council prose: one rule for cutting passages and for picking answer sentences.

A hand-written rule rather than a library splitter (pysbd, spaCy's sentencizer): passages need
boundaries as character offsets into the source, and papers break "sentences" at list bullets,
table rows and numbered paragraphs that prose splitters do not know.
"""

from __future__ import annotations

import re

# After . ! ? or ; (and any closing quote or bracket), whitespace, then what starts a sentence:
# a capital, a digit, £, a bullet or a dash. A line break always ends one.
SENTENCE_END = re.compile(r"(?<=[.!?;])[\"'”’)]*\s+(?=[\"'“‘(]?[A-Z0-9£•\-])|\n")


def split_sentences(text: str) -> list[str]:
    """The sentences of ``text`` in order, stripped; empty pieces dropped."""
    return [piece.strip() for piece in SENTENCE_END.split(text) if piece.strip()]
