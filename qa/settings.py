"""The service settings: the index settings plus how the API listens and what it accepts."""

from __future__ import annotations

from pydantic import Field

from indexer.settings import IndexSettings


class ServiceSettings(IndexSettings):
    """Everything ``qa serve`` and the CLI need: the index's settings (to open it with the same
    model) and the service's own, read from QA_* environment variables.

    Attributes:
        host: Address `qa serve` binds to; loopback unless told otherwise.
        port: Port `qa serve` listens on.
        api_token: When set, every API request must carry it (Bearer or X-API-Token).
        cors_origins: Origins allowed to call the API from a browser; none by default.
        max_query_chars: Longest query accepted.
        max_k: Most results one request may ask for.
        query_backend: "onnx" encodes queries with onnxruntime from a local export of the model
            (torch is never loaded; it falls back to torch if the export cannot be made) or
            "torch" to encode with the index's own embedding backend.
    """

    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    api_token: str | None = None
    cors_origins: list[str] = Field(default_factory=list)
    max_query_chars: int = Field(default=1000, ge=10)
    max_k: int = Field(default=100, ge=1)
    query_backend: str = Field(default="onnx", pattern="^(onnx|torch)$")


def load_query_embedder(settings: ServiceSettings) -> object:
    """The embedder that answers queries: for a sentence-transformers index, the ONNX export of its
    model unless ``query_backend`` says torch; any other backend as the index was built with."""
    from models.embedder import create_embedder
    from models.onnx_embedder import query_embedder

    if settings.embedding_backend == "sentence-transformers":
        return query_embedder(settings.query_backend, settings.embedding_model, precision=settings.precision)
    return create_embedder(settings.embedding_backend, model=settings.embedding_model, precision=settings.precision)
