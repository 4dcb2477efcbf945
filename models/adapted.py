"""Embedders adapted to council papers, shipped as a small change to the bundled model.

An adapted model differs from all-MiniLM-L6-v2 by about 0.2% in each weight of its encoder layers
(its word embeddings are frozen while training, so they do not change). It ships as that difference,
quantised to int8 per output row (``models/data/<name>/delta.safetensors``, about 11 MB instead of
the model's 87 MB), and is put back together beside the ONNX exports the first time it is asked
for: ``python -m models.onnx_embedder council-minilm`` does it at install. The rebuilt model's
vectors match the trained model's to a cosine above 0.99999 (``tests/test_adapted.py``).

Rebuilding is deterministic (base weights + dequantised difference, in float32), so every machine
that installs the same files gets the same model, and an index built on one is valid on another.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import shutil
import tempfile
from importlib import resources
from pathlib import Path

import numpy as np

from models.errors import ModelUnavailable

# Shipped adapted models: name -> folder under models/data holding delta.safetensors and adapted.json.
ADAPTED_MODELS = {"council-minilm": "council-minilm"}
DELTA_FILE, META_FILE, WEIGHTS_FILE = "delta.safetensors", "adapted.json", "model.safetensors"


def is_adapted(model: str) -> bool:
    return model in ADAPTED_MODELS


def shipped_dir(name: str) -> Path:
    return Path(str(resources.files("models").joinpath("data", ADAPTED_MODELS[name])))


def quantise(delta: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """int8 values and a float32 scale per row (per value for a vector) with delta ~= values * scale."""
    rows = delta.reshape(delta.shape[0], -1) if delta.ndim > 1 else delta.reshape(-1, 1)
    scale = np.abs(rows).max(axis=1) / 127.0
    scale = np.where(scale == 0, 1.0, scale).astype(np.float32)
    values = np.clip(np.rint(rows / scale[:, None]), -127, 127).astype(np.int8)
    return values.reshape(delta.shape), scale


def dequantise(values: np.ndarray, scale: np.ndarray) -> np.ndarray:
    rows = values.reshape(values.shape[0], -1) if values.ndim > 1 else values.reshape(-1, 1)
    return (rows.astype(np.float32) * scale[:, None]).reshape(values.shape)


def write_delta(base_dir: Path, adapted_dir: Path, out_dir: Path, record: dict) -> Path:
    """Store ``adapted_dir``'s difference from ``base_dir`` (both sentence-transformers folders) in ``out_dir``."""
    from safetensors.numpy import load_file, save_file

    base, adapted = load_file(str(base_dir / WEIGHTS_FILE)), load_file(str(adapted_dir / WEIGHTS_FILE))
    tensors: dict[str, np.ndarray] = {}
    for name, weights in adapted.items():
        if name not in base:
            continue
        delta = weights.astype(np.float32) - base[name].astype(np.float32)
        if not np.any(delta):
            continue
        tensors[f"{name}.q"], tensors[f"{name}.scale"] = quantise(delta)
    out_dir.mkdir(parents=True, exist_ok=True)
    save_file(tensors, str(out_dir / DELTA_FILE))
    meta = {**record, "base": "sentence-transformers/all-MiniLM-L6-v2",
            "base_weights_sha256": _sha256(base_dir / WEIGHTS_FILE), "tensors_changed": len(tensors) // 2}
    (out_dir / META_FILE).write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")
    return out_dir


@functools.lru_cache(maxsize=8)  # once per process: the check hashes the 11 MB delta (~20 ms a call)
def materialise(name: str, base_dir: Path, root: Path | None = None, source: Path | None = None) -> Path:
    """The adapted model as a sentence-transformers folder, rebuilt once per shipped delta.

    Args:
        name: The adapted model's name.
        base_dir: The bundled model's folder.
        root: Where rebuilt models are kept ($QA_MODEL_CACHE, else ~/.cache/council-qa/models).
        source: The folder holding the delta (default: the one shipped under the name).

    Raises:
        ModelUnavailable: the shipped files are missing or were made from other base weights.
    """
    from safetensors.numpy import load_file, save_file

    source = source or shipped_dir(name)
    if not (source / DELTA_FILE).is_file() or not (source / META_FILE).is_file():
        raise ModelUnavailable(f"The adapted model {name!r} is not installed: {source} lacks {DELTA_FILE}")
    key = _sha256(source / DELTA_FILE)[:16]
    target = (root or _cache_root()) / f"{name}-{key}"
    if (target / WEIGHTS_FILE).is_file():
        return target
    meta = json.loads((source / META_FILE).read_text(encoding="utf-8"))
    if _sha256(base_dir / WEIGHTS_FILE) != meta["base_weights_sha256"]:
        raise ModelUnavailable(f"The adapted model {name!r} was made from other base weights than {base_dir}")
    weights = load_file(str(base_dir / WEIGHTS_FILE))
    delta = load_file(str(source / DELTA_FILE))
    for tensor in (k[:-2] for k in delta if k.endswith(".q")):
        weights[tensor] = (weights[tensor].astype(np.float32)
                           + dequantise(delta[f"{tensor}.q"], delta[f"{tensor}.scale"])).astype(weights[tensor].dtype)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{name}-", dir=target.parent))
    try:  # the base folder's configuration and tokenizer, the new weights; published by one rename
        shutil.copytree(base_dir, staging, dirs_exist_ok=True, ignore=shutil.ignore_patterns(WEIGHTS_FILE))
        save_file(weights, str(staging / WEIGHTS_FILE), metadata={"format": "pt"})
        shutil.copy2(source / META_FILE, staging / META_FILE)
        os.replace(staging, target)
    except OSError:
        shutil.rmtree(staging, ignore_errors=True)
        if not (target / WEIGHTS_FILE).is_file():  # another process may have published it first
            raise
    return target


def _cache_root() -> Path:
    if os.environ.get("QA_MODEL_CACHE"):
        return Path(os.environ["QA_MODEL_CACHE"])
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "council-qa" / "models"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
