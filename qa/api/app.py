"""The FastAPI app factory: loads the models and index once, in the lifespan."""

from __future__ import annotations

import hmac
import logging
from contextlib import asynccontextmanager
from importlib import resources
from typing import AsyncIterator

import swagger_ui_bundle
from fastapi import Depends, FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.openapi.docs import get_swagger_ui_html, get_swagger_ui_oauth2_redirect_html
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles

from indexer.errors import CouncilQAError
from indexer.store.layout import published_pointer
from qa.settings import ServiceSettings, load_query_embedder
from qa.api.deps import get_service
from qa.api.errors import install_error_handlers
from qa.api.routes import figures, library, search
from qa.service import QAService

log = logging.getLogger(__name__)
MAX_BODY_BYTES = 64 * 1024
PUBLIC_PATHS = ("/", "/static", "/favicon.ico", "/docs-assets")
# Swagger UI's own files from the swagger-ui-bundle package, so /docs works with no network (no CDN).
DOCS_ASSETS = "/docs-assets"


class _State:
    """What the lifespan loads: the embedder once, the service when an index exists."""

    def __init__(self, settings: ServiceSettings, embedder: object | None) -> None:
        self.settings = settings
        self.embedder = embedder
        self.service: QAService | None = None
        self.startup_error: CouncilQAError | None = None
        self._failed_pointer: str | None = None

    def open_service(self) -> None:
        """Open the service; after a failure, only once ``qa index`` has published another generation."""
        pointer = published_pointer(self.settings.index_dir)
        if self.startup_error is not None and pointer == self._failed_pointer:
            return
        self._failed_pointer = pointer
        try:
            if self.embedder is None:
                self.embedder = load_query_embedder(self.settings)
            self.service = QAService(self.settings, self.embedder)
            self.startup_error = None
        except CouncilQAError as error:
            log.warning("service not ready: %s", error)
            self.startup_error = error


def create_app(settings: ServiceSettings | None = None, embedder: object | None = None) -> FastAPI:
    """Build the app; models and index load in the lifespan, not at import or per request."""
    settings = settings or ServiceSettings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        state = _State(settings, embedder)
        app.state.service = None
        state.open_service()
        app.state.service = state.service
        app.state.startup_error = state.startup_error
        app.state.open_service = lambda: _reopen(app, state)
        yield
        if app.state.service is not None:
            app.state.service.live.close()

    app = FastAPI(title="council-qa", version="0.1.0", lifespan=lifespan, docs_url=None, redoc_url=None,
                  description="Search and question answering over committee papers, with citations to meeting, "
                              "date, item, paragraph and page.")
    app.mount(DOCS_ASSETS, StaticFiles(directory=swagger_ui_bundle.swagger_ui_path), name="docs-assets")

    oauth2_redirect = app.swagger_ui_oauth2_redirect_url or "/docs/oauth2-redirect"

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(openapi_url=app.openapi_url or "/openapi.json", title="council-qa API",
                                   oauth2_redirect_url=oauth2_redirect,
                                   swagger_js_url=f"{DOCS_ASSETS}/swagger-ui-bundle.js",
                                   swagger_css_url=f"{DOCS_ASSETS}/swagger-ui.css",
                                   swagger_favicon_url=f"{DOCS_ASSETS}/favicon-32x32.png")

    @app.get(oauth2_redirect, include_in_schema=False)
    def docs_oauth2_redirect() -> HTMLResponse:
        return get_swagger_ui_oauth2_redirect_html()

    install_error_handlers(app)
    if settings.cors_origins:
        app.add_middleware(CORSMiddleware, allow_origins=settings.cors_origins, allow_methods=["GET", "POST"],
                           allow_headers=["Authorization", "X-API-Token", "Content-Type"])

    @app.middleware("http")
    async def guard(request: Request, call_next):  # type: ignore[no-untyped-def]
        length = request.headers.get("content-length")
        if length and (not length.isdigit() or int(length) > MAX_BODY_BYTES):
            return JSONResponse({"error": "too_large", "detail": f"request body over {MAX_BODY_BYTES} bytes"},
                                status_code=413)
        path = request.url.path
        if settings.api_token and not (path == "/" or path.startswith(PUBLIC_PATHS[1:])):
            given = request.headers.get("x-api-token") or request.headers.get("authorization", "").removeprefix("Bearer ")
            if not hmac.compare_digest(given.encode(), settings.api_token.encode()):
                return JSONResponse({"error": "unauthorized", "detail": "send the API token as 'Authorization: Bearer "
                                     "<token>' or 'X-API-Token'"}, status_code=401)
        service = request.app.state.service
        if service is None:
            return await call_next(request)
        # The request reads one generation throughout, kept open until it ends; a newly published
        # one opens in the background meanwhile.
        with service.live.use():
            return await call_next(request)

    @app.get("/health", tags=["service"],
             summary="The index's documents, passages, model and build time, and any problem opening a newer one")
    def health(service: QAService = Depends(get_service)) -> dict:
        problem = service.live.problem  # the newest generation failed to open; the one before still serves
        return service.health() | ({"status": "degraded", "problem": problem} if problem else {})

    app.include_router(search.router)
    app.include_router(library.router)
    app.include_router(figures.router)
    static = resources.files("qa").joinpath("static")
    if static.is_dir():
        app.mount("/static", StaticFiles(directory=str(static)), name="static")

        @app.get("/", include_in_schema=False)
        def page() -> FileResponse:
            return FileResponse(str(static.joinpath("index.html")))
    return app


def _reopen(app: FastAPI, state: _State) -> None:
    state.open_service()
    app.state.service = state.service
    app.state.startup_error = state.startup_error
