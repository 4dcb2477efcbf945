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


def measure_background(vectors: np.ndarray, pairs: int = 20_000, seed: int = 7) -> CosineBackground | None:
    """The cosine background of a set of L2-normalised vectors, from random distinct pairs."""
    if len(vectors) < 2:
        return None
    rng = np.random.default_rng(seed)
    left, right = rng.integers(0, len(vectors), pairs), rng.integers(0, len(vectors), pairs)
    keep = left != right
    cosines = np.einsum("ij,ij->i", vectors[left[keep]], vectors[right[keep]])
    std = float(cosines.std())
    if not keep.any() or not math.isfinite(std) or std <= 1e-6:
        return None
    return CosineBackground(float(cosines.mean()), std, int(keep.sum()))


def model_background(model_name: str) -> CosineBackground | None:
    """The background shipped for ``model_name`` (measured over a few thousand council passages)."""
    raw = _read().get(model_name, {}).get("cosine_background")
    return CosineBackground(float(raw["mean"]), float(raw["std"]), int(raw["pairs"])) if raw else None


def index_background(model_name: str, vectors: np.ndarray) -> CosineBackground | None:
    """The background an index should store: its own when it is large enough, else its model's."""
    if len(vectors) >= MIN_PASSAGES_FOR_BACKGROUND:
        return measure_background(vectors)
    return model_background(model_name) or measure_background(vectors)


def save_model_background(model_name: str, background: CosineBackground) -> Path:
    """Store ``background`` as the one shipped for ``model_name``."""
    return _store(model_name, "cosine_background", asdict(background))
