"""What runs in Ray's worker processes for a distributed build: each creates its models from the settings.

The driver side is ``indexer/distributed.py``. Nothing here imports Ray: these are plain functions and a
class that Ray Data calls (it pickles them by reference), and models are never pickled, only the settings.
"""

from __future__ import annotations

import functools
import pickle
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from indexer.components import Components, create_components, create_passage_embedder
from indexer.loaders import FoundFile
from indexer.records import Person
from indexer.settings import IndexSettings
from indexer.stages import BuildSpec, read_file


@functools.lru_cache(maxsize=1)
def worker_components(settings_json: str) -> Components:
    """This worker process's models, created from the settings once (Ray reuses a worker for many tasks)."""
    return create_components(IndexSettings.model_validate_json(settings_json))


@functools.lru_cache(maxsize=1)
def worker_entities(settings_json: str, people: tuple[Person, ...] | None) -> Callable[[Sequence[str]], list]:
    """Entity extraction taught exactly this build's people, as a fresh process is: a new pipeline
    whenever the people differ, so a worker that served another build knows no one from it."""
    components = create_components(IndexSettings.model_validate_json(settings_json))
    if people is not None and components.learn_people is not None:
        components.learn_people(people)
    return components.extract_entities


def read_row(row: dict[str, Any], known: Mapping[str, str], spec: BuildSpec, settings_json: str) -> dict[str, Any]:
    """Ray task: read (and parse, when new or changed) one found file."""
    components = worker_components(settings_json)
    found = FoundFile(Path(row["path"]), Path(row["base"]), row["name"], row["problem"] or None)
    outcome = read_file(found, known, spec, components.count_tokens, components.people)
    return {"order": row["order"], "outcome": pickle.dumps(outcome)}


def extract_rows(batch: dict[str, np.ndarray], settings_json: str,
                 people: tuple[Person, ...] | None) -> dict[str, np.ndarray]:
    """Ray task: the entities of each row's run of consecutive passages, one pipeline batch per run."""
    extract = worker_entities(settings_json, people)
    found = [pickle.dumps(extract([str(text) for text in texts])) for texts in batch["texts"]]
    return {"start": batch["start"], "entities": np.array(found, dtype=object)}


class PassageEncoder:
    """Ray actor: one embedding model, loaded from the settings in the actor's own process."""

    def __init__(self, settings_json: str, device: str) -> None:
        self.embedder = create_passage_embedder(IndexSettings.model_validate_json(settings_json), device)

    def __call__(self, batch: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        keys, vectors, seconds = [], [], []
        for row_keys, inputs in zip(batch["keys"], batch["inputs"]):
            started = time.perf_counter()
            encoded = self.embedder.encode_passages([str(text) for text in inputs])
            seconds.append(time.perf_counter() - started)
            keys.append(np.asarray(row_keys, dtype=np.int64).tobytes())
            vectors.append(np.asarray(encoded, dtype=np.float32).tobytes())
        return {"keys": np.array(keys, dtype=object), "vectors": np.array(vectors, dtype=object),
                "model": np.array([self.embedder.name] * len(keys)), "dim": np.full(len(keys), self.embedder.dim),
                "seconds": np.array(seconds)}


def encode_queries_task(settings_json: str, texts: list[str], device: str) -> tuple[str, int, np.ndarray]:
    """Ray task: the embedder's name, width and ``texts`` encoded as queries."""
    embedder = create_passage_embedder(IndexSettings.model_validate_json(settings_json), device)
    return embedder.name, embedder.dim, np.asarray(embedder.encode_queries(texts), dtype=np.float32)
