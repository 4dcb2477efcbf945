"""The naive baseline chunker: exact spans, 150-200 words, nothing lost."""

from __future__ import annotations

import re

from indexer.records import SourceText
from indexer.structure.naive import naive_chunks, parse_naive
from tests.conftest import CORPUS, PACKS


def test_chunks_are_exact_spans_of_at_most_200_words_covering_every_word():
    for name in PACKS:
        text = (CORPUS / name).read_text(encoding="utf-8")
        chunks = naive_chunks(text)
        words = [len(text[s:e].split()) for s, e in chunks]
        assert max(words) <= 200
        assert sum(w >= 150 for w in words) / len(words) > 0.6, name  # most chunks reach the minimum
        assert sum(words) == len(text.split())  # every word in exactly one chunk
        assert all(e1 <= s2 for (_, e1), (s2, _) in zip(chunks, chunks[1:]))


def test_merges_short_paragraphs_and_splits_long_ones():
    short = "\n\n".join(f"para {i} " + "word " * 40 for i in range(10))
    spans = naive_chunks(short)
    assert [len(short[s:e].split()) for s, e in spans] == [168, 168, 84]
    long = "w " * 450
    assert [len(long[s:e].split()) for s, e in naive_chunks(long)] == [200, 200, 50]


def test_parse_naive_has_no_structure():
    source = SourceText(source_file="x.txt", text="Item 8\n\n1.1 Some words here.\n", sha256="", media_type="text")
    doc = parse_naive(source)
    assert len(doc.parts) == 1 and doc.parts[0].item_number is None
    assert [p.paragraph_nos for p in doc.passages] == [()]
    assert re.search("Some words", doc.passages[0].text)
