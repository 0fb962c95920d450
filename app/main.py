"""The ASGI application: `app.main:app`."""

from __future__ import annotations

import logging
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING

from fastapi import FastAPI

from app import __version__
from app.api import entries, health, months, weeks
from app.api.https import HttpsOnly
from app.api.middleware import HeadAsGet, UrlLengthLimit
from app.api.openapi import openapi_builder
from app.api.problems import install_problem_handlers
from app.api.state import Runtime
from app.config import ConfigError, Release, Settings, https_only_from_env
from app.db.migrate import head_revision
from app.db.pool import open_pool
from app.pages.router import page_for_problem
from app.pages.router import router as pages_router

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

_log = logging.getLogger(__name__)
DESCRIPTION = (
    "Semaine: ISO 8601 weeks (Monday to Sunday) and dated entries. "
    "Errors are RFC 9457 problem details (application/problem+json)."
)


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the application; settings default to the environment, read at startup."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        try:
            active = settings or Settings.from_env()
        except ConfigError as error:
            # Stay up for /healthz so the platform shows this message; the rest answers 503.
            _log.error("configuration error: %s; /readyz and the API answer 503", error)
            app.state.runtime = Runtime(Release(), head_revision(), config_error=str(error))
            yield
            return
        pool = await open_pool(active)
        app.state.runtime = Runtime(active.release, head_revision(), pool=pool)
        try:
            yield
        finally:
            await pool.close()

    app = FastAPI(
        title="Semaine",
        version=__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
        # Swagger UI and ReDoc load their scripts from a CDN: /docs is a page of ours.
        docs_url=None,
        redoc_url=None,
    )
    install_problem_handlers(app, pages=page_for_problem)
    app.add_middleware(HeadAsGet)
    app.add_middleware(UrlLengthLimit)
    # Added last, so it runs first: a plain-HTTP request gets the redirect and nothing else.
    app.add_middleware(HttpsOnly, enabled=_https_only(settings))
    for router in (health.router, weeks.router, entries.router, months.router, pages_router):
        app.include_router(router)
    app.openapi = openapi_builder(app)  # type: ignore[method-assign]  # FastAPI's documented override
    return app


def _https_only(settings: Settings | None) -> bool:
    """Return HTTPS_ONLY, read now: the middleware is built before any request."""
    if settings is not None:
        return settings.https_only
    try:
        return https_only_from_env()
    except ConfigError as error:
        # Fail closed: the lifespan reports the same error (/readyz and the API answer 503).
        _log.error("configuration error: %s; redirecting to https as if it were true", error)
        return True


app = create_app()
