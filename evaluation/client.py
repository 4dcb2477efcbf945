"""A search client over the public HTTP API: in-process for an index directory, or a running server."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import httpx


class SearchClient:
    """Calls ``GET /search`` the way any client would and returns its JSON."""

    def __init__(self, http: httpx.Client) -> None:
        self.http = http

    def search(self, query: str, k: int = 10, mode: str = "hybrid", expand: bool = True,
               rerank: bool = True) -> dict:
        params = {"q": query, "k": k, "mode": mode, "expand": str(expand).lower(), "rerank": str(rerank).lower()}
        response = self.http.get("/search", params=params)
        response.raise_for_status()
        return response.json()


@contextmanager
def local_client(index_dir: Path) -> Iterator[SearchClient]:
    """The API app over ``index_dir``, served in-process (no socket), lifespan and all."""
    from fastapi.testclient import TestClient

    from qa.settings import ServiceSettings
    from qa.api.app import create_app

    with TestClient(create_app(ServiceSettings(index_dir=index_dir)), raise_server_exceptions=True) as http:
        yield SearchClient(http)


@contextmanager
def remote_client(base_url: str, token: str | None = None) -> Iterator[SearchClient]:
    """A running server, e.g. http://127.0.0.1:8000."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    with httpx.Client(base_url=base_url, headers=headers, timeout=60) as http:
        yield SearchClient(http)
