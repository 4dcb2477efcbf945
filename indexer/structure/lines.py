"""Classify a paper's lines: headings, numbered paragraphs, bullets, table rows, text."""

from __future__ import annotations

import re
from dataclasses import dataclass

from indexer.structure.text import Line, plain_text, squash

_MARKDOWN_HEADING = re.compile(r"^\s*(#{1,6})\s+(.*\S)\s*$")
_BOLD_LINE = re.compile(r"^\s*(?:\*\*|<b>)(.+?)(?:\*\*|</b>)\s*:?\s*$")
_NUMBERED = re.compile(r"^\s*(\d{1,2}(?:\.\d{1,2})*)\.?\s+(\S.*)$")
_NUMBERED_PARAGRAPH = re.compile(r"^\s*(?:[-•]\s+)?\**(\d{1,2}(?:\.\d{1,2})+)\.?\**\s+(\S.*)$")
_NUMBER_ONLY = re.compile(r"^\s*(?:[-•]\s*)?\**(\d{1,2}(?:\.\d{1,2})+)\.?\**\s*$")
_BULLET = re.compile(r"^\s*(?:[-•●▪*➤►■✖★▶→]|\(?[a-z]\)|\(?(?:i|ii|iii|iv|v|vi|vii|viii|ix|x)\)|\d{1,2}\))\s+")
# A lettered, roman or bracketed sub-paragraph: "a)", "(a)", "c.", "(iii)", "II.", "26)", "(2)".
# Papers cite these as paragraphs ("minute 80 (26)"), so each starts a numbered paragraph.
_SUBPARAGRAPH = re.compile(r"^\s*(?:[-*•]\s+)?(\(?(?:[a-z]|[ivx]{1,5}|[IVX]{1,5}|\d{1,3})\)|[ivx]{1,5}\.|[a-z]\.|[IVX]{1,5}\.)"
                           r"\s+\S")
# "- 1. **NOTED** ...": a numbered resolution written as a markdown list item.
_LISTED_NUMBER = re.compile(r"^\s*[-*•]\s+(\d{1,2})\.\s+\S")
_TABLE_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{3,}")
_TITLE_PREFIX = re.compile(r"^(?:Cllr|Councillor|Mr|Mrs|Ms|Miss|Dr)\b")
_TERMINAL = (".", ",", ";")
_LEAD_IN_WORDS = re.compile(r"\b(?:were|was|is|are|agreed|noted|resolved|following|to)\b", re.I)


@dataclass(frozen=True)
class LineInfo:
    """What a line is, for the block builder.

    Attributes:
        kind: "blank", "heading", "number", "table", "bullet" or "text".
        number: The printed number of a heading or paragraph ("2.6"), if any.
        title: A heading's text without markup.
        level: A heading's level; 0 means "below the current numbered heading".
    """

    kind: str
    number: str | None = None
    title: str = ""
    level: int = 0


def _numbered_level(number: str) -> int:
    return number.count(".") + 2


def is_table_row(text: str) -> bool:
    """A markdown table row, a rule under a header, or a line of two or more tab-separated cells."""
    if text.lstrip().startswith("|") or _TABLE_SEPARATOR.match(text):
        return "|" in text or "-" in text
    cells = [c for c in text.split("\t") if c.strip()]
    return "\t" in text.strip() and len(cells) >= 2


def looks_like_title(text: str) -> bool:
    """A short, unpunctuated, capitalised line: a candidate plain heading."""
    words = text.split()
    return (
        0 < len(text) <= 70 and len(words) <= 9 and text[0].isupper()
        and not text.endswith(_TERMINAL) and not _TITLE_PREFIX.match(text)
        and any(len(w) >= 3 and w[0].isalpha() for w in words)
        and not _BULLET.match(text) and "\t" not in text
        and not any(marker in text for marker in ("@", "http", "www."))
    )


def classify(line: Line) -> LineInfo:
    """Classify one line on its own; context rules live in the block builder."""
    raw = line.text
    if not raw.strip():
        return LineInfo("blank")
    if is_table_row(raw):
        return LineInfo("table")
    match = _MARKDOWN_HEADING.match(raw)
    if match:
        title = squash(plain_text(match.group(2)))
        number = _NUMBERED.match(title)
        return LineInfo("heading", number.group(1) if number else None, title, len(match.group(1)))
    match = _NUMBER_ONLY.match(raw)
    if match:
        return LineInfo("number", match.group(1))
    match = _BOLD_LINE.match(raw)
    if match and len(match.group(1)) < 120 and not match.group(1).rstrip().endswith("."):
        title = squash(plain_text(match.group(1)))
        number = _NUMBERED.match(title)
        if number:
            return LineInfo("heading", number.group(1), title, _numbered_level(number.group(1)))
        return LineInfo("heading", None, title, 0)
    match = _NUMBERED_PARAGRAPH.match(raw)
    if match:
        body = plain_text(match.group(2)).strip()
        lead_in = body.endswith(":") and _LEAD_IN_WORDS.search(body)
        if len(body) <= 60 and looks_like_title(body) and not lead_in and not raw.lstrip().startswith(("-", "•")):
            return LineInfo("heading", match.group(1), squash(plain_text(raw)), _numbered_level(match.group(1)))
        return LineInfo("text", match.group(1))
    match = _NUMBERED.match(raw)
    if match and not raw.lstrip().startswith(("-", "•")):
        body = plain_text(match.group(2)).strip()
        lead_in = body.endswith(":") and _LEAD_IN_WORDS.search(body)  # "3. The following comments were made:"
        if int(match.group(1)) <= 40 and looks_like_title(body) and not lead_in:
            return LineInfo("heading", match.group(1), squash(plain_text(raw)), 2)
        if raw.strip()[len(match.group(1))] == ".":
            return LineInfo("text", match.group(1))
    match = _SUBPARAGRAPH.match(raw) or _LISTED_NUMBER.match(raw)
    if match:
        return LineInfo("text", match.group(1))
    if _BULLET.match(raw):
        return LineInfo("bullet")
    return LineInfo("text")
