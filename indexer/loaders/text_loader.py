"""Load plain-text and markdown papers exactly as decoded, so character offsets stay stable."""

from __future__ import annotations

import hashlib

from indexer.loaders.decoding import decode_bytes
from indexer.records import SourceText


def load_text(raw: bytes, source_file: str) -> SourceText:
    r"""Load a ``.txt`` file.

    Line endings and whitespace are kept as they are: passages point into this
    text by character offset, and the structure parser handles ``\\r\\n`` and ``\\r``.

    Args:
        raw: The file's bytes.
        source_file: The name citations show for the file.

    Returns:
        The decoded text with media type "text".

    Raises:
        LoadError: The file is empty, binary or undecodable.
    """
    return _load(raw, source_file, "text")


def load_markdown(raw: bytes, source_file: str) -> SourceText:
    """Load a ``.md`` or ``.markdown`` file, as :func:`load_text` but with media type "markdown".

    Args:
        raw: The file's bytes.
        source_file: The name citations show for the file.

    Returns:
        The decoded text with media type "markdown".

    Raises:
        LoadError: The file is empty, binary or undecodable.
    """
    return _load(raw, source_file, "markdown")


def _load(raw: bytes, source_file: str, media_type: str) -> SourceText:
    decoded = decode_bytes(raw)
    return SourceText(
        source_file=source_file,
        text=decoded.text,
        sha256=hashlib.sha256(raw).hexdigest(),
        media_type=media_type,
        encoding=decoded.encoding,
        warnings=decoded.warnings,
    )
