"""The agenda of a pack: item numbers, titles and the pages they start on."""

from __future__ import annotations

import re

from indexer.records import AgendaEntry
from indexer.structure.text import Line, plain_text, squash

AGENDA_HEADING = re.compile(r"^\W*(?:a\s?g\s?e\s?n\s?d\s?a|business items)\W*$", re.I)
_ENTRY = re.compile(r"^[|\s]*(\d{1,2})\s*[.)]?\s+(\S.*)$")
_PAGE = re.compile(r"\(?\bPage\s*(\d{1,4})\s*\)?", re.I)
_TRAILER = re.compile(r"\s*(?:Report by\b.*)$", re.I)


def _clean_title(raw: str) -> str:
    title = _PAGE.sub("", raw)
    title = title.split("\t")[0] if "\t" in title.strip("\t") else title
    title = _TRAILER.sub("", title)
    return squash(title.replace("|", " ")).strip(" -–:")


def parse_agenda(lines: list[Line]) -> list[AgendaEntry]:
    """Read numbered agenda entries from the agenda's lines.

    Entries must count up from where they start (1, 2, 3...), which keeps stray
    numbers ("5pm Thursday") out. A "Page N" reference on the entry's line, or on
    a following line before the next entry, is the page the item starts on.
    """
    entries: list[tuple[str, str, int | None]] = []
    for line in lines:
        text = plain_text(line.text)
        match = _ENTRY.match(text)
        bold = re.search(r"<b>(.*?)</b>", line.text)
        expected = int(entries[-1][0]) + 1 if entries else None
        if match and (expected is None or int(match.group(1)) == expected):
            number, rest = match.groups()
            cells = [c.strip() for c in rest.split("\t") if c.strip()]
            title = _clean_title(plain_text(bold.group(1)) if bold else (cells[0] if cells else rest))
            page = _PAGE.search(rest)
            entries.append((number, title, int(page.group(1)) if page else None))
            continue
        stripped = text.strip()
        if entries and stripped[:1].islower() and not _ENTRY.match(text) and len(stripped) < 120:
            number, title, page_no = entries[-1]  # a title wrapped onto the next line
            page = _PAGE.search(stripped)
            entries[-1] = (number, _clean_title(f"{title} {stripped}"), page_no or (int(page.group(1)) if page else None))
            continue
        if entries and entries[-1][2] is None:
            page = _PAGE.search(text)
            if page and len(_PAGE.sub("", text).strip(" |*\t")) < 80:
                number, title, _ = entries[-1]
                entries[-1] = (number, title, int(page.group(1)))
    return [AgendaEntry(number, title, page) for number, title, page in entries if title]
