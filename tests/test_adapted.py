"""Adapted embedders shipped as an int8 difference from the bundled model: round trips and checks."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from safetensors.numpy import load_file, save_file

from models.adapted import ADAPTED_MODELS, dequantise, materialise, quantise, shipped_dir, write_delta
from models.errors import ModelUnavailable


def test_int8_rows_hold_the_difference_to_half_a_step() -> None:
    rng = np.random.default_rng(0)
    delta = rng.normal(0, 1e-3, size=(6, 5)).astype(np.float32)
    delta[2] = 0.0  # an unchanged row stays exactly unchanged
    values, scale = quantise(delta)
    assert values.dtype == np.int8 and scale.shape == (6,)
    back = dequantise(values, scale)
    assert np.all(np.abs(back - delta) <= scale[:, None] / 2 + 1e-12)
    assert not np.any(back[2])
    vector = rng.normal(size=7).astype(np.float32)
    assert np.allclose(dequantise(*quantise(vector)), vector, atol=np.abs(vector).max() / 254 + 1e-7)


def _model(folder: Path, weights: dict[str, np.ndarray]) -> Path:
    folder.mkdir(parents=True)
    save_file(weights, str(folder / "model.safetensors"))
    (folder / "config.json").write_text("{}", encoding="utf-8")
    return folder


def test_a_delta_rebuilds_the_adapted_weights_once(tmp_path: Path) -> None:
    rng = np.random.default_rng(1)
    base = {"encoder.w": rng.normal(size=(8, 4)).astype(np.float32), "embeddings.w": np.ones((3, 4), np.float32)}
    adapted = {"encoder.w": base["encoder.w"] + rng.normal(0, 1e-3, size=(8, 4)).astype(np.float32),
               "embeddings.w": base["embeddings.w"].copy()}
    base_dir, adapted_dir = _model(tmp_path / "base", base), _model(tmp_path / "adapted", adapted)
    shipped = write_delta(base_dir, adapted_dir, tmp_path / "shipped", {"pairs": 2})
    stored = load_file(str(shipped / "delta.safetensors"))
    assert set(stored) == {"encoder.w.q", "encoder.w.scale"}  # unchanged tensors are not stored
    assert json.loads((shipped / "adapted.json").read_text())["pairs"] == 2

    rebuilt = materialise("council-minilm", base_dir, tmp_path / "cache", source=shipped)
    weights = load_file(str(rebuilt / "model.safetensors"))
    assert np.allclose(weights["encoder.w"], adapted["encoder.w"], atol=1e-5)
    assert np.array_equal(weights["embeddings.w"], base["embeddings.w"])
    assert (rebuilt / "config.json").is_file()
    stamp = (rebuilt / "model.safetensors").stat().st_mtime_ns
    assert materialise("council-minilm", base_dir, tmp_path / "cache", source=shipped) == rebuilt
    assert (rebuilt / "model.safetensors").stat().st_mtime_ns == stamp  # built once


def test_a_delta_made_from_other_base_weights_is_refused(tmp_path: Path) -> None:
    base = {"encoder.w": np.zeros((2, 2), np.float32)}
    base_dir = _model(tmp_path / "base", base)
    adapted_dir = _model(tmp_path / "adapted", {"encoder.w": np.full((2, 2), 0.01, np.float32)})
    shipped = write_delta(base_dir, adapted_dir, tmp_path / "shipped", {})
    other = _model(tmp_path / "other", {"encoder.w": np.ones((2, 2), np.float32)})
    with pytest.raises(ModelUnavailable, match="other base weights"):
        materialise("council-minilm", other, tmp_path / "cache", source=shipped)
    with pytest.raises(ModelUnavailable, match="not installed"):
        materialise("council-minilm", base_dir, tmp_path / "cache", source=tmp_path / "missing")


def test_every_shipped_adapted_model_matches_the_installed_base_model(tmp_path: Path) -> None:
    from models.catalog import DEFAULT_MODEL, resolve_model_path

    base = Path(resolve_model_path(DEFAULT_MODEL))
    for name in ADAPTED_MODELS:
        rebuilt = materialise(name, base, tmp_path)
        assert (rebuilt / "model.safetensors").is_file() and (rebuilt / "tokenizer.json").is_file()
        assert json.loads((rebuilt / "adapted.json").read_text()) == json.loads(
            (shipped_dir(name) / "adapted.json").read_text())
