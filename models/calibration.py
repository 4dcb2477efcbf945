"""What is learned for one embedder and ships beside it: the answer-sentence weights and the model's
cosine background (how close two unrelated council passages typically are), which the relevance floor
is measured against.

A cosine from one model means something else from another, so anything fitted on cosines is
stored under the model's name in ``models/data/calibration.json`` and used only with that model.
``python -m evaluation.train_answers`` writes it from the gold set's dev split.
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass
from importlib import resources
from pathlib import Path

import numpy as np

CALIBRATION_FILE = "data/calibration.json"


@dataclass(frozen=True)
class AnswerWeights:
    """A logistic model over standardised answer-sentence features."""

    features: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    coef: tuple[float, ...]
    intercept: float
    trained_on: str  # what it was fitted on, for the record

    @classmethod
    def from_json(cls, raw: dict) -> AnswerWeights:
        return cls(tuple(raw["features"]), tuple(raw["mean"]), tuple(raw["scale"]), tuple(raw["coef"]),
                   float(raw["intercept"]), str(raw.get("trained_on", "")))


def _read() -> dict:
    path = resources.files("models").joinpath(CALIBRATION_FILE)
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}


def answer_weights(model_name: str) -> AnswerWeights | None:
    """The answer weights learned for ``model_name``, or None when none were."""
    raw = _read().get(model_name, {}).get("answer")
    return AnswerWeights.from_json(raw) if raw else None


def save_answer_weights(model_name: str, weights: AnswerWeights) -> Path:
    """Store ``weights`` for ``model_name`` in the shipped calibration file (used by the trainer)."""
    return _store(model_name, "answer", asdict(weights))


def _store(model_name: str, key: str, value: dict) -> Path:
    path = Path(str(resources.files("models").joinpath(CALIBRATION_FILE)))
    data = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    data.setdefault(model_name, {})[key] = value
    path.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    return path


@dataclass(frozen=True)
class CosineBackground:
    """Mean and spread of the cosine between two passages picked at random from one index.

    The relevance floor counts a query's closeness in these units (``z``), so it means the same
    for a model whose cosines run high as for one whose cosines run low.
    """

    mean: float
    std: float
    pairs: int

    def z(self, cosine: float) -> float:
        return (cosine - self.mean) / self.std


# An index this small says too little about its model's background; the model's shipped one is used.
MIN_PASSAGES_FOR_BACKGROUND = 500


@dataclass(frozen=True)
class VectorMoments:
    """Sums over a set of vectors from which the cosine between every two of them follows exactly.

    The moments of two sets add up to those of their union, so an index made of shards has the
    background one index of all their passages would have, without reading a vector again.

    Attributes:
        count: How many vectors.
        total: Their sum (one row of ``dim``).
        outer: The sum of each vector's outer product with itself (``dim`` x ``dim``).
        quartic: The sum of each vector's squared norm, squared.
    """

    count: int
    total: np.ndarray
    outer: np.ndarray
    quartic: float

    @classmethod
    def of(cls, vectors: np.ndarray, chunk: int = 65_536) -> VectorMoments:
        """The moments of a matrix of vectors (one row each), summed in float64 a chunk of rows at a time."""
        dim = vectors.shape[1] if vectors.ndim == 2 else 0
        total, outer, quartic = np.zeros(dim), np.zeros((dim, dim)), 0.0
        for start in range(0, len(vectors), chunk):
            v = np.asarray(vectors[start:start + chunk], dtype=np.float64)
            norms = np.einsum("ij,ij->i", v, v)
            total += v.sum(axis=0)
            outer += v.T @ v
            quartic += float(norms @ norms)
        return cls(len(vectors), total, outer, quartic)

    def __add__(self, other: VectorMoments) -> VectorMoments:
        return VectorMoments(self.count + other.count, self.total + other.total, self.outer + other.outer,
                             self.quartic + other.quartic)

    def background(self) -> CosineBackground | None:
        """Mean and spread of the cosine over every two distinct vectors (exact, not sampled)."""
        ordered = self.count * (self.count - 1)
        if ordered <= 0:
            return None
        mean = (float(self.total @ self.total) - float(np.trace(self.outer))) / ordered
        second = (float(np.sum(self.outer * self.outer)) - self.quartic) / ordered
        std = math.sqrt(max(second - mean * mean, 0.0))
        if not math.isfinite(std) or std <= 1e-6:
            return None
        return CosineBackground(mean, std, ordered // 2)

    def save(self, path: Path) -> None:
        with path.open("wb") as handle:
            np.savez(handle, count=self.count, total=self.total, outer=self.outer, quartic=self.quartic)

    @classmethod
    def load(cls, path: Path) -> VectorMoments:
        with np.load(path) as data:
            return cls(int(data["count"]), data["total"], data["outer"], float(data["quartic"]))


def measure_background(vectors: np.ndarray) -> CosineBackground | None:
    """The cosine background of a set of L2-normalised vectors, over every pair of distinct ones."""
    return VectorMoments.of(vectors).background()


def background_for(model_name: str, moments: VectorMoments) -> CosineBackground | None:
    """The background an index (or a collection of shards) uses: its own when it has enough passages,
    else its model's."""
    if moments.count >= MIN_PASSAGES_FOR_BACKGROUND:
        return moments.background()
    return model_background(model_name) or moments.background()


def model_background(model_name: str) -> CosineBackground | None:
    """The background shipped for ``model_name`` (measured over a few thousand council passages)."""
    raw = _read().get(model_name, {}).get("cosine_background")
    return CosineBackground(float(raw["mean"]), float(raw["std"]), int(raw["pairs"])) if raw else None


def save_model_background(model_name: str, background: CosineBackground) -> Path:
    """Store ``background`` as the one shipped for ``model_name``."""
    return _store(model_name, "cosine_background", asdict(background))
