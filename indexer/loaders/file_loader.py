"""Load one source file: pick the loader by suffix, guard size and file kind, read the bytes."""

from __future__ import annotations

import errno
import logging
import os
import stat
from collections.abc import Callable
from pathlib import Path

from indexer.errors import LoadError
from indexer.loaders.html_loader import load_html
from indexer.loaders.pdf_loader import load_pdf
from indexer.loaders.text_loader import load_markdown, load_text
from indexer.records import SourceText

logger = logging.getLogger(__name__)

DEFAULT_MAX_BYTES = 25 * 1024 * 1024

Loader = Callable[[bytes, str], SourceText]

# Chosen by exact (lower-cased) suffix, never by substring.
LOADERS: dict[str, Loader] = {
    ".txt": load_text,
    ".md": load_markdown,
    ".markdown": load_markdown,
    ".pdf": load_pdf,
    ".html": load_html,
    ".htm": load_html,
}
SUPPORTED_SUFFIXES: tuple[str, ...] = tuple(LOADERS)


def load_file(
    path: Path, root: Path | None = None, max_bytes: int = DEFAULT_MAX_BYTES
) -> SourceText:
    """Load one paper from disk.

    Args:
        path: The file to load.
        root: The corpus root; ``source_file`` is the path relative to it (POSIX
            style). With no root, ``source_file`` is the file name.
        max_bytes: Files larger than this are refused.

    Returns:
        The decoded text with its digest, media type, pages and warnings.

    Raises:
        LoadError: The file is missing, unreadable, too large, of an unsupported type,
            or its content cannot be loaded; the message says which.
    """
    path = Path(path)
    source_file = source_name(path, root)
    suffix = path.suffix.lower()
    try:
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            raise LoadError("is a folder, not a file")
        if suffix not in LOADERS:
            kind = f"'{suffix}'" if suffix else "(no suffix)"
            supported = ", ".join(SUPPORTED_SUFFIXES)
            raise LoadError(f"unsupported file type {kind}; supported: {supported}")
        if not stat.S_ISREG(info.st_mode):  # opening a FIFO would block forever
            raise LoadError("not a regular file (a device, pipe or socket)")
        if info.st_size > max_bytes:
            raise LoadError(_too_large(info.st_size, max_bytes))
        with path.open("rb") as stream:
            raw = stream.read(max_bytes + 1)
    except OSError as exc:
        raise LoadError(_os_reason(path, exc)) from exc
    if len(raw) > max_bytes:  # the file grew after stat
        raise LoadError(_too_large(len(raw), max_bytes))
    source = LOADERS[suffix](raw, source_file)
    logger.debug("loaded %s (%d chars, %s)", source_file, len(source.text), source.encoding)
    return source


def source_name(path: Path, root: Path | None) -> str:
    """Return the name citations show: ``path`` relative to ``root`` (POSIX), else its name."""
    if root is None:
        return path.name
    try:
        return Path(os.path.abspath(path)).relative_to(os.path.abspath(root)).as_posix()
    except ValueError:
        logger.warning("%s is not under the corpus root %s; citing it by name", path, root)
        return path.name


def _too_large(size: int, max_bytes: int) -> str:
    return (
        f"file is {size:,} bytes, over the {max_bytes:,}-byte limit; "
        "split it or raise the size limit"
    )


def _os_reason(path: Path, exc: OSError) -> str:
    if exc.errno == errno.ELOOP:
        return "symbolic link loop; fix or remove the link"
    if isinstance(exc, FileNotFoundError) and path.is_symlink():
        return f"broken symbolic link to '{os.readlink(path)}'; fix or remove the link"
    if isinstance(exc, FileNotFoundError):
        return "file not found"
    if isinstance(exc, PermissionError):
        return "permission denied; check the file's permissions"
    return f"cannot read file: {exc.strerror or exc}"
