"""Page furniture: running headers and footers and page numbers, which a printed page repeats and a reader skips.

Found the way a person finds them, on signals any council's PDFs share: a line at the top or
the bottom of a page that is the page's number ("3", "Page 3", "- 3 -", "Page 3 of 12"), or
a label (not a sentence) that recurs at the top or bottom of most pages (the same words, the
page number aside).
"""

from __future__ import annotations

import math
import re
from collections import Counter

# How many lines at each end of a page can be furniture: a running header is at most a
# title, a subtitle and the page number ("Appendix 2" / "Treasury report to County Council" / "1").
EDGE_LINES = 3
# A line recurring at the edges of at least this share of the pages (and of 3 pages) is a
# running header or footer. Half, for headers printed on odd or even pages only; 3, so that
# a sentence that happens to open two pages is never taken for one. Checked on the 15 Kent
# PDFs in tests/data/realworld/kent: it finds "Appendix H" and the glossary's header and nothing else.
REPEAT_SHARE = 0.5
REPEAT_MIN_PAGES = 3

_PAGE_OF = re.compile(r"^page\s+\d+\s+of\s+\d+$", re.I)
_PAGE_NUMBER = re.compile(r"^(?:page\s+|[-–—]\s*)?(\d{1,4})(?:\s*[-–—])?$", re.I)
_NUMBER = re.compile(r"\b\d{1,4}\b")


def _is_label(text: str) -> bool:
    """Words a header or footer could be: a label, not a sentence ("RESOLVED that ... noted." may end many pages)."""
    return any(c.isalpha() for c in text) and not text.endswith((".", "!", "?", ";", ":"))


def _edges(lines: list[str]) -> list[int]:
    """Indexes of the first and last few non-blank lines."""
    content = [i for i, line in enumerate(lines) if line.strip()]
    return sorted(set(content[:EDGE_LINES] + content[-EDGE_LINES:]))


def _key(line: str) -> str:
    return " ".join(line.split()).lower()


def _page_offset(pages: list[list[str]], edges: list[list[int]]) -> int | None:
    """The offset between printed page numbers and page positions, if the edges agree on one.

    An agenda pack's pages may be printed "Page 37" to "Page 120" while the PDF counts
    1 to 84; the numbers at the edges then run 36 ahead of the positions.
    """
    offsets: Counter[int] = Counter()
    for position, (lines, edge) in enumerate(zip(pages, edges), 1):
        offsets.update({int(n) - position for i in edge for n in _NUMBER.findall(lines[i])})
    if not offsets:
        return None
    offset, count = offsets.most_common(1)[0]
    return offset if count >= max(2, math.ceil(REPEAT_SHARE * len(pages))) else None


def furniture_lines(pages: list[list[str]], numbers: list[int]) -> list[set[int]]:
    """For each page, the indexes of its lines that are page furniture.

    Args:
        pages: Each page's text, split into lines.
        numbers: Each page's printed number (from the PDF's page labels) or position.

    Returns:
        One set of line indexes per page; only lines near the top or bottom are ever chosen.
        A running header is kept where it first appears: on a cover, "Appendix H" is what
        says the paper is an appendix.
    """
    edges = [_edges(lines) for lines in pages]
    offset = _page_offset(pages, edges)
    own = [{numbers[p], p + 1} | ({p + 1 + offset} if offset is not None else set()) for p in range(len(pages))]

    def keys(page: int, line: str) -> tuple[str, str]:
        """The line's words, as printed and with the page's own number made generic.

        The second makes "Cabinet, 9 January 2025, page 3" agree across pages; the first
        keeps "Appendix 2" the same on page 2 as on every other page.
        """
        words = _key(line)
        return words, _NUMBER.sub(lambda m: "#" if int(m.group(0)) in own[page] else m.group(0), words)

    seen: Counter[str] = Counter()
    first: dict[str, int] = {}
    for page, (lines, edge) in enumerate(zip(pages, edges)):
        page_keys = {k for i in edge for k in keys(page, lines[i])}
        seen.update(page_keys)
        for k in page_keys:
            first.setdefault(k, page)
    repeated = max(REPEAT_MIN_PAGES, math.ceil(REPEAT_SHARE * len(pages)))
    out: list[set[int]] = []
    for page, (lines, edge) in enumerate(zip(pages, edges)):
        found = set()
        for i in edge:
            text = _key(lines[i])
            number = _PAGE_NUMBER.match(text)
            if _PAGE_OF.match(text) or (number and int(number.group(1)) in own[page]):
                found.add(i)
            elif _is_label(text):
                printed, numbered = keys(page, lines[i])
                # Where it first appears, a running header is also the paper's own label; a line
                # carrying the page's number is furniture everywhere.
                if (seen[printed] >= repeated and first[printed] < page) or \
                        (numbered != printed and seen[numbered] >= repeated):
                    found.add(i)
        out.append(found)
    return out
