"""Meeting metadata from a paper's first page: council, body, date, kind, title and reference.

Papers announce themselves in a few ways that UK councils share: a minutes sentence
("MINUTES of a meeting of the Cabinet held in ... on Thursday, 9 January 2025"), a
ModernGov front sheet ("AGENDA / CABINET / Tuesday, 4th March, 2025"), a report cover
("From: / To: Cabinet - 30 January 2025 / Subject: / Decision no:"), "Report title:" and
"Date:" fields, an "Appendix H" sheet, a supplement letter. Each field is read from the
strongest of these signals the paper prints; a field it does not print stays None.
"""

from __future__ import annotations

import re

from indexer.records import Meeting
from indexer.structure.agenda import AGENDA_HEADING
from indexer.structure.cover_fields import (COVER_LINES, body_line, body_name, council_of, field_values, full_council,
                                            reference_of)
from indexer.structure.dates import DATE_PATTERN, human_date, parse_date
from indexer.structure.parts import ITEM_NO, MINUTES_HEADING, REPORT_TITLE
from indexer.structure.text import Line, plain_text, squash

_MEETING_OF = re.compile(
    r"\bmeeting\s+of\s+(?:the\s+)?(?P<body>[A-Z][\w&'’,\- ]{2,80}?)\s+(?:was\s+|will\s+be\s+)?held\b", re.I)
_MINUTES_START = re.compile(r"^\W*minutes\s+of\s+(?:a|the)\s+(?:\w+\s+)?meeting\b", re.I)
_BODY_DASH_DATE = re.compile(rf"^(?P<body>[A-Z][^:\d]{{3,80}}?)\s*[–—:-]+\s*(?P<date>{DATE_PATTERN.pattern})\s*$", re.I)
_APPENDIX = re.compile(r"^\W*(?:appendix|annex)\s+[A-Z0-9]{1,3}\b\W*$", re.I)
_SUPPLEMENT = re.compile(r"\b(?:please find (?:attached|enclosed)|supplementary (?:agenda|papers|information))\b", re.I)
_PAGE_NUMBER = re.compile(r"^\W*(?:page\s+)?\d{1,4}(?:\s+of\s+\d{1,4})?\W*$", re.I)
_REPORT_TO = re.compile(r"\breport\b[^.]{0,60}?\bto\s+(?:the\s+)?(?P<body>(?:[A-Z][\w'’&-]*\s+){0,5}"
                        r"(?:Committee|Board|Cabinet|Council|Panel|Forum|Partnership))\b")
_BULLET = re.compile(r"^\s*(?:[-•●▪*]|\d+[.)])\s+")


def _texts(lines: list[Line]) -> list[str]:
    """The cover's non-blank lines as plain text, page numbers left out."""
    texts = []
    for line in lines[:COVER_LINES]:
        text = squash(plain_text(line.stripped)).strip("# ")
        if text and not _PAGE_NUMBER.match(text):
            texts.append(text)
    return texts


def _front_sheet_body(texts: list[str]) -> str | None:
    """ModernGov's "AGENDA" then the body in capitals: the body is the line after the heading."""
    for index, text in enumerate(texts[:12]):
        if AGENDA_HEADING.match(text) and index + 1 < len(texts):
            return body_line(texts[index + 1])
    return None


def _minutes(head: str, texts: list[str]) -> tuple[str | None, str | None] | None:
    """(body, date) of a minutes paper, or None when the paper is not minutes."""
    first = next((text for text in texts[:12] if _MINUTES_START.match(text) or AGENDA_HEADING.match(text)), "")
    if not _MINUTES_START.match(first):
        return None  # no minutes heading, or an agenda before it: a pack that binds earlier minutes
    sentence = head[head.lower().find("minutes"):][:400]
    found = _MEETING_OF.search(sentence)
    body = body_name(found.group("body")) if found else None
    date = parse_date(sentence)
    for text in texts[:8]:  # "CORPORATE PARENTING PANEL – 29 October 2024" above the minutes sentence
        dashed = _BODY_DASH_DATE.match(text)
        if dashed:
            body, date = body or body_name(dashed.group("body")), date or parse_date(text)
    return body, date


