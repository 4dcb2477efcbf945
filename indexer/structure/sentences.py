"""Sentence boundaries in council prose: one rule for cutting passages and for picking answer sentences.

A hand-written rule rather than a library splitter (pysbd, spaCy's sentencizer): passages need
boundaries as character offsets into the source, and papers break "sentences" at list bullets,
table rows and numbered paragraphs that prose splitters do not know.

Text taken from PDFs is also broken at the end of every printed line. ``wrap_joins`` says which
line breaks are such wraps inside a sentence, so that what a person reads and the sentences an
answer quotes run on across them; every other line break ends a sentence.
"""

from __future__ import annotations

import re
from itertools import pairwise

# After . ! ? or ; (and any closing quote or bracket), whitespace, then what starts a sentence:
# a capital, a digit, £, a bullet or a dash. A line break ends one too, once wraps are joined.
SENTENCE_END = re.compile(r"(?<=[.!?;])[\"'”’)]*\s+(?=[\"'“‘(]?[A-Z0-9£•\-])|\n")

# What starts a new unit on a line of its own, so the break before it is never a wrap: a bullet
# or dash, a numbered paragraph ("2.", "4.1.3", "3)", "12 The ..."), a lettered or roman item
# ("a.", "(b)", "iv)"), a markdown heading or table row.
_UNIT_START = re.compile(
    r"[ \t]*(?:[-–•●▪◦*➤►■→]\s|\d+(?:\.\d+)*(?:[.)]\s|\s+(?=[A-Z])|\t)|\(?[a-z][.)]\s|\(?[ivx]{1,4}[.)]\s"
    r"|\([a-z0-9]{1,4}\)\s|#|\|)")
# Words that cannot end a sentence: a line ending with one runs on into the next.
_RUNS_ON = re.compile(
    r"(?:^|\s)(?:a|an|the|and|or|nor|but|of|to|in|on|at|by|for|from|with|without|as|into|onto|upon|"
    r"under|over|between|within|including|than|via|per|is|are|was|were|be|been|being|has|have|had|"
    r"will|would|should|could|may|might|must|can|shall|not|that|which|who|whose|whom|this|these|"
    r"those|their|its|our|his|her|such|both|either|each|every|any|all|other|also|&)$")
# A line at least this share of the text's widest line was wrapped by the layout, not ended
# by its writer. Measured on the Kent PDFs (tests/data/realworld/kent): of 1,699 lines that
# go on in lowercase (sure wraps), 97% fill at least 0.8 of their passage's widest line
# (median 0.94); a lower share would start to take the short last lines of paragraphs.
_FULL_LINE = 0.8
_FULL_LINE_MIN = 40  # a short text's lines are all "full": below this, length says nothing


def _wrap(line: str, following: str, blank_between: bool) -> bool | None:
    """True for a wrap, False for a real break, None for "a wrap if the line is full"."""
    tail, head = line.rstrip(), following.lstrip()
    if "\t" in line or "\t" in following or _UNIT_START.match(following):
        return False  # a table row (cells are tab-separated) or a new unit
    if blank_between:  # a page break inside a sentence: it stops mid-way and goes on in lowercase
        return head[0].islower() and not tail.endswith((".", "!", "?", ":", ";"))
    if head[0].islower():
        return True
    if tail.endswith(":") or not (head[0].isupper() or head[0].isdigit() or head[0] in "£“\"‘'"):
        return False  # a lead-in's colon keeps its line; so does a line before "(Item 3)"
    if tail.endswith(",") or _RUNS_ON.search(tail) or (head[0].isdigit() and re.search(r"\d-$", tail)):
        return True  # the sentence cannot end here ("the 2024-" goes on "25 budget")
    if head[0].isdigit() or head[0] == "£" or re.search(r"[\d%]$", tail):
        return False  # figures at both ends: the rows of a table without rules
    return None


def wrap_joins(text: str) -> list[tuple[int, int, str]]:
    """Where ``text``'s lines were wrapped inside a sentence, and what joins them.

    A break is a wrap when the next line goes on in lowercase, or when the line before
    cannot end there (it ends with a comma, or a word like "the"). In a text with such
    wraps (a PDF's, wrapped by the page layout) a line that fills the text's width is
    wrapped too, before a capital; where a writer broke every line (a list of members),
    it is not. Blank lines, bullets, numbered paragraphs, headings and table rows end a
    sentence; the one blank line that does not is a page break in mid-sentence, after
    which the sentence goes on in lowercase.

    Returns:
        ``(start, end, replacement)`` for each wrapped break: the break with the spaces
        around it becomes one space; "exam-" + "ple" becomes "example" (a hyphen before a
        lowercase letter is the layout's), "2024-" + "25" keeps its hyphen and no space.
    """
    lines = text.split("\n")
    width = max(len(line.strip()) for line in lines)
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line) + 1)
    content = [i for i, line in enumerate(lines) if line.strip()]
    breaks = [(i, j, _wrap(lines[i], lines[j], j > i + 1)) for i, j in pairwise(content)]
    hard_wrapped = any(wrap and j == i + 1 for i, j, wrap in breaks)
    joins: list[tuple[int, int, str]] = []
    for i, j, wrap in breaks:
        line, following = lines[i], lines[j]
        if wrap is None:
            wrap = hard_wrapped and len(line.strip()) >= max(_FULL_LINE * width, _FULL_LINE_MIN)
        if not wrap:
            continue
        start = starts[i] + len(line.rstrip())
        end = starts[j] + len(following) - len(following.lstrip())
        if re.search(r"\w-$", line.rstrip()):
            hyphen_ends_word = line.rstrip()[-2].isalpha() and following.lstrip()[:1].islower()
            joins.append((start - 1 if hyphen_ends_word else start, end, ""))
        else:
            joins.append((start, end, " "))
    return joins


def join_wraps(text: str) -> str:
    """``text`` with its wrapped lines joined (see ``wrap_joins``)."""
    pieces, cursor = [], 0
    for start, end, replacement in wrap_joins(text):
        pieces += [text[cursor:start], replacement]
        cursor = end
    return "".join(pieces) + text[cursor:]


def split_sentences(text: str) -> list[str]:
    """The sentences of ``text`` in order, stripped; empty pieces dropped. Wrapped lines run on."""
    return [piece.strip() for piece in SENTENCE_END.split(join_wraps(text)) if piece.strip()]
