"""What the lifespan leaves on `app.state`, read by the routes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from app.api.problems import Problem, database_unavailable

if TYPE_CHECKING:
    from starlette.requests import Request

    from app.config import Release
    from app.db.entries import Pool


@dataclass(slots=True)
class Runtime:
    """The running service's resources: the pool, or why there is none."""

    release: Release
    head_revision: str
    pool: Pool | None = None
    config_error: str | None = None


def runtime(request: Request) -> Runtime:
    """Return the service's runtime (set by the lifespan)."""
    found = getattr(request.app.state, "runtime", None)
    if not isinstance(found, Runtime):
        detail = "The service is still starting: retry."
        raise Problem(503, "not-started", "Not started", detail)
    return found


def pool(request: Request) -> Pool:
    """Return the database pool, or answer 503 saying why there is none."""
    current = runtime(request)
    if current.pool is None:
        detail = f"The service has no database: {current.config_error or 'not configured'}."
        raise database_unavailable(detail)
    return current.pool
