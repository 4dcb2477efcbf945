"""The build's per-paper and model stages on Ray: read-and-parse tasks, entity tasks, an embedding actor pool.

``RayRunner`` is a ``StageRunner``: ``IndexBuilder`` still decides what changed and writes every result
through the one store writer into one new generation, published only when complete. Only the work moves:

- read: one Ray Data task per file loads it, and parses it and lists its people when it is new or changed
  (an unchanged file costs a hash); a file that fails comes back as a failure with its reason;
- entities: tasks over runs of ``models.entities.BATCH_SIZE`` consecutive passages, taught the people
  the papers list;
- embed: an actor pool (one actor per CPU slot, or per GPU where the cluster has GPUs) over runs of whole
  ``models.embedder.BATCH_SIZE`` batches in length order.

The runs are cut exactly where one process cuts its batches, so the vectors and entities are the ones an
in-process build gives (bf16 vectors depend on their batch-mates). Embedding runs first, then entities
(as in one process). What runs in the workers is in ``indexer/ray_tasks.py``: they create their models
from the settings (names and paths), never from pickled models, so the project and its model packages
must be installed on every node, and the papers readable at the same paths. Ray is imported only when a
Ray build runs: `qa search` and the server never import it.
"""

from __future__ import annotations

import logging
import os
import pickle
import re
import socket
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import Any

import numpy as np

from indexer.errors import BuildTaskFailed, ClusterUnavailable
from indexer.loaders import FoundFile
from indexer.ray_tasks import (
    PassageEncoder,
    encode_queries_task,
    extract_rows,
    read_row,
)
from indexer.records import Person
from indexer.runner import Annotations, Progress
from indexer.settings import IndexSettings
from indexer.stages import BuildSpec, ReadOutcome
from models.embedder import BATCH_SIZE as EMBED_BATCH
from models.embedder import length_order
from models.entities import BATCH_SIZE as ENTITY_BATCH
from models.records import Entity

