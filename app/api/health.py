"""Liveness (/healthz, no database) and readiness (/readyz, database at a supported revision)."""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import Response  # noqa: TC002 - FastAPI reads endpoint annotations at runtime

from app.api.openapi import problem_responses
from app.api.payloads import json_response
from app.api.problems import Problem, unreachable_detail
from app.api.schemas import HealthOut, ReadyOut
from app.api.state import Runtime, runtime
from app.db.errors import DriverError
from app.db.migrate import current_revision_async, supported_revisions
from app.db.pool import connection

router = APIRouter(tags=["health"])

# A probe must answer quickly: do not queue behind busy requests for long (nor longer
# than the pool's own timeout, when DATABASE_POOL_TIMEOUT is shorter).
READINESS_TIMEOUT_SECONDS = 2.0
_NO_STORE = {"Cache-Control": "no-store"}


def _release(current: Runtime) -> dict[str, Any]:
    release = current.release
    return {"version": release.version, "release": release.heroku_release, "commit": release.commit}


def _not_ready(detail: str, current: Runtime, schema: dict[str, Any]) -> Problem:
    return Problem(
        HTTPStatus.SERVICE_UNAVAILABLE,
        "not-ready",
        "Not ready",
        detail,
        headers={**_NO_STORE, "Retry-After": "5"},
        extra={"schema": schema, **_release(current)},
    )


@router.get("/healthz", response_model=HealthOut, summary="Liveness (no database)")
async def healthz(request: Request) -> Response:
    """Say the process is alive, and what is running."""
    return json_response({"status": "ok", **_release(runtime(request))}, headers=_NO_STORE)


@router.get(
    "/readyz",
    response_model=ReadyOut,
    responses=problem_responses(503),
    summary="Readiness (database reachable, schema at a revision this build supports)",
)
async def readyz(request: Request) -> Response:
    """Say whether the database answers at a schema revision this build runs against.

    Every supported revision is ready, not only the head: during the data migration the
    database stays at 0002_us16_expand, which this build supports (expand/contract).
    """
    current = runtime(request)
    supported = supported_revisions()
    schema: dict[str, Any] = {
        "current": None,
        "head": current.head_revision,
        "supported": supported,
    }
    if current.pool is None:
        detail = f"The service has no database: {current.config_error or 'not configured'}."
        raise _not_ready(detail, current, schema)
    try:
        wait_seconds = min(READINESS_TIMEOUT_SECONDS, current.pool.timeout)
        async with connection(current.pool, wait_seconds) as lent:
            schema["current"] = await current_revision_async(lent)
    except DriverError as error:
        raise _not_ready(unreachable_detail(error), current, schema) from None
    if schema["current"] not in supported:
        detail = (
            f"The schema is at {schema['current'] or 'no revision'}, which this build does not"
            f" run against (it supports {', '.join(supported)}): run `python -m app db upgrade`."
        )
        raise _not_ready(detail, current, schema)
    body = {"status": "ready", "schema": schema, **_release(current)}
    return json_response(body, headers=_NO_STORE)
