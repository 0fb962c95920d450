"""Problem details: the mapping of every error class, exercised without a database."""

from __future__ import annotations

import asyncio
from http import HTTPStatus

import httpx
import psycopg
import pytest
from fastapi import FastAPI, HTTPException

from app.api.problems import (
    PROBLEM_JSON,
    calendar_problem,
    database_problem,
    install_problem_handlers,
    validation_problem,
)
from app.db.driver import translate
from app.db.errors import DatabaseUnreachableError
from app.main import create_app
from app.weeks import (
    CalendarError,
    InvalidDateError,
    InvalidMonthError,
    InvalidWeekError,
    OutOfRangeError,
    UnknownTimeZoneError,
)


@pytest.mark.parametrize(
    ("error", "kind"),
    [
        (InvalidWeekError("w"), "invalid-week"),
        (InvalidDateError("d"), "invalid-date"),
        (InvalidMonthError("m"), "invalid-month"),
        (UnknownTimeZoneError("z"), "unknown-time-zone"),
        (OutOfRangeError("r"), "out-of-range"),
        (CalendarError("c"), "invalid-calendar-value"),
    ],
)
def test_calendar_errors_are_400s_keeping_their_message(error: CalendarError, kind: str) -> None:
    problem = calendar_problem(error)
    assert (problem.status, problem.kind, problem.detail) == (400, kind, str(error))


def test_invalid_json_wins_over_other_validation_errors() -> None:
    problem = validation_problem([{"type": "json_invalid", "loc": ("body", 3)}])
    assert (problem.status, problem.kind) == (400, "malformed-json")


def test_validation_errors_are_listed_with_their_location() -> None:
    problem = validation_problem(
        [{"type": "missing", "loc": ("body", "title"), "msg": "Field required"}, {}]
    )
    assert problem.status == HTTPStatus.UNPROCESSABLE_ENTITY
    assert problem.errors == (
        {"location": "body.title", "message": "Field required", "type": "missing"},
        {"location": "body", "message": "invalid value", "type": "value_error"},
    )
    assert problem.detail == "body.title: Field required; body: invalid value"


@pytest.mark.parametrize(
    "error", [psycopg.errors.CheckViolation(), psycopg.errors.NumericValueOutOfRange()]
)
def test_rejected_values_are_422s(error: psycopg.Error) -> None:
    problem = database_problem(translate(error))
    assert (problem.status, problem.kind) == (422, "constraint-violation")
    assert "a data rule" in problem.detail


@pytest.mark.parametrize(
    "error", [psycopg.OperationalError("down"), psycopg.errors.AdminShutdown()]
)
def test_reaching_the_database_failing_is_a_503(error: psycopg.Error) -> None:
    problem = database_problem(translate(error))
    assert (problem.status, problem.kind) == (503, "database-unavailable")
    assert problem.headers == {"Retry-After": "5"}
    assert problem.detail.endswith(f"retry shortly ({type(error).__name__}).")


def _app_raising(error: Exception) -> FastAPI:
    app = FastAPI()
    install_problem_handlers(app)

    @app.get("/boom")
    async def boom() -> None:
        raise error

    return app


def _get(app: FastAPI, path: str) -> httpx.Response:
    async def call() -> httpx.Response:
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            return await client.get(path)

    return asyncio.run(call())


@pytest.mark.parametrize(
    ("error", "status", "kind"),
    [
        (psycopg.errors.CheckViolation(), 422, "/problems/constraint-violation"),
        (psycopg.OperationalError("gone"), 503, "/problems/database-unavailable"),
        # What the routes see: app.db's boundaries translated the driver's errors.
        (translate(psycopg.errors.UniqueViolation()), 422, "/problems/constraint-violation"),
        (
            DatabaseUnreachableError("db.internal:5432/semaine", "refused", driver_class="X"),
            503,
            "/problems/database-unavailable",
        ),
        (HTTPException(418, detail={"not": "text"}), 418, "about:blank"),
        (RuntimeError("bug"), 500, "/problems/internal-error"),
    ],
)
def test_handlers_answer_problem_json(error: Exception, status: int, kind: str) -> None:
    response = _get(_app_raising(error), "/boom")
    assert response.status_code == status
    assert response.headers["content-type"] == PROBLEM_JSON
    body = response.json()
    assert (body["type"], body["status"], body["instance"]) == (kind, status, "/boom")
    assert "bug" not in body["detail"]
    assert "db.internal" not in body["detail"]  # where the database is stays private


def test_routes_needing_the_lifespan_answer_503_before_it_ran() -> None:
    response = _get(create_app(), "/healthz")
    assert response.status_code == 503
    assert response.json()["type"] == "/problems/not-started"


def test_the_openapi_document_is_built_once() -> None:
    app = create_app()
    assert app.openapi() is app.openapi()
