"""The short context header a passage is embedded and searched with, and its fingerprint."""

from __future__ import annotations

import hashlib
import re

from indexer.records import Meeting, Part, Passage
from indexer.structure.dates import human_date
from indexer.structure.text import plain_text, squash

MAX_CONTEXT_CHARS = 220
_WORD = re.compile(r"\w+")


def context_header(meeting: Meeting, part: Part, section_path: tuple[str, ...]) -> str:
    """'Children's Services Committee, 10 July 2018. Item 8: Performance Monitoring. 1.1 Dashboard'."""
    pieces = [", ".join(x for x in (meeting.body, human_date(part.meeting_date or meeting.meeting_date)) if x)]
    if part.kind in ("report", "minutes", "appendix"):
        pieces.append((f"Item {part.item_number}: " if part.item_number else "") + part.title)
    if section_path:
        pieces.append(section_path[-1])
    text = squash(". ".join(p for p in pieces if p))
    return text if len(text) <= MAX_CONTEXT_CHARS else text[:MAX_CONTEXT_CHARS].rsplit(" ", 1)[0]


def passage_body(passage: Passage) -> str:
    """The passage as words: repeated header, then its own text, without markup."""
    text = plain_text(passage.text)
    return f"{plain_text(passage.header)}\n{text}" if passage.header else text


def embedding_input(context: str, passage: Passage, with_context: bool = True) -> str:
    """What the embedder sees for a passage."""
    body = passage_body(passage)
    return f"{context}\n{body}" if with_context and context else body


def fingerprint(passage: Passage) -> str:
    """Identical for passages whose words are the same: the summary and its appendix copy."""
    words = " ".join(_WORD.findall(plain_text(passage.text).lower()))
    return hashlib.sha1(words.encode("utf-8")).hexdigest()[:20]
