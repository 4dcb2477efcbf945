"""What is learned for one embedder and ships beside it: the answer-sentence weights.

A cosine from one model means something else from another, so anything fitted on cosines is
stored under the model's name in ``models/data/calibration.json`` and used only with that model.
``python -m evaluation.train_answers`` writes it from the gold set's dev split.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from importlib import resources
from pathlib import Path

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
    path = Path(str(resources.files("models").joinpath(CALIBRATION_FILE)))
    data = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    data.setdefault(model_name, {})["answer"] = asdict(weights)
    path.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")
    return path
