"""The index generation a service reads: opened whole, checked against the model, swapped whole."""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from indexer.errors import IndexMismatch
from indexer.records import Person
from indexer.store.layout import CURRENT
from indexer.store.reader import IndexReader
from models.glossary import load_glossary
from qa.engine import SearchEngine
from qa.retrieval.query import QueryPlanner
from qa.settings import ServiceSettings

log = logging.getLogger(__name__)


def published_pointer(index_dir: Path) -> str | None:
    """The name of the generation ``qa index`` last published, or None when there is none to read."""
    try:
        return (index_dir / CURRENT).read_text(encoding="utf-8").strip()
    except OSError:
        return None


class Generation:
    """One open index generation: its reader, glossary, people and the engine over it."""

    def __init__(self, index_dir: Path, embedder: object, settings: ServiceSettings) -> None:
        self.reader = IndexReader(index_dir)
        manifest = self.reader.manifest
        dim = embedder.dim  # type: ignore[attr-defined]
        if manifest.model_setting != settings.embedding_model or manifest.dim != dim:
            raise IndexMismatch(
                f"the index was built with model '{manifest.model_setting}' (dim {manifest.dim}), the service is "
                f"configured with '{settings.embedding_model}' (dim {dim}); rebuild with `qa index --rebuild`")
        self.glossary = load_glossary(self.reader.glossary())
        self.people = [Person(p.name, p.role, p.is_councillor, p.meetings) for p in self.reader.people()]
        self.engine = SearchEngine(self.reader, embedder, QueryPlanner(self.glossary),
                                   max_query_chars=settings.max_query_chars)
        self.pointer = self.reader.generation.name


class LiveIndex:
    """The newest published generation: when ``qa index`` publishes one, the next read opens it
    and swaps it in whole, so a request sees one generation only."""

    def __init__(self, settings: ServiceSettings, embedder: object) -> None:
        self.settings = settings
        self.embedder = embedder
        self._lock = threading.Lock()
        self._generation = Generation(settings.index_dir, embedder, settings)

    @property
    def current(self) -> Generation:
        """The generation to read now, after swapping in a newly published one."""
        self.refresh()
        return self._generation

    def refresh(self) -> bool:
        """Swap in a newly published generation; True if one was swapped in."""
        pointer = published_pointer(self.settings.index_dir)
        if pointer is None or pointer == self._generation.pointer:
            return False
        with self._lock:
            if pointer != self._generation.pointer:
                try:
                    self._generation = Generation(self.settings.index_dir, self.embedder, self.settings)
                    log.info("switched to index generation %s", self._generation.pointer)
                    return True
                except Exception:  # keep serving the generation we have
                    log.exception("could not open the new index generation; still serving %s",
                                  self._generation.pointer)
        return False
