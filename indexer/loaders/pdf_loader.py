"""Load PDF papers with pypdf: text per page less its headers and footers, joined, with each page's span."""

from __future__ import annotations

import hashlib
import io
import logging
from typing import Any

from indexer.errors import LoadError
from indexer.loaders.furniture import furniture_lines
from indexer.records import PageSpan, SourceText

logger = logging.getLogger(__name__)

PAGE_SEPARATOR = "\n\n"


def load_pdf(raw: bytes, source_file: str) -> SourceText:
    """Load a PDF's text layer, page by page.

    Args:
        raw: The file's bytes.
        source_file: The name citations show for the file.

    Returns:
        The pages' text joined with a blank line, and a ``PageSpan`` for every page
        with text. Page furniture (running headers and footers, page numbers; see
        ``furniture_lines``) is left out, so no passage quotes it. Pages carry their
        printed numbers where the PDF's page labels are plain integers, else their
        1-based position.

    Raises:
        LoadError: The PDF is corrupt, truncated, encrypted, or has no text layer.
    """
    reader = _open(raw)
    try:
        page_count = len(reader.pages)
        labels = list(reader.page_labels)
    except Exception as exc:  # pypdf raises many types for a broken page tree
        raise LoadError(f"corrupt PDF: cannot read its pages ({exc})") from exc
    numbers, warnings = _printed_numbers(labels, page_count)
    pages = [_page_text(reader, index, number, warnings).split("\n") for index, number in enumerate(numbers)]
    furniture = furniture_lines(pages, numbers)
    parts: list[str] = []
    spans: list[PageSpan] = []
    empty_pages: list[int] = []
    offset = 0
    for number, lines, skip in zip(numbers, pages, furniture):
        page_text = "\n".join(line for i, line in enumerate(lines) if i not in skip).strip()
        if not page_text:
            if not skip:  # a page that held nothing but its number is not a scanned one
                empty_pages.append(number)
            continue
        if parts:
            offset += len(PAGE_SEPARATOR)
        spans.append(PageSpan(number, offset, offset + len(page_text)))
        parts.append(page_text)
        offset += len(page_text)
    if not parts:
        raise LoadError("PDF has no text layer (scanned image?); run OCR first")
    if empty_pages:
        warnings.append(f"no text on pages {_page_ranges(empty_pages)} (scanned images?)")
    text = PAGE_SEPARATOR.join(parts)
    if replaced := text.count("\ufffd"):
        warnings.append(f"{replaced} undecodable characters replaced with U+FFFD")
    return SourceText(
        source_file=source_file,
        text=text,
        sha256=hashlib.sha256(raw).hexdigest(),
        media_type="pdf",
        pages=tuple(spans),
        warnings=tuple(warnings),
    )


def _open(raw: bytes) -> Any:
    try:
        import pypdf
        from pypdf.errors import DependencyError
    except ImportError as exc:
        raise LoadError("reading PDF needs pypdf; install pypdf") from exc
    try:
        reader = pypdf.PdfReader(io.BytesIO(raw))
        encrypted = reader.is_encrypted
    except Exception as exc:  # pypdf raises many types (PdfReadError, ValueError, ...)
        raise LoadError(f"corrupt or truncated PDF: {exc or type(exc).__name__}") from exc
    if not encrypted:
        return reader
    try:
        decrypted = reader.decrypt("")  # many papers are "protected" with an empty password
    except DependencyError as exc:
        raise LoadError(
            "encrypted PDF: decrypting it needs the cryptography package; install cryptography"
        ) from exc
    except Exception as exc:
        raise LoadError(f"encrypted PDF: cannot decrypt it ({exc or type(exc).__name__})") from exc
    if not decrypted:
        raise LoadError("encrypted PDF: it needs a password to open; save an unprotected copy")
    return reader


def _printed_numbers(labels: list[str], page_count: int) -> tuple[list[int], list[str]]:
    """Return printed page numbers: the labels when all are distinct integers, else positions.

    Mixed schemes (i, ii, 1, 2) would give two pages the same number, so they fall
    back to positions, with a warning when the labels say something else.
    """
    positions = list(range(1, page_count + 1))
    if len(labels) != page_count:
        return positions, []
    if all(label.isascii() and label.isdigit() for label in labels):
        numbers = [int(label) for label in labels]
        if len(set(numbers)) == len(numbers):
            return numbers, []
    odd_labels = [label for label, pos in zip(labels, positions, strict=True) if label != str(pos)]
    if not odd_labels:
        return positions, []
    odd_label = odd_labels[0]
    note = f"page labels are not distinct numbers (e.g. {odd_label!r}); pages numbered by position"
    return positions, [note]


def _page_text(reader: Any, index: int, number: int, warnings: list[str]) -> str:
    try:
        return reader.pages[index].extract_text() or ""
    except Exception as exc:  # one bad page should not lose the rest of the paper
        logger.debug("text extraction failed on page %d", number, exc_info=True)
        warnings.append(f"page {number}: text extraction failed ({exc or type(exc).__name__})")
        return ""


def _page_ranges(pages: list[int]) -> str:
    """Format ``[1, 2, 3, 7]`` as ``"1-3, 7"``."""
    ranges: list[str] = []
    start = previous = pages[0]
    for page in [*pages[1:], None]:
        if page is not None and page == previous + 1:
            previous = page
            continue
        ranges.append(str(start) if start == previous else f"{start}-{previous}")
        if page is not None:
            start = previous = page
    return ", ".join(ranges)
