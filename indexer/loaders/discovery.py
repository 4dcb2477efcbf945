"""Find and load every paper under the given files and folders, reporting what cannot be loaded."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from indexer.errors import LoadError
from indexer.loaders.file_loader import DEFAULT_MAX_BYTES, load_file, source_name
from indexer.records import LoadFailure, SourceText

logger = logging.getLogger(__name__)


def load_paths(
    paths: Iterable[Path], root: Path | None = None, max_bytes: int = DEFAULT_MAX_BYTES
) -> tuple[list[SourceText], list[LoadFailure]]:
    """Load files and folders (recursively, in name order), skipping hidden names.

    Args:
        paths: Files and folders, loaded in the order given.
        root: The corpus root for ``source_file`` names. With no root, files found in
            a folder are named relative to that folder, and files given directly by name.
        max_bytes: Files larger than this are reported as failures.

    Returns:
        The loaded texts, and one failure for every file or folder that could not be
        loaded (unsupported type, unreadable, broken link, link loop, bad content).
    """
    sources: list[SourceText] = []
    failures: list[LoadFailure] = []
    for found in discover_files(paths, root):
        loaded = load_found(found, max_bytes)
        (failures if isinstance(loaded, LoadFailure) else sources).append(loaded)
    for failure in failures:
        logger.warning("not loaded: %s: %s", failure.source_file, failure.reason)
    logger.info("loaded %d files, %d not loaded", len(sources), len(failures))
    return sources, failures


@dataclass(frozen=True)
class FoundFile:
    """A file (or a folder that cannot be walked) found under the paths to load, not yet read.

    Attributes:
        path: Where it is on disk.
        base: The corpus root its ``name`` is relative to.
        name: Its ``source_file`` name, as citations show it.
        problem: Why a folder is skipped, or None for a file to load.
    """

    path: Path
    base: Path
    name: str
    problem: str | None = None


def discover_files(paths: Iterable[Path], root: Path | None = None) -> Iterator[FoundFile]:
    """Every file under ``paths`` in load order, named as ``load_paths`` names them; nothing is read."""
    for path in map(Path, paths):
        base = root if root is not None else (path if path.is_dir() else path.parent)
        for found, problem in walk_files(path):
            name = source_name(found, base)
            if name == ".":  # the folder given itself
                name = path.as_posix()
            yield FoundFile(found, base, name, problem)


def load_found(found: FoundFile, max_bytes: int = DEFAULT_MAX_BYTES) -> SourceText | LoadFailure:
    """Load one found file, or say why it cannot be loaded (a loader bug included)."""
    if found.problem is not None:
        return LoadFailure(found.name, found.problem)
    try:
        return load_file(found.path, found.base, max_bytes)
    except LoadError as exc:
        return LoadFailure(found.name, str(exc))
    except Exception as exc:  # a loader bug must not stop the rest of the corpus
        logger.exception("unexpected error loading %s", found.path)
        return LoadFailure(found.name, f"unexpected error: {type(exc).__name__}: {exc}")


def walk_files(top: Path) -> Iterator[tuple[Path, str | None]]:
    """Yield every file under ``top`` in name order, and each folder that cannot be walked.

    Args:
        top: A folder, or anything else (a file, a broken link), which is yielded as is
            for the loader to report on.

    Yields:
        ``(path, None)`` for a file; ``(path, reason)`` for a folder that is skipped
        (unreadable, a link loop, or a link to a folder already walked).
    """
    if not top.is_dir():
        yield top, None
        return
    seen: dict[str, Path] = {}  # real path of each folder walked -> the path it was reached by
    stack: list[Iterator[os.DirEntry[str]]] = []
    problem = _enter(top, seen, stack)
    if problem is not None:
        yield top, problem
    while stack:
        entry = next(stack[-1], None)
        if entry is None:
            stack.pop()
            continue
        if entry.name.startswith("."):
            continue
        path = Path(entry.path)
        if not _is_dir(entry):
            yield path, None
        elif (problem := _enter(path, seen, stack)) is not None:
            yield path, problem


def _enter(
    directory: Path, seen: dict[str, Path], stack: list[Iterator[os.DirEntry[str]]]
) -> str | None:
    """Open ``directory`` onto the stack, or say why it is skipped."""
    real = os.path.realpath(directory)
    if real in seen:
        parent = os.path.realpath(directory.parent)
        if parent == real or parent.startswith(real + os.sep):
            return "symbolic link loop (links to a folder that contains it); remove the link"
        return f"links to a folder already loaded as '{seen[real]}'; skipped"
    seen[real] = directory
    try:
        with os.scandir(directory) as scan:
            entries = sorted(scan, key=lambda entry: entry.name)
    except OSError as exc:
        return f"cannot read folder: {exc.strerror or exc}; check its permissions"
    stack.append(iter(entries))
    return None


def _is_dir(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()  # follows links; False for broken links and loops
    except OSError:
        return False
