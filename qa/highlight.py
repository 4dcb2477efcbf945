"""Find what to mark in a passage: query terms, figures and dates."""

from __future__ import annotations

import re

from indexer.structure.dates import DATE_PATTERN
from qa.records import Highlight
from qa.retrieval.signals import stem

FIGURE = re.compile(r"£\s?\d[\d,]*(?:\.\d+)?\s?(?:k|m|bn|million|billion)?\b|\b\d[\d,]*(?:\.\d+)?\s?(?:%|per ?cent)"
                    r"|\b\d[\d,]*(?:\.\d+)?\s(?:days|weeks|months|children|pupils|schools|places|cases|families|plans|young people)\b",
                    re.I)
MONTH_YEAR = re.compile(r"\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s+\d{4}\b")
_WORD = re.compile(r"[A-Za-z0-9]+")


def find_highlights(text: str, terms: tuple[str, ...]) -> tuple[Highlight, ...]:
    """Non-overlapping highlights, figures and dates winning over plain terms."""
    found: list[Highlight] = []
    for pattern, kind in ((FIGURE, "figure"), (DATE_PATTERN, "date"), (MONTH_YEAR, "date")):
        found += [Highlight(m.start(), m.end(), kind) for m in pattern.finditer(text)]
    wanted = {stem(t.lower()) for t in terms}
    if wanted:
        # Only words that begin as a wanted stem begins are stemmed: Porter rewrites a word's ending, never
        # its first two letters ("toy" -> "toi"), so the regex engine skips the rest of the passage.
        heads = "|".join(sorted({re.escape(w[:2]) for w in wanted if w}))
        candidates = re.compile(rf"(?<![A-Za-z0-9])(?:{heads})[A-Za-z0-9]*", re.I | re.A)
        found += [Highlight(m.start(), m.end(), "term") for m in candidates.finditer(text)
                  if stem(m.group(0).lower()) in wanted]
    found.sort(key=lambda h: (h.start, -(h.end - h.start)))
    out: list[Highlight] = []
    for highlight in found:
        if not out or highlight.start >= out[-1].end:
            out.append(highlight)
    return tuple(out)
