"""The naive baseline chunker: blank-line paragraphs merged to about 150-200 words.

It knows nothing of committee papers (no meeting, items, sections, paragraph
numbers, pages or boilerplate) and exists so the evaluation can show what the
structure-aware parser buys. Spans still index the source text exactly.
"""

from __future__ import annotations

import re

from indexer.records import Meeting, ParsedDocument, Part, Passage, Section, SourceText

_BLANK_LINES = re.compile(r"\n[ \t]*\n")
_WORD = re.compile(r"\S+")


def _paragraph_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each run of text between blank lines, stripped of outer whitespace."""
    spans, start = [], 0
    for gap in [*_BLANK_LINES.finditer(text), None]:
        end = gap.start() if gap else len(text)
        chunk = text[start:end]
        if chunk.strip():
            lead = len(chunk) - len(chunk.lstrip())
            spans.append((start + lead, start + len(chunk.rstrip())))
        start = gap.end() if gap else len(text)
    return spans


def _word_windows(text: str, start: int, end: int, max_words: int) -> list[tuple[int, int]]:
    """Split one over-long paragraph into windows of at most max_words words."""
    words = list(_WORD.finditer(text, start, end))
    return [(words[i].start(), words[min(i + max_words, len(words)) - 1].end())
            for i in range(0, len(words), max_words)]


def naive_chunks(text: str, min_words: int = 150, max_words: int = 200) -> list[tuple[int, int]]:
    """Character spans of blank-line paragraphs merged greedily to min_words..max_words words."""
    pieces: list[tuple[int, int, int]] = []  # start, end, words
    for start, end in _paragraph_spans(text):
        n = len(_WORD.findall(text, start, end))
        windows = _word_windows(text, start, end, max_words) if n > max_words else [(start, end)]
        pieces.extend((s, e, len(_WORD.findall(text, s, e))) for s, e in windows)
    chunks: list[tuple[int, int]] = []
    current: list[int] | None = None  # start, end, words
    for start, end, n in pieces:
        if current and current[2] < min_words and current[2] + n <= max_words:
            current[1], current[2] = end, current[2] + n
            continue
        if current:
            chunks.append((current[0], current[1]))
        current = [start, end, n]
    if current:
        chunks.append((current[0], current[1]))
    return chunks


def parse_naive(source: SourceText) -> ParsedDocument:
    """The whole file as one untitled part cut into naive chunks."""
    text = source.text
    part = Part(ordinal=0, kind="document", title=source.source_file, item_number=None, meeting_date=None,
                start_page=None, responsible_director=None, cabinet_member=None, char_start=0, char_end=len(text))
    passages = tuple(
        Passage(ordinal=i, text=text[s:e], char_start=s, char_end=e, part_ordinal=0, section_path=(),
                paragraph_nos=(), page=None, token_count=len(_WORD.findall(text, s, e)))
        for i, (s, e) in enumerate(naive_chunks(text)))
    meeting = Meeting(body=None, meeting_date=None, venue=None, kind="document", title=source.source_file)
    return ParsedDocument(source=source, meeting=meeting, agenda=(), parts=(part,),
                          sections=(Section(0, (), None, 0, len(text)),), passages=passages)
