"""The index generation a service reads: opened whole, checked against the model, swapped whole in the background."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

from indexer.errors import CouncilQAError, IndexMismatch
from indexer.records import Person
from indexer.store.collection import open_reader
from indexer.store.layout import published_pointer
from models.glossary import load_glossary
from qa.engine import SearchEngine
from qa.retrieval.query import QueryPlanner
from qa.settings import ServiceSettings

log = logging.getLogger(__name__)


class Generation:
    """One open index generation: its reader, glossary, people and the engine over it."""

    def __init__(self, index_dir: Path, embedder: object, settings: ServiceSettings) -> None:
        self.reader = open_reader(index_dir)  # a single index, or a collection of shards
        try:
            manifest = self.reader.manifest
            dim = embedder.dim  # type: ignore[attr-defined]
            if manifest.model_setting != settings.embedding_model or manifest.dim != dim:
                raise IndexMismatch(
                    f"the index was built with model '{manifest.model_setting}' (dim {manifest.dim}), the service "
                    f"is configured with '{settings.embedding_model}' (dim {dim}); rebuild with `qa index --rebuild`")
            self.glossary = load_glossary(self.reader.glossary())
            self.people = [Person(p.name, p.role, p.is_councillor, p.meetings) for p in self.reader.people()]
            self.engine = SearchEngine(self.reader, embedder, QueryPlanner(self.glossary),
                                       max_query_chars=settings.max_query_chars)
        except BaseException:
            self.reader.close()  # a generation that failed to open must not stay held on disk
            raise
        self.pointer = self.reader.pointer

    def close(self) -> None:
        """Release the generation: its connections close and a later publish may delete it."""
        self.reader.close()


# The generation the running request pinned with LiveIndex.use(), and whose LiveIndex pinned it.
_PINNED: ContextVar[tuple[LiveIndex, Generation] | None] = ContextVar("qa_pinned_generation", default=None)


class LiveIndex:
    """The newest published generation that opens, switched without a request ever waiting.

    A request enters ``use()``: one read of CURRENT tells whether ``qa index`` published a newer
    generation; if so it is opened on a background thread while requests go on being answered by
    the generation they have, and swapped in whole once open. A generation that fails to open is
    remembered by name, logged once and tried again only if published again under a new name; the
    old one keeps serving. A generation swapped out is closed (so a later publish may delete it)
    when the last request using it ends.

    A caller outside a request (the CLI, a script) reads ``current``, which does not look for a newer
    publish; it must not share a LiveIndex with a server's requests, as a switch closes any generation
    that no request has pinned.
    """

    def __init__(self, settings: ServiceSettings, embedder: object,
                 opener: Callable[[], Generation] | None = None) -> None:
        self.settings = settings
        self.embedder = embedder
        self._open = opener or (lambda: Generation(settings.index_dir, embedder, settings))
        self._lock = threading.Lock()
        self._generation = self._open()
        self._users: dict[Generation, int] = {self._generation: 0}
        self.opening: str | None = None
        self.failed: dict[str, str] = {}

    @property
    def current(self) -> Generation:
        """The generation the running request pinned, else the newest one opened."""
        pinned = _PINNED.get()
        if pinned is not None and pinned[0] is self:
            return pinned[1]
        return self._generation

    @property
    def newest(self) -> Generation:
        """The newest generation opened, whichever one the running request pinned."""
        return self._generation

    @property
    def problem(self) -> str | None:
        """Why the newest published generation is not the one served, or None."""
        return self.failed.get(published_pointer(self.settings.index_dir) or "")

    @contextmanager
    def use(self) -> Iterator[Generation]:
        """Pin the current generation for one request: every read in it sees this one, kept open until it ends."""
        self.refresh()
        with self._lock:
            generation = self._generation
            self._users[generation] += 1
        token = _PINNED.set((self, generation))
        try:
            yield generation
        finally:
            _PINNED.reset(token)
            with self._lock:
                self._users[generation] -= 1
                retired = generation is not self._generation and not self._users[generation]
                if retired:
                    del self._users[generation]
            if retired:
                generation.close()

    def refresh(self) -> bool:
        """Start opening a newly published generation in the background; True if one was started."""
        pointer = published_pointer(self.settings.index_dir)
        with self._lock:
            # One open at a time, so an older generation never lands after a newer one.
            if pointer is None or pointer == self._generation.pointer or self.opening or pointer in self.failed:
                return False
            self.opening = pointer
        threading.Thread(target=self._open_in_background, args=(pointer,), name=f"open {pointer}",
                         daemon=True).start()
        return True

    def close(self) -> None:
        """Close the generation being served (at shutdown)."""
        self._generation.close()

    def _open_in_background(self, pointer: str) -> None:
        try:
            generation = self._open()
        except Exception as error:  # keep serving the generation we have
            self.failed[pointer] = str(error)
            if isinstance(error, CouncilQAError):
                log.warning("index generation %s did not open, still serving %s: %s",
                            pointer, self._generation.pointer, error)
            else:  # unexpected: its traceback is worth the one time it is logged
                log.exception("index generation %s did not open, still serving %s", pointer, self._generation.pointer)
        else:
            self._swap(generation)
        finally:
            self.opening = None

    def _swap(self, generation: Generation) -> None:
        with self._lock:
            old, self._generation = self._generation, generation
            self._users[generation] = 0
            retired = not self._users[old]
            if retired:
                del self._users[old]
        log.info("switched to index generation %s", generation.pointer)
        if retired:
            old.close()
