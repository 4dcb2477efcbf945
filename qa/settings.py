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
    """

    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    api_token: str | None = None
    cors_origins: list[str] = Field(default_factory=list)
    max_query_chars: int = Field(default=1000, ge=10)
    max_k: int = Field(default=100, ge=1)
