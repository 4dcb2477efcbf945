"""Run the API and web page under uvicorn: in one process, or in several that each open the index."""

from __future__ import annotations

import os

from qa.settings import ServiceSettings


def run(settings: ServiceSettings, workers: int = 1) -> None:
    """Serve until interrupted. Requests are Python work under one lock per process, so on a machine with
    more cores several worker processes answer more of them at once; each loads its own query encoder and
    opens the index itself (readers never write, so they need nothing from each other)."""
    import uvicorn

    if workers <= 1:
        from qa.api.app import create_app

        uvicorn.run(create_app(settings), host=settings.host, port=settings.port, log_level="info")
        return
    # uvicorn starts each worker from an import string, so they read their settings from the environment.
    os.environ.update(QA_INDEX_DIR=str(settings.index_dir), QA_HOST=settings.host, QA_PORT=str(settings.port))
    uvicorn.run("qa.api.app:create_app", factory=True, host=settings.host, port=settings.port, workers=workers,
                log_level="info")
