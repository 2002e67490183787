"""The FastAPI app: the REST API under /api, the OpenAPI document, and the dashboard at /."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse
from sqlalchemy.exc import OperationalError
from starlette.exceptions import HTTPException

from dyad.api import analyses, reads, writes
from dyad.api.answers import KeptRequests
from dyad.api.config import ApiSettings
from dyad.api.limits import Guard, TokenBucket
from dyad.api.services import Services
from dyad.store import StoreError

if TYPE_CHECKING:
    from dyad.pipeline import Coder
    from dyad.store import Store

__all__ = ["SECURITY_HEADERS", "create_app", "create_app_from_env"]

log = logging.getLogger("dyad.api")

# Every script and style comes from this server as a file: no inline script can run, nothing loads from elsewhere.
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}


# Endpoints whose answers depend on their query and the store alone, kept per store version (see api/answers.py).
_KEPT_PATHS = ("/api/events", "/api/series", "/api/network")


def _error(status: int, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"error": message, "status": status}, status_code=status, headers=headers)


def _where(loc: tuple) -> str:
    parts = [str(p) for p in loc[1:]] or [str(p) for p in loc]
    return ".".join(parts)


def _add_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(HTTPException)
    async def http_error(_: Request, exc: HTTPException) -> JSONResponse:
        message = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
        if exc.status_code == 404 and message == "Not Found":
            message = "no such page or endpoint (the API is described at /openapi.json)"
        elif exc.status_code == 405:
            message = "this endpoint does not take that method"
        return _error(exc.status_code, message, getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        problems = "; ".join(f"{_where(tuple(e.get('loc', ())))}: {e.get('msg')}" for e in exc.errors())
        return _error(422, f"invalid request: {problems}")

    @app.exception_handler(StoreError)
    @app.exception_handler(OperationalError)
    async def unavailable(_: Request, exc: Exception) -> JSONResponse:
        log.error("store error: %s", exc)
        return _error(503, "the database cannot be reached or used right now; try again later")

    @app.exception_handler(Exception)
    async def crashed(_: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error", exc_info=exc)
        return _error(500, f"internal error ({type(exc).__name__}); the server log has the details")


def create_app(settings: ApiSettings | None = None, store: "Store | None" = None,
               coder: "Coder | None" = None) -> FastAPI:
    """Build the app; nothing is opened or loaded until a request needs it (a given store and coder are used as
    they are and left open)."""
    services = Services(settings or ApiSettings.from_env(), store, coder)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        yield
        services.close()

    app = FastAPI(
        title="dyad",
        summary="Political event data (PLOVER) from news text: code articles, read events, ties, series and networks.",
        version="0.1.0",
        docs_url=None,  # the interactive pages load scripts from a CDN; the dashboard must work offline
        redoc_url=None,
        openapi_url="/openapi.json",
        lifespan=lifespan,
    )
    app.state.services = services

    settings = services.settings
    # Innermost of the layers (added first): CORS and the guard's headers still apply to a kept answer.
    app.add_middleware(KeptRequests, cache=services.answers, version=services.version, paths=_KEPT_PATHS)
    if settings.cors_origins:  # off unless configured: the dashboard is served from this same origin
        app.add_middleware(CORSMiddleware, allow_origins=list(settings.cors_origins), allow_methods=["GET", "POST"],
                           allow_headers=["Authorization", "X-API-Key", "Content-Type"], max_age=600)
    # Outermost: every answer, a 429 or a 503 included, carries the security headers.
    limiter = TokenBucket(settings.rate_limit, settings.rate_burst) if settings.rate_limit > 0 else None
    app.add_middleware(Guard, headers=SECURITY_HEADERS, limiter=limiter, timeout=settings.request_timeout or None)

    _add_error_handlers(app)
    app.include_router(reads.router)
    app.include_router(analyses.router)
    app.include_router(writes.router)

    from dyad.web import mount_dashboard

    mount_dashboard(app)
    return app


def create_app_from_env() -> FastAPI:
    """The app of one of several server processes (`dyad serve --workers N`), its settings from DYAD_* variables:
    uvicorn starts each process by importing this factory, so the settings cannot be handed over as an object."""
    return create_app(ApiSettings.from_env())
