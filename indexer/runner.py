"""How a build runs its per-paper and model stages: in this process here, on Ray in indexer/distributed.py."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from indexer.components import Components
from indexer.loaders import FoundFile
from indexer.records import Person
from indexer.stages import BuildSpec, ReadOutcome, read_file
from models.records import Entity

Progress = Callable[[str, int, int], None]


@dataclass(frozen=True)
class Annotations:
    """What the model stages made of every passage of a build, in passage order.

    Attributes:
        vectors: One normalised float32 row per passage.
        entities: Each passage's entities (offsets into its text).
        model: The embedder's name, for the manifest.
        dim: The vectors' width.
        encode_seconds: Time spent in the embedder (summed over workers when they run side by side).
    """

    vectors: np.ndarray
    entities: list[list[Entity]]
    model: str
    dim: int
    encode_seconds: float


class StageRunner(Protocol):
    """Runs the stages a build can farm out; the builder does everything else, the same for every runner."""

    def session(self) -> AbstractContextManager[None]:
        """Holds what the stages run on (a Ray cluster) for one build."""
        ...

    def read(self, files: Sequence[FoundFile], known: Mapping[str, str], spec: BuildSpec,
             progress: Progress) -> list[ReadOutcome]:
        """Each found file read (and parsed when new or changed; see ``stages.read_file``), in order."""
        ...

    def annotate(self, inputs: Sequence[str], texts: Sequence[str], people: Sequence[Person] | None,
                 progress: Progress) -> Annotations:
        """Embed ``inputs`` and extract the entities of ``texts`` (one each per passage), knowing ``people``."""
        ...

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        """Short texts (metric names) encoded as queries."""
        ...


def encode_distinct(embedder: object, inputs: Sequence[str], progress: Progress | None = None,
                    step: int = 512) -> np.ndarray:
    """``inputs`` encoded as passages, each distinct text once (a paper's summary repeated in its
    appendix, boilerplate printed on every report share one vector), ``step`` texts at a time for
    ``progress``."""
    distinct = list(dict.fromkeys(inputs))
    encoded = np.zeros((len(distinct), embedder.dim), dtype=np.float32)  # type: ignore[attr-defined]
    if progress is not None:
        progress("embed", 0, len(distinct))
    for start in range(0, len(distinct), step):
        chunk = distinct[start:start + step]
        encoded[start:start + len(chunk)] = embedder.encode_passages(chunk, show_progress=False)  # type: ignore[attr-defined]
        if progress is not None:
            progress("embed", start + len(chunk), len(distinct))
    if len(distinct) == len(inputs):
        return encoded
    row = {text: i for i, text in enumerate(distinct)}
    return encoded[[row[text] for text in inputs]]


class LocalRunner:
    """Every stage in this process, one after another, with the components as given."""

    def __init__(self, components: Components) -> None:
        self.components = components
        self._embedder: object | None = None

    def embedder(self) -> object:
        """The components' embedder, created on first use (loading a model takes seconds)."""
        if self._embedder is None:
            self._embedder = self.components.embedder()
        return self._embedder

    def session(self) -> AbstractContextManager[None]:
        return nullcontext()

    def read(self, files: Sequence[FoundFile], known: Mapping[str, str], spec: BuildSpec,
             progress: Progress) -> list[ReadOutcome]:
        outcomes = []
        for done, found in enumerate(files, 1):
            outcomes.append(read_file(found, known, spec, self.components.count_tokens, self.components.people))
            progress("read", done, len(files))
        return outcomes

    def annotate(self, inputs: Sequence[str], texts: Sequence[str], people: Sequence[Person] | None,
                 progress: Progress) -> Annotations:
        """Entities are read on a second thread while the passages are encoded: spaCy's parser and the
        encoder both let go of the GIL in their inner loops, so on two cores the two stages overlap
        (700 passages: 35 s one after the other, 28 s side by side)."""
        embedder = self.embedder()
        if people is not None and self.components.learn_people is not None:
            self.components.learn_people(people)
        with ThreadPoolExecutor(1, thread_name_prefix="entities") as pool:
            entities = pool.submit(self.components.extract_entities, list(texts)) if texts else None
            started = time.perf_counter()
            vectors = encode_distinct(embedder, inputs, progress)
            seconds = time.perf_counter() - started
            found = entities.result() if entities is not None else []
        progress("entities", len(texts), len(texts))
        return Annotations(vectors, found, embedder.name, embedder.dim, seconds)  # type: ignore[attr-defined]

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        return np.asarray(self.embedder().encode_queries(list(texts)), dtype=np.float32)  # type: ignore[attr-defined]
