"""Text primitives for parsing: lines with offsets, OCR look-alike repair, plain text."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

# Cyrillic and Greek capitals that OCR emits in place of Latin ones ("ЕНСР" for EHCP).
_LOOKALIKES = {
    "А": "A", "В": "B", "С": "C", "Е": "E", "Н": "H", "І": "I", "Ј": "J", "К": "K",
    "М": "M", "О": "O", "Р": "P", "Ѕ": "S", "Т": "T", "Х": "X", "У": "Y",
    "а": "a", "с": "c", "е": "e", "і": "i", "ј": "j", "о": "o", "р": "p", "ѕ": "s", "х": "x", "у": "y",
    "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M",
    "Ν": "N", "Ο": "O", "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X", "ο": "o",
}
_LOOKALIKE_TABLE = str.maketrans(_LOOKALIKES)
_NON_LATIN_WORD = re.compile(r"[\w\u0370-\u03ff\u0400-\u04ff]*[\u0370-\u03ff\u0400-\u04ff][\w\u0370-\u03ff\u0400-\u04ff]*")


def repair_lookalikes(text: str) -> str:
    """Replace Cyrillic/Greek look-alikes with Latin letters, one character for one.

    Only words made wholly of look-alikes, or mixing them with Latin letters, are
    touched; genuine Cyrillic or Greek words keep their letters. Offsets are kept,
    so spans into the repaired text are spans into the original.
    """

    def fix(match: re.Match[str]) -> str:
        word = match.group(0)
        script_chars = [c for c in word if "\u0370" <= c <= "\u04ff"]
        if all(c in _LOOKALIKES for c in script_chars):
            return word.translate(_LOOKALIKE_TABLE)
        return word

    return _NON_LATIN_WORD.sub(fix, text)


_MARKUP = [
    (re.compile(r"<br\s*/?>", re.I), " "),
    (re.compile(r"</?(?:b|i|u|em|strong|sup|sub|span|p|div)\b[^>]*>", re.I), ""),
    (re.compile(r"\[([^\]]*)\]\([^)]*\)"), r"\1"),  # markdown links keep their words
    (re.compile(r"(\*\*|__)(?=\S)|(?<=\S)(\*\*|__)"), ""),
    (re.compile(r"(?<![\w*])\*(?=\S)|(?<=\S)\*(?![\w*])"), ""),
    (re.compile(r"^\s*#{1,6}\s+", re.M), ""),
    (re.compile(r"\\([*_#\\])"), r"\1"),
]


def plain_text(text: str) -> str:
    """Strip markdown/HTML markup and entities, keeping words and line breaks."""
    for pattern, replacement in _MARKUP:
        text = pattern.sub(replacement, text)
    text = html.unescape(text)
    return text


_INLINE_MARKUP = re.compile(r"\*\*|__|</?(?:b|i|u|em|strong|sup|sub)>|^\s*#{1,6}(?=\s)", re.I | re.M)


def blank_markup(text: str) -> str:
    """Replace inline markup with spaces of the same length, so offsets still hold."""
    return _INLINE_MARKUP.sub(lambda m: " " * len(m.group(0)), text)


def squash(text: str) -> str:
    """Collapse all whitespace runs to single spaces."""
    return " ".join(text.split())


@dataclass(frozen=True)
class Line:
    """One source line: its number (from 0), span (newline excluded) and text."""

    number: int
    start: int
    end: int
    text: str

    @property
    def stripped(self) -> str:
        return self.text.strip()

    @property
    def is_blank(self) -> bool:
        return not self.text.strip()


def split_lines(text: str, offset: int = 0) -> list[Line]:
    """Split text into lines with character offsets; handles \\n, \\r\\n and \\r."""
    lines: list[Line] = []
    pos = 0
    for number, chunk in enumerate(text.splitlines(keepends=True)):
        content = chunk.rstrip("\r\n")
        lines.append(Line(number, offset + pos, offset + pos + len(content), content))
        pos += len(chunk)
    return lines
