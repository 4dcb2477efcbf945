"""Render a parsed HTML tree as markdown-like text, iteratively so deep nesting cannot overflow."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bs4.element import NavigableString, PreformattedString, Tag

DROPPED_TAGS = frozenset(
    "script style noscript template svg math iframe object embed canvas"
    " img input select button".split()
)
PARAGRAPH_TAGS = frozenset("p blockquote pre table figure hr title address".split())
LINE_TAGS = frozenset(
    "div section article header footer nav main aside figcaption caption form fieldset legend"
    " ul ol dl dt dd tr details summary center br li body html".split()
)
HEADING_LEVELS = {f"h{level}": level for level in range(1, 7)}
CELL_TAGS = frozenset({"td", "th"})
_SPACES = re.compile(r"\s+")
_BLANK_RUNS = re.compile(r"\n{3,}")
_EMPTY_MARKER_LINE = re.compile(r"^(?:#+|-)$", re.MULTILINE)


@dataclass
class _Writer:
    """Output with line breaks and spaces held back until text follows, so they never pile up."""

    chunks: list[str] = field(default_factory=list)
    newlines: int = 0
    space: bool = False
    inline_depth: int = 0  # inside headings and table cells, line breaks become spaces
    pre_depth: int = 0
    row_cells: list[int] = field(default_factory=list)

    def line_break(self, count: int) -> None:
        if self.inline_depth:
            self.space = True
        else:
            self.newlines = max(self.newlines, count)

    def write(self, text: str, *, spaced: bool = True) -> None:
        if self.chunks and self.newlines:
            self.chunks.append("\n" * self.newlines)
        elif spaced and self.space and self.chunks and not self.chunks[-1][-1].isspace():
            self.chunks.append(" ")
        self.newlines, self.space = 0, False
        self.chunks.append(text)

    def text(self, text: str) -> None:
        if self.pre_depth and not self.inline_depth:
            self.write(text.replace("\r\n", "\n").replace("\r", "\n"), spaced=False)
            return
        collapsed = _SPACES.sub(" ", text)
        core = collapsed.strip(" ")
        self.space = self.space or collapsed.startswith(" ")
        if core:
            self.write(core)
            self.space = collapsed.endswith(" ")


def render_markdown(root: Tag) -> str:
    """Render the visible text under ``root``.

    Args:
        root: A BeautifulSoup tree (or any tag in one).

    Returns:
        Text with ``#`` headings, ``- `` bullets, one line per table row with cells
        separated by tabs, and at most one blank line in a row.
    """
    out = _Writer()
    stack: list[tuple[object, bool]] = [(root, False)]
    while stack:
        node, closing = stack.pop()
        if isinstance(node, NavigableString):
            if not isinstance(node, PreformattedString):  # comments, doctype, CDATA
                out.text(str(node))
        elif isinstance(node, Tag) and not _is_hidden(node):
            if closing:
                _close(out, node.name)
            else:
                _open(out, node.name)
                stack.append((node, True))
                stack.extend((child, False) for child in reversed(node.contents))
    text = "\n".join(line.rstrip(" ") for line in "".join(out.chunks).split("\n"))
    return _BLANK_RUNS.sub("\n\n", _EMPTY_MARKER_LINE.sub("", text)).strip("\n")


def _open(out: _Writer, name: str) -> None:
    if name in HEADING_LEVELS:
        out.line_break(2)
        if not out.inline_depth:
            out.write("#" * HEADING_LEVELS[name] + " ", spaced=False)
        out.inline_depth += 1
    elif name in CELL_TAGS:
        if out.row_cells and out.row_cells[-1]:
            out.write(" " if out.inline_depth else "\t", spaced=False)
        if out.row_cells:
            out.row_cells[-1] += 1
        out.inline_depth += 1
    elif name == "tr":
        out.line_break(1)
        out.row_cells.append(0)
    elif name == "li":
        out.line_break(1)
        out.write("- ", spaced=True)
    elif name in PARAGRAPH_TAGS:
        out.line_break(2)
    elif name in LINE_TAGS:
        out.line_break(1)
    if name == "pre":
        out.pre_depth += 1


def _close(out: _Writer, name: str) -> None:
    if name in HEADING_LEVELS or name in CELL_TAGS:
        out.inline_depth -= 1
    if name == "tr" and out.row_cells:
        out.row_cells.pop()
    if name == "pre":
        out.pre_depth -= 1
    if name in HEADING_LEVELS or name in PARAGRAPH_TAGS:
        out.line_break(2)
    elif name in LINE_TAGS and name != "br":
        out.line_break(1)


def _is_hidden(tag: Tag) -> bool:
    if tag.name in DROPPED_TAGS or tag.has_attr("hidden"):
        return True
    style = tag.get("style")
    return isinstance(style, str) and "display:none" in style.replace(" ", "").lower()