# An exception line of a traceback: "OSError: ...", "models.errors.ModelUnavailable: ...".
_RAISED = re.compile(r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*: \S")

# A task whose worker dies (a killed process, a lost node) runs again, up to this many times; Ray Data's
# tasks get Ray's default (also 3), its actors are restarted and their calls retried.
TASK_RETRIES = 3
# At most this many read tasks: one per file up to here, so one slow PDF holds up nothing else.
MAX_READ_TASKS = 2000
# Embedding batches per actor call, and entity batches per task: small enough to spread two papers'
# passages over two cores, large enough that a call's overhead (milliseconds) is noise.
EMBED_BATCHES_PER_CALL = 2
ENTITY_BATCHES_PER_TASK = 4
# Seconds to wait for a Ray head's port to answer before calling the cluster unreachable.
CONNECT_TIMEOUT_S = 5


def import_ray() -> Any:
    """The ray module, with Ray Data; ClusterUnavailable says how to install it."""
    try:
        import ray
        import ray.data  # noqa: F401  (imported for ray.data below)
    except ImportError as error:
        raise ClusterUnavailable("a Ray build needs Ray: pip install 'ray[data]'") from error
    return ray


def connect(address: str) -> None:
    """Start a local Ray on this machine's cores ("local"), or join the cluster at ``address``.

    Raises:
        ClusterUnavailable: Ray is missing or the cluster cannot be reached.
    """
    ray = import_ray()
    context = ray.data.DataContext.get_current()
    context.enable_progress_bars = False  # the CLI draws its own
    context.print_on_execution_start = False
    # Quiet: Ray Data's INFO lines, and its notes that progress bars are off and token auth on.
    logging.getLogger("ray.data").setLevel(logging.WARNING)
    for notice in ("ray.data._internal.progress", "ray._private.authentication.authentication_token_setup"):
        logging.getLogger(notice).setLevel(logging.ERROR)
    options: dict[str, Any] = {"logging_level": logging.WARNING, "log_to_driver": False}
    if address == "local":
        options.update(address="local", num_cpus=os.cpu_count() or 1, include_dashboard=False)
    else:
        options["address"] = address
        _check_reachable(address)
    try:
        ray.init(**options)
    except (ConnectionError, RuntimeError, ValueError) as error:
        raise ClusterUnavailable(f"cannot start or reach Ray at '{address}': {error}") from error


def _check_reachable(address: str) -> None:
    """Fail in seconds when nothing listens at a host:port address (Ray itself waits minutes)."""
    host, _, port = address.removeprefix("ray://").rpartition(":")
    if not host or not port.isdigit():  # "auto": Ray looks for a cluster on this machine and says so at once
        return
    try:
        socket.create_connection((host, int(port)), timeout=CONNECT_TIMEOUT_S).close()
    except OSError as error:
        raise ClusterUnavailable(f"nothing answers at {address} ({error}); is the Ray head node running?") from error


@contextmanager
def task_errors() -> Iterator[None]:
    """A task that failed on a worker raised as BuildTaskFailed, saying what failed.

    The worker's exception crosses the cluster as traceback text; the message is its last exception
    line that is not Ray's own wrapper ("models.errors.ModelUnavailable: Could not load ...").
    """
    ray = import_ray()
    try:
        yield
    except ray.exceptions.RayError as error:
        lines = [line.strip() for line in str(error).splitlines() if line.strip()]
        raised = [line for line in lines if _RAISED.match(line) and not line.startswith("ray.")]
        cause = (raised or lines or [type(error).__name__])[-1]
        raise BuildTaskFailed(f"a Ray task failed: {cause}") from error


class RayRunner:
    """Runs a build's read, entity and embedding stages as Ray Data pipelines.

    Args:
        settings: The index settings; workers create their models from them.
        address: "local", "auto", "ray://host:10001" or "host:port" (see ``connect``).
    """

    def __init__(self, settings: IndexSettings, address: str = "local") -> None:
        self.address = address
        # The index settings alone: a ServiceSettings' token and limits stay on the driver.
        self.settings_json = settings.model_dump_json(include=set(IndexSettings.model_fields))

    @contextmanager
    def session(self) -> Iterator[None]:
        """Ray for one build: joined or started here and shut down after, or the one already running."""
        ray = import_ray()
        if ray.is_initialized():
            yield
            return
        connect(self.address)
        try:
            yield
        finally:
            ray.shutdown()

    def read(self, files: Sequence[FoundFile], known: Mapping[str, str], spec: BuildSpec,
             progress: Progress) -> list[ReadOutcome]:
        if not files:
            return []
        ray = import_ray()
        rows = [{"order": order, "path": os.path.abspath(found.path), "base": os.path.abspath(found.base),
                 "name": found.name, "problem": found.problem} for order, found in enumerate(files)]
        dataset = ray.data.from_items(rows, override_num_blocks=min(len(rows), MAX_READ_TASKS)).map(
            read_row, fn_kwargs={"known": dict(known), "spec": spec, "settings_json": self.settings_json},
            num_cpus=1)
        outcomes: dict[int, ReadOutcome] = {}
        with task_errors():
            for row in dataset.iter_rows():
                outcomes[int(row["order"])] = pickle.loads(row["outcome"])
                progress("read", len(outcomes), len(rows))
        return [outcomes[order] for order in range(len(rows))]

    def annotate(self, inputs: Sequence[str], texts: Sequence[str], people: Sequence[Person] | None,
                 progress: Progress) -> Annotations:
        vectors, model, dim, seconds = self._embed(inputs, progress)
        entities = self._entities(texts, people, progress)
        return Annotations(vectors, entities, model, dim, seconds)

    def encode_queries(self, texts: Sequence[str]) -> np.ndarray:
        return self._remote_queries(texts)[2]

    def _placement(self) -> tuple[int, dict[str, float], str]:
        """Embedding actors the cluster can hold at once, what each one asks for, and its device."""
        resources = import_ray().cluster_resources()
        gpus = int(resources.get("GPU", 0))
        if gpus:
            return gpus, {"num_gpus": 1}, "cuda"
        return max(1, int(resources.get("CPU", 1))), {"num_cpus": 1}, "cpu"

    def _embed(self, inputs: Sequence[str], progress: Progress) -> tuple[np.ndarray, str, int, float]:
        if not inputs:
            model, dim, _ = self._remote_queries([])
            return np.zeros((0, dim), dtype=np.float32), model, dim, 0.0
        ray = import_ray()
        order = length_order(inputs)  # the order one process encodes in: the batches fall alike
        step = EMBED_BATCH * EMBED_BATCHES_PER_CALL
        rows = [{"keys": order[at:at + step], "inputs": [inputs[i] for i in order[at:at + step]]}
                for at in range(0, len(order), step)]
        slots, asks, device = self._placement()
        dataset = ray.data.from_items(rows, override_num_blocks=len(rows)).map_batches(
            PassageEncoder, fn_constructor_kwargs={"settings_json": self.settings_json, "device": device},
            batch_size=1, compute=ray.data.ActorPoolStrategy(size=min(slots, len(rows))), **asks)
        vectors: np.ndarray | None = None
        model, seconds, done = "", 0.0, 0
        progress("embed", 0, len(inputs))
        with task_errors():
            for row in dataset.iter_rows():
                keys = np.frombuffer(row["keys"], dtype=np.int64)
                found = np.frombuffer(row["vectors"], dtype=np.float32).reshape(len(keys), int(row["dim"]))
                if vectors is None:
                    vectors = np.empty((len(inputs), found.shape[1]), dtype=np.float32)
                vectors[keys] = found
                model, seconds, done = str(row["model"]), seconds + float(row["seconds"]), done + len(keys)
                progress("embed", done, len(inputs))
        if vectors is None or done != len(inputs):
            raise RuntimeError(f"the embedding pipeline returned {done} of {len(inputs)} passages")
        return vectors, model, vectors.shape[1], seconds

    def _entities(self, texts: Sequence[str], people: Sequence[Person] | None,
                  progress: Progress) -> list[list[Entity]]:
        if not texts:
            return []
        ray = import_ray()
        rows = [{"start": at, "texts": list(texts[at:at + ENTITY_BATCH])} for at in range(0, len(texts), ENTITY_BATCH)]
        dataset = ray.data.from_items(rows, override_num_blocks=-(-len(rows) // ENTITY_BATCHES_PER_TASK)).map_batches(
            extract_rows, fn_kwargs={"settings_json": self.settings_json,
                                     "people": None if people is None else tuple(people)},
            batch_size=None, num_cpus=1)
        found: list[list[Entity] | None] = [None] * len(texts)
        done = 0
        with task_errors():
            for row in dataset.iter_rows():
                batch = pickle.loads(row["entities"])
                found[int(row["start"]):int(row["start"]) + len(batch)] = batch
                done += len(batch)
                progress("entities", done, len(texts))
        if done != len(texts):
            raise RuntimeError(f"the entity pipeline returned {done} of {len(texts)} passages")
        return found  # type: ignore[return-value]

    def _remote_queries(self, texts: Sequence[str]) -> tuple[str, int, np.ndarray]:
        ray = import_ray()
        _, asks, device = self._placement()
        task = ray.remote(encode_queries_task).options(max_retries=TASK_RETRIES, **asks)
        with task_errors():
            return ray.get(task.remote(self.settings_json, list(texts), device))
