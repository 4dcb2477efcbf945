"""What a person reads: a passage's text without markup, its wrapped lines joined, mapped back to the source.

A passage's ``text`` stays the exact source slice, so citations can be checked; this is the
form to show. Its character map lets a span of the display text (a highlight, a quoted
sentence) be traced back to source offsets.
"""

from __future__ import annotations

import html
import re

from indexer.structure.sentences import wrap_joins
from indexer.structure.text import MARKUP, MappedText

# Markup that only matters for display, applied before the markup every parser strips.
_DISPLAY_MARKUP: tuple[tuple[re.Pattern[str], str | int], ...] = (
    # Block-level HTML tags separate what they wrap: a space, so "end.</p><p>Next" stays two sentences.
    (re.compile(r"</?(?:p|div|ul|ol|li|dl|dt|dd|table|thead|tbody|tfoot|tr|td|th|h[1-6]|blockquote|section)\b[^<>]*>",
                re.I), " "),
    (re.compile(r"</?(?:a|font|abbr|small|big|s|strike|del|ins|mark|code|em|strong|span)\b[^<>]*>", re.I), ""),
    (re.compile(r"<((?:https?|mailto):[^<>\s]+)>", re.I), 1),  # markdown autolinks keep the address
    (re.compile(r"^[ \t]*\|?(?:[ \t]*:?-{3,}:?[ \t]*\|)+[ \t]*(?::?-{3,}:?[ \t]*)?(?:\n|\Z)", re.M), ""),  # |---|---|
)
_ENTITY = re.compile(r"&(?:#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_TRAILING_SPACE = re.compile(r"[ \t]+$", re.M)
_SPACING: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^ +", re.M), ""),  # indents; a leading tab is a table's empty first cell
    (re.compile(r" {2,}"), " "),
    (re.compile(r"\n{3,}"), "\n\n"),  # runs of blank lines
    (re.compile(r"\A\s+|\s+\Z"), ""),
)


def display_text(text: str, offset: int = 0) -> MappedText:
    """The readable form of ``text`` (a passage's source slice starting at ``offset``).

    Markup (HTML tags, markdown emphasis, heading marks, link targets, table rules) and
    entities are removed, lines the page layout wrapped are joined ("exam-\\nple" reads
    "example"), and spacing is tidied; paragraphs, bullets and numbered lines keep their
    own lines. Each character maps back to ``offset``-based source offsets.
    """
    mapped = MappedText.of(text, offset)
    for pattern, replacement in (*_DISPLAY_MARKUP, *MARKUP):
        mapped = mapped.sub(pattern, replacement)
    mapped = mapped.edit([(m.start(), m.end(), html.unescape(m.group(0))) for m in _ENTITY.finditer(mapped.text)])
    mapped = mapped.sub(_TRAILING_SPACE, "")  # so a wrapped line ends with its last word
    if mapped.text.strip():
        mapped = mapped.edit(wrap_joins(mapped.text))
    for pattern, replacement in _SPACING:
        mapped = mapped.sub(pattern, replacement)
    return mapped
