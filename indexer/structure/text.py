"""Text primitives for parsing: lines with offsets, OCR look-alike repair, plain text, text mapped to its source."""

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


# Markdown and HTML markup that papers carry into their text. A replacement is literal text,
# or the number of the group to keep (a link keeps its words, an escape its character).
MARKUP: tuple[tuple[re.Pattern[str], str | int], ...] = (
    (re.compile(r"<br\s*/?>", re.I), " "),
    (re.compile(r"</?(?:b|i|u|em|strong|sup|sub|span|p|div)\b[^>]*>", re.I), ""),
    (re.compile(r"\[([^\]]*)\]\([^)]*\)"), 1),  # markdown links keep their words
    (re.compile(r"(\*\*|__)(?=\S)|(?<=\S)(\*\*|__)"), ""),
    (re.compile(r"(?<![\w*])\*(?=\S)|(?<=\S)\*(?![\w*])"), ""),
    # [ \t], not \s: a heading mark must not swallow the blank line above it.
    (re.compile(r"^[ \t]*#{1,6}(?:[ \t]+|[ \t]*$)", re.M), ""),
    (re.compile(r"\\([*_#\\])"), 1),
)


def plain_text(text: str) -> str:
    """Strip markdown/HTML markup and entities, keeping words and line breaks."""
    for pattern, replacement in MARKUP:
        text = pattern.sub(replacement if isinstance(replacement, str) else f"\\{replacement}", text)
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


@dataclass(frozen=True)
class MappedText:
    """Text derived from a source string, with the source range each character came from.

    A character kept as it was maps to itself; one that replaced something (a space for
    a wrapped line break, "&" for "&amp;") maps to all it replaced. So a span of the
    derived text, say a highlight or a sentence, can be traced back to the source.

    Attributes:
        text: The derived text.
        starts: For each character of ``text``, where its source range starts.
        ends: For each character of ``text``, where its source range ends (exclusive).
        end: The source offset just past the derived text, for empty spans at its end.
    """

    text: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]
    end: int

    @classmethod
    def of(cls, source: str, offset: int = 0) -> MappedText:
        """The source itself, each character mapped to its own offset (plus ``offset``)."""
        positions = range(offset, offset + len(source))
        return cls(source, tuple(positions), tuple(p + 1 for p in positions), offset + len(source))

    def source_span(self, start: int, end: int) -> tuple[int, int]:
        """The source range ``[a, b)`` that ``text[start:end]`` was made from."""
        if start >= end:
            at = self.starts[start] if start < len(self.text) else self.end
            return at, at
        return self.starts[start], self.ends[end - 1]

    def edit(self, edits: list[tuple[int, int, str]]) -> MappedText:
        """Replace ``text[start:end]`` with literal text for each non-overlapping edit."""
        if not edits:
            return self
        text: list[str] = []
        starts: list[int] = []
        ends: list[int] = []
        cursor = 0
        for start, end, replacement in sorted(edits):
            if start < cursor:
                raise ValueError(f"overlapping edit at {start}")
            text.append(self.text[cursor:start])
            starts += self.starts[cursor:start]
            ends += self.ends[cursor:start]
            if replacement:
                first, last = self.source_span(start, end)
                text.append(replacement)
                starts += [first] * len(replacement)
                ends += [last] * len(replacement)
            cursor = end
        text.append(self.text[cursor:])
        starts += self.starts[cursor:]
        ends += self.ends[cursor:]
        return MappedText("".join(text), tuple(starts), tuple(ends), self.end)

    def sub(self, pattern: re.Pattern[str], replacement: str | int) -> MappedText:
        """Like ``pattern.sub``: a literal replacement, or the number of a group to keep in place."""
        edits: list[tuple[int, int, str]] = []
        for match in pattern.finditer(self.text):
            if isinstance(replacement, str):
                edits.append((match.start(), match.end(), replacement))
            elif match.start(replacement) < 0:  # the group did not take part: drop the match
                edits.append((match.start(), match.end(), ""))
            else:  # keep the group's characters, with their own offsets
                edits += [(match.start(), match.start(replacement), ""), (match.end(replacement), match.end(), "")]
        return self.edit([e for e in edits if e[0] < e[1] or e[2]])
