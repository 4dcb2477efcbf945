"""Meeting metadata from a paper's cover: body, date, venue and document kind."""

from __future__ import annotations

import re

from indexer.records import Meeting
from indexer.structure.agenda import AGENDA_HEADING
from indexer.structure.dates import parse_date
from indexer.structure.text import Line, plain_text, squash

_BODY = re.compile(r"\b(Committee|Board|Cabinet|Council|Panel|Forum|Partnership)\b")
_LABEL = re.compile(r"^\W*(Date|Venue|Place)\s*:\s*(.*)$", re.I)
_BULLET = re.compile(r"^\s*(?:[-•●▪*]|\d+[.)])\s+")
COVER_LINES = 60


def _value_with_continuation(lines: list[Line], index: int, first: str) -> str:
    parts = [first]
    for line in lines[index + 1:index + 4]:
        text = plain_text(line.stripped)
        if not text or _LABEL.match(text) or ":" in text:
            break
        parts.append(text)
    return squash(" ".join(parts)).strip(" *\t")


def _document_kind(lines: list[Line], has_agenda: bool) -> str:
    if has_agenda:
        return "agenda_pack"
    head = " ".join(plain_text(l.stripped) for l in lines[:20])
    if re.search(r"\bMinutes of (?:the )?meeting\b", head, re.I):
        return "minutes"
    content = [l for l in lines if not l.is_blank]
    short = sum(1 for l in content if len(l.stripped) < 90 or _BULLET.match(l.text))
    return "presentation" if content and short / len(content) > 0.75 else "report"


def parse_meeting(lines: list[Line]) -> Meeting:
    """Read the cover (the first lines) for body, date, venue, kind and title."""
    cover = lines[:COVER_LINES]
    body = date = venue = None
    title = ""
    for index, line in enumerate(cover):
        text = plain_text(line.stripped).strip("# ")
        if not text:
            continue
        if not title:
            title = squash(text)
        label = _LABEL.match(text)
        if label:
            value = _value_with_continuation(cover, index, label.group(2))
            if label.group(1).lower() == "date" and date is None:
                date = parse_date(value)
            elif venue is None and label.group(1).lower() != "date":
                venue = value or None
            continue
        if body is None and _BODY.search(text) and len(text) < 90:
            body = squash(re.split(r":\s+(?=\d)", text)[0]).strip(" *")
        if date is None and index < 20:
            date = parse_date(text)
    has_agenda = any(AGENDA_HEADING.match(plain_text(l.stripped).strip("# ")) for l in lines)
    return Meeting(body=body, meeting_date=date, venue=venue, kind=_document_kind(lines, has_agenda), title=title)
