"""Top-level parts of a pack: cover, agenda, minutes, officer reports and appendices."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from indexer.records import AgendaEntry, Part
from indexer.structure.agenda import AGENDA_HEADING
from indexer.structure.dates import DATE_PATTERN, parse_date
from indexer.structure.text import Line, plain_text, squash
from indexer.structure.titles import containment

MINUTES_HEADING = re.compile(r"^(?:[A-Z][^.:]{0,90}?\s)?(?:Minutes|MINUTES) (?:of|OF) (?:the |THE )?(?:\w+ )?(?:meeting|Meeting|MEETING)\b(?! notes)")
ITEM_NO = re.compile(r"^\W*Item No\b[.\s:]*(\d{1,2})?", re.I)
REPORT_TITLE = re.compile(r"^\W*Report title\s*:\s*(.*)$", re.I)
_APPENDIX = re.compile(r"^(?:#+\s*)?(?:\*\*)?Appendix\s+[A-Z0-9]{1,3}\b(?!.*\.\s*$)", re.I)
_FIELD = re.compile(r"^\W*(Date of meeting|Responsible (?:Director|Chief Officer)|Responsible Cabinet Member)\s*:\s*(.*)$", re.I)
_BODY_LINE = re.compile(r"\b(Committee|Board|Cabinet|Council|Panel)\b")
_HEADINGISH = re.compile(r"^\s*(#{1,6}\s|\*\*|.*\*\*\s*$)")


@dataclass(frozen=True)
class _Anchor:
    line: int
    kind: str
    title: str = ""
    item_number: str | None = None
    meeting_date: str | None = None


def _back_over_body_line(lines: list[Line], index: int, floor: int) -> int:
    """Start a part at the committee name printed just above its anchor."""
    probe = index - 1
    while probe > floor and lines[probe].is_blank:
        probe -= 1
    if probe > floor and index - probe <= 3:
        text = plain_text(lines[probe].stripped)
        if len(text) < 70 and _BODY_LINE.search(text) and not text.endswith("."):
            return probe
    return index


def _explicit_anchors(lines: list[Line], begin: int) -> list[_Anchor]:
    anchors: list[_Anchor] = []
    last_report = -10
    for index in range(begin, len(lines)):
        text = plain_text(lines[index].stripped)
        if not text:
            continue
        if MINUTES_HEADING.match(text):
            following = " ".join(plain_text(l.stripped) for l in lines[index:index + 4])
            printed = DATE_PATTERN.search(following)
            title = f"Minutes of the meeting held on {printed.group(0)}" if printed else "Minutes"
            anchors.append(_Anchor(index, "minutes", title, None, parse_date(following)))
            continue
        item = ITEM_NO.match(text)
        if item and len(text) < 40:
            anchors.append(_Anchor(index, "report", "", item.group(1)))
            last_report = index
            continue
        title = REPORT_TITLE.match(text)
        if title:
            if index - last_report <= 6 and anchors and anchors[-1].kind == "report":
                anchors[-1] = replace(anchors[-1], title=squash(title.group(1)))
            else:
                anchors.append(_Anchor(index, "report", squash(title.group(1))))
            last_report = index
            continue
        if _APPENDIX.match(text) and len(text) < 120 and index - last_report > 6:
            anchors.append(_Anchor(index, "appendix", squash(text.strip("#* "))))
    return anchors


def _is_candidate(line: Line) -> bool:
    """A printed title: a markdown/bold heading, or a short unpunctuated line."""
    text = line.stripped
    if _HEADINGISH.match(line.text):
        return True
    return 0 < len(text) < 100 and not text.endswith((".", ",", ";", ":")) and "\t" not in text


def _minutes_entry(anchor: _Anchor, agenda: list[AgendaEntry], taken: set[str]) -> str | None:
    entries = [e for e in agenda if "minute" in e.title.lower() and e.number not in taken]
    dated = [e for e in entries if anchor.meeting_date and parse_date(e.title) == anchor.meeting_date]
    if dated:
        return dated[0].number
    undated = [e for e in entries if parse_date(e.title) is None]
    return undated[0].number if undated and not taken else None


def _match_agenda(lines: list[Line], anchors: list[_Anchor], agenda: list[AgendaEntry], begin: int) -> list[_Anchor]:
    """Tie parts to agenda numbers, and find items printed without "Item No".

    Items are printed in agenda order, so an item missing an explicit anchor is
    searched for only between the anchors of its neighbours.
    """
    out = list(anchors)
    taken: set[str] = set()
    for i, anchor in enumerate(out):
        if anchor.kind == "report" and anchor.item_number is None and anchor.title:
            best = max(agenda, key=lambda e: containment(e.title, anchor.title), default=None)
            if best and containment(best.title, anchor.title) >= 0.6:
                out[i] = replace(anchor, item_number=best.number)
        elif anchor.kind == "minutes":
            number = _minutes_entry(anchor, agenda, taken)
            entry = next((e for e in agenda if e.number == number), None)
            # "Healthwatch Norfolk minutes of ..." says whose minutes they are.
            title = entry.title if entry and parse_date(entry.title) and not entry.title.lower().startswith(("to ", "minutes")) else anchor.title
            out[i] = replace(anchor, item_number=number, title=title)
        if out[i].item_number:
            taken.add(out[i].item_number)
    for entry in agenda:
        if entry.number in taken or entry.page is None:
            continue
        numbered = [(int(a.item_number), a.line) for a in out if a.item_number and a.item_number.isdigit()]
        low = max([begin] + [line for n, line in numbered if n < int(entry.number)])
        high = min([len(lines)] + [line for n, line in numbered if n > int(entry.number)])
        for index in range(low + 1, high):
            if _is_candidate(lines[index]) and containment(entry.title, lines[index].stripped) >= 0.6:
                kind = "minutes" if "minute" in entry.title.lower() else "report"
                out.append(_Anchor(index, kind, squash(plain_text(lines[index].stripped).strip("# ")), entry.number,
                                   parse_date(entry.title) if kind == "minutes" else None))
                taken.add(entry.number)
                break
    return sorted(out, key=lambda a: a.line)


def _report_fields(lines: list[Line], start: int, stop: int) -> dict[str, str]:
    fields: dict[str, str] = {}
    for line in lines[start:min(stop, start + 14)]:
        match = _FIELD.match(plain_text(line.stripped))
        if match:
            fields[match.group(1).lower().split()[-1]] = squash(match.group(2))
    return fields


def find_parts(lines: list[Line], agenda: list[AgendaEntry], doc_kind: str, doc_title: str, meeting_date: str | None) -> tuple[list[Part], int | None]:
    """Cut the document's lines into contiguous parts that cover every line.

    Returns the parts and the line index of the agenda heading (None if none).
    """
    if not lines:
        return [], None
    text_end = lines[-1].end
    agenda_line = next((i for i, l in enumerate(lines) if AGENDA_HEADING.match(plain_text(l.stripped).strip("# "))), None)
    if agenda_line is None:
        kind = {"agenda_pack": "report"}.get(doc_kind, doc_kind)
        return [Part(0, kind, doc_title, None, meeting_date, None, None, None, 0, text_end)], None
    anchors = _match_agenda(lines, _explicit_anchors(lines, agenda_line + 1), agenda, agenda_line + 1)
    pages = {e.number: e.page for e in agenda}
    titles = {e.number: e.title for e in agenda}
    drafts: list[tuple[int, _Anchor]] = [(0, _Anchor(0, "cover", doc_title)), (agenda_line, _Anchor(agenda_line, "agenda", "Agenda"))]
    current_item: str | None = None
    for anchor in anchors:
        start = anchor.line if anchor.kind == "appendix" else _back_over_body_line(lines, anchor.line, drafts[-1][0])
        if anchor.kind == "appendix":
            anchor = replace(anchor, item_number=current_item)
        else:
            current_item = anchor.item_number
        drafts.append((start, anchor))
    parts: list[Part] = []
    for ordinal, (start, anchor) in enumerate(drafts):
        stop = drafts[ordinal + 1][0] if ordinal + 1 < len(drafts) else len(lines)
        fields = _report_fields(lines, start, stop) if anchor.kind == "report" else {}
        number = anchor.item_number
        title = anchor.title or (titles.get(number, "") if number else "") or plain_text(lines[start].stripped)
        date = anchor.meeting_date or parse_date(fields.get("meeting", "")) or meeting_date
        parts.append(Part(
            ordinal=ordinal, kind=anchor.kind, title=title, item_number=number, meeting_date=date,
            start_page=pages.get(number) if number and anchor.kind != "appendix" else None,
            responsible_director=fields.get("director") or fields.get("officer"),
            cabinet_member=fields.get("member"),
            char_start=lines[start].start if ordinal else 0,
            char_end=lines[stop].start if stop < len(lines) else text_end,
        ))
    return parts, agenda_line
