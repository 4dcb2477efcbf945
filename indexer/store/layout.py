"""Index directory layout: immutable generations, an atomic CURRENT pointer, a write lock.

An index directory holds ``gen-*`` folders, each a complete index (SQLite, FAISS,
manifest), and a ``CURRENT`` file naming the live one. A build writes a new
generation beside the live one and switches ``CURRENT`` with an atomic rename, so
a reader sees either the old index or the new one, never half of one, and a run
killed at any moment leaves the old index as it was.

A reader holds a shared lock on its generation's ``.readers`` file for as long as it
is open (``GenerationHold``); a publish removes old generations only when it can lock
that file exclusively, so a server still reading one keeps it on disk.

A collection is a directory with no ``CURRENT`` of its own and a ``shards/`` folder holding one
such index directory per shard (a council, or a council and year): each shard is built and
published on its own, and read together (``indexer.store.collection``).
"""

from __future__ import annotations

import fcntl
import os
import re
import shutil
import time
from pathlib import Path
from types import TracebackType

from indexer.errors import BadQuery, IndexLocked, IndexMismatch, IndexNotFound

CURRENT = "CURRENT"
MOMENTS = "moments.npz"  # the sums the cosine background follows from (models.calibration.VectorMoments)
SHARDS = "shards"  # a collection: one index directory per shard under it
LOCK = ".lock"
READERS = ".readers"
KEEP_GENERATIONS = 2


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def current_generation(index_dir: Path) -> Path:
    """The live generation's folder; IndexNotFound if there is none."""
    pointer = index_dir / CURRENT
    try:
        name = pointer.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        raise IndexNotFound(f"no index at {index_dir}: run `qa index` to build one") from None
    generation = index_dir / name
    if not name or "/" in name or not generation.is_dir():
        raise IndexNotFound(f"the index at {index_dir} points to a missing generation '{name}': run `qa index --rebuild`")
    return generation


_SHARD_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")


def shard_dir(index_dir: Path, name: str) -> Path:
    """Where the shard ``name`` of the collection at ``index_dir`` lives (a normal index directory).

    Raises BadQuery for a name that is not a plain folder name, and IndexMismatch when ``index_dir``
    already holds a single index (it cannot also be a collection).
    """
    if not _SHARD_NAME.fullmatch(name or ""):
        raise BadQuery(f"bad shard name {name!r}: use letters, digits, '.', '_' or '-' (64 at most)")
    if (index_dir / CURRENT).exists():
        raise IndexMismatch(f"{index_dir} holds a single index, not a collection of shards: "
                            "give another --index-dir for a sharded index")
    return index_dir / SHARDS / name


def shard_dirs(index_dir: Path) -> list[tuple[str, Path]]:
    """The published shards of a collection, by name (empty for a single index or no index)."""
    if (index_dir / CURRENT).exists() or not (index_dir / SHARDS).is_dir():
        return []
    return sorted((path.name, path) for path in (index_dir / SHARDS).iterdir()
                  if _SHARD_NAME.fullmatch(path.name) and (path / CURRENT).is_file())


def published_pointer(index_dir: Path) -> str | None:
    """What names the published state: a single index's CURRENT, or a collection's shards and theirs.

    It changes whenever ``qa index`` publishes anything the directory's readers would see; None when
    nothing is published.
    """
    shards = shard_dirs(index_dir)
    try:
        if not shards:
            return (index_dir / CURRENT).read_text(encoding="utf-8").strip()
        return ";".join(f"{name}/{(path / CURRENT).read_text(encoding='utf-8').strip()}" for name, path in shards)
    except OSError:
        return None


def has_index(index_dir: Path) -> bool:
    try:
        current_generation(index_dir)
    except IndexNotFound:
        return False
    return True


def new_generation(index_dir: Path) -> Path:
    """A fresh, empty working folder for a build; invisible to readers until published."""
    index_dir.mkdir(parents=True, exist_ok=True)
    for stale in index_dir.glob("gen-*.tmp"):  # left behind by a killed build
        shutil.rmtree(stale, ignore_errors=True)
    work = index_dir / f"gen-{time.strftime('%Y%m%dT%H%M%S')}-{os.getpid()}-{time.monotonic_ns() % 10**6}.tmp"
    work.mkdir()
    return work


def publish(index_dir: Path, work: Path) -> Path:
    """Make a finished working folder the live generation, atomically."""
    # Made here, not by the first reader, so that opening a generation never changes its folder's mtime,
    # which orders generations for pruning.
    (work / READERS).touch()
    for path in work.iterdir():
        with open(path, "rb") as handle:
            os.fsync(handle.fileno())
    final = work.with_name(work.name.removesuffix(".tmp"))
    os.rename(work, final)
    _fsync_dir(index_dir)
    pointer = index_dir / (CURRENT + ".tmp")
    with open(pointer, "w", encoding="utf-8") as handle:
        handle.write(final.name)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(pointer, index_dir / CURRENT)
    _fsync_dir(index_dir)
    _prune_generations(index_dir, final)
    return final


def _prune_generations(index_dir: Path, live: Path) -> None:
    """Keep the live generation and the one before it; remove older ones that no reader holds.

    One still held is left for a later publish to remove, once its readers have closed.
    """
    generations = sorted((p for p in index_dir.glob("gen-*") if p.is_dir() and not p.name.endswith(".tmp")),
                         key=lambda p: p.stat().st_mtime)
    for old in [p for p in generations if p != live][:-(KEEP_GENERATIONS - 1) or None]:
        try:
            fd = os.open(old / READERS, os.O_RDONLY)
        except FileNotFoundError:  # written before readers held generations: nobody holds it
            shutil.rmtree(old, ignore_errors=True)
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            shutil.rmtree(old, ignore_errors=True)
        except BlockingIOError:
            pass
        finally:
            os.close(fd)


class GenerationHold:
    """A shared lock on one generation's folder that keeps a publish from removing it until released."""

    def __init__(self, generation: Path) -> None:
        self.generation = generation
        try:
            self._fd: int | None = os.open(generation / READERS, os.O_RDONLY | os.O_CREAT, 0o644)
        except FileNotFoundError:
            raise IndexNotFound(f"the index generation {generation.name} was removed while opening it") from None
        fcntl.flock(self._fd, fcntl.LOCK_SH)
        if not (generation / READERS).exists():  # pruned between our open and our lock
            self.release()
            raise IndexNotFound(f"the index generation {generation.name} was removed while opening it")

    def release(self) -> None:
        """Let a later publish remove the generation; releasing twice is harmless."""
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


class WriteLock:
    """An exclusive, non-blocking lock on an index directory for one writer."""

    def __init__(self, index_dir: Path) -> None:
        self.index_dir = index_dir
        self._fd: int | None = None

    def __enter__(self) -> "WriteLock":
        self.index_dir.mkdir(parents=True, exist_ok=True)
        self._fd = os.open(self.index_dir / LOCK, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(self._fd)
            self._fd = None
            raise IndexLocked(f"the index at {self.index_dir} is locked by another `qa index` run; "
                              "wait for it to finish") from None
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None