def _binds_papers(lines: list[Line]) -> bool:
    """Whether reports or minutes follow the agenda: what makes a front sheet a pack."""
    start = next((i for i, line in enumerate(lines) if AGENDA_HEADING.match(plain_text(line.stripped).strip("# "))), None)
    if start is None:
        return False
    return any(MINUTES_HEADING.match(text) or ITEM_NO.match(text) or REPORT_TITLE.match(text)
               for text in (plain_text(line.stripped) for line in lines[start + 1:]))


def _kind(texts: list[str], fields: dict[str, str], has_agenda: bool, binds_papers: bool, is_minutes: bool) -> str:
    if is_minutes:
        return "minutes"
    if texts and _APPENDIX.match(texts[0]):
        return "appendix"
    if has_agenda:
        return "agenda_pack" if binds_papers else "agenda"
    if _SUPPLEMENT.search(" ".join(texts[:25])):
        return "supplement"
    if sum(name in fields for name in ("from", "to", "subject", "report title", "decision", "report to")) >= 2 \
            or "report title" in fields:
        return "report"
    short = sum(1 for text in texts if len(text) < 90 or _BULLET.match(text))
    return "presentation" if texts and short / len(texts) > 0.75 and len(texts) > 5 else "report"


def _title(kind: str, texts: list[str], fields: dict[str, str], body: str | None, date: str | None) -> str:
    if kind in ("minutes", "agenda", "agenda_pack") and body and date:
        return f"{body}, {human_date(date)}"
    for name in ("subject", "report title", "title"):
        if fields.get(name):
            return fields[name]
    if kind == "appendix":
        rest = [t for t in texts[1:6] if not _REPORT_TO.search(t)]
        if len(rest) >= 2 and len(rest[0].split()) == 1 and rest[0].isupper():
            return f"{rest[0].capitalize()}: {rest[1]}"  # "GLOSSARY" over "Local Authority Treasury Terms"
        if rest:
            return rest[0]
    return texts[0] if texts else ""


def parse_meeting(lines: list[Line], text: str = "") -> Meeting:
    """Read the paper's first lines (and, for the council's name, its whole text).

    Args:
        lines: The paper's lines.
        text: The paper's whole text; the council is the one it names most, cover first.
    """
    texts = _texts(lines)
    head = " ".join(texts)
    fields = field_values(texts)
    has_agenda = any(AGENDA_HEADING.match(plain_text(line.stripped).strip("# ")) for line in lines)
    minutes = _minutes(head, texts)
    council = council_of(texts, text or "\n".join(texts))
    to_field = fields.get("to") or ""
    to_body = body_name(re.split(rf"\s*[,–—-]\s*(?={DATE_PATTERN.pattern})|\s*[,–—-]+\s*\d", to_field)[0]) \
        if to_field and not re.search(r"\bmembers\b", to_field, re.I) else None
    meeting_of = _MEETING_OF.search(head)
    report_to = _REPORT_TO.search(head)
    candidates = [
        minutes[0] if minutes else None, to_body, fields.get("report to") and body_name(fields["report to"]),
        _front_sheet_body(texts), body_name(meeting_of.group("body")) if meeting_of else None,
        next((body_line(t) for t in texts[:25] if body_line(t)), None),
        body_name(report_to.group("body")) if report_to else None,
    ]
    body = full_council(next((c for c in candidates if c), None), council)
    # The strongest signal first: the minutes sentence, the "To:" line, a "Date:" field, "a meeting
    # of X will be held ... on DATE", else the first date on the cover.
    places = [to_field, fields.get("date", ""), fields.get("date of meeting", ""),
              head[meeting_of.start():meeting_of.end() + 120] if meeting_of else "", *texts[:20]]
    date = (minutes[1] if minutes else None) or next(filter(None, map(parse_date, places)), None)
    venue = fields.get("venue") or fields.get("place")
    kind = _kind(texts, fields, has_agenda, has_agenda and _binds_papers(lines), minutes is not None)
    if kind == "report" and not (body or date or fields or council):
        kind = "document"  # not a council paper: index it plainly, claim nothing about it
    title = _title(kind, texts, fields, body, date)
    return Meeting(body=body, meeting_date=date, venue=venue, kind=kind, title=title, council=council,
                   reference=reference_of(fields, head))
