"""Map domain errors to HTTP responses; no stack trace ever reaches a client."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from indexer.errors import (
    BadQuery, CouncilQAError, IndexCorrupt, IndexLocked, IndexMismatch, IndexNotFound, ModelUnavailable, NotFound,
)

log = logging.getLogger(__name__)
STATUS = {BadQuery: (422, "bad_query"), NotFound: (404, "not_found"), IndexNotFound: (503, "index_not_found"),
          IndexMismatch: (503, "index_mismatch"), IndexCorrupt: (503, "index_corrupt"),
          ModelUnavailable: (503, "model_unavailable"), IndexLocked: (503, "index_locked")}


def _json(status: int, error: str, detail: str) -> JSONResponse:
    return JSONResponse({"error": error, "detail": detail}, status_code=status)


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(CouncilQAError)
    async def domain_error(request: Request, error: CouncilQAError) -> JSONResponse:
        status, code = next((v for k, v in STATUS.items() if isinstance(error, k)), (500, "error"))
        return _json(status, code, str(error))

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, error: RequestValidationError) -> JSONResponse:
        problems = []
        for item in error.errors():
            where = ".".join(str(p) for p in item.get("loc", ()) if p not in ("query", "body", "path"))
            problems.append(f"{where or 'request'}: {item.get('msg', 'invalid')}")
        return _json(422, "invalid_request", "; ".join(problems)[:1000])

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> JSONResponse:
        code = {404: "not_found", 405: "method_not_allowed", 401: "unauthorized", 413: "too_large"}.get(error.status_code, "error")
        return _json(error.status_code, code, str(error.detail))

    @app.exception_handler(Exception)
    async def unexpected(request: Request, error: Exception) -> JSONResponse:
        log.exception("unexpected error on %s", request.url.path)
        return _json(500, "internal_error", "the server hit an unexpected error; it has been logged")
