"""Load HTML papers as markdown-like text: headings as '#', bullets, tab-separated table rows."""

from __future__ import annotations

import hashlib
import re
from typing import Any

from indexer.errors import LoadError
from indexer.loaders.decoding import decode_bytes
from indexer.records import SourceText

# A whole data: URI; stripped before parsing so inline images cost neither memory nor time.
_DATA_URI = re.compile(
    r"data:(?:[a-z]+/[\w.+-]+)?(?:;[\w.+-]+(?:=[\w.+-]+)?)*,[^\"'\s<>()]*", re.IGNORECASE
)
_META_CHARSET = re.compile(rb"<meta[^>]*?charset\s*=\s*[\"']?\s*([\w.:-]+)", re.IGNORECASE)
_SNIFF_BYTES = 4096


def load_html(raw: bytes, source_file: str) -> SourceText:
    """Load an ``.html`` or ``.htm`` file as text the structure parser reads like markdown.

    Scripts, styles, templates, SVG, hidden elements and data: URIs are dropped;
    ``h1``-``h6`` become ``#`` headings, ``li`` becomes a ``- `` bullet and each table
    row a line of tab-separated cells.

    Args:
        raw: The file's bytes.
        source_file: The name citations show for the file.

    Returns:
        The rendered text with media type "html".

    Raises:
        LoadError: The file is empty, binary, undecodable or has no visible text.
    """
    declared = _META_CHARSET.search(raw[:_SNIFF_BYTES])
    decoded = decode_bytes(raw, declared.group(1).decode("ascii") if declared else None)
    markup = _DATA_URI.sub("", decoded.text)
    tree = _parse(markup)
    from indexer.loaders.html_render import render_markdown  # needs bs4, checked by _parse

    text = render_markdown(tree)
    if not text.strip():
        raise LoadError("HTML has no visible text")
    return SourceText(
        source_file=source_file,
        text=text,
        sha256=hashlib.sha256(raw).hexdigest(),
        media_type="html",
        encoding=decoded.encoding,
        warnings=decoded.warnings,
    )


def _parse(markup: str) -> Any:
    try:
        from bs4 import BeautifulSoup
    except ImportError as exc:
        raise LoadError("reading HTML needs BeautifulSoup; install beautifulsoup4") from exc
    return BeautifulSoup(markup, "html.parser")
