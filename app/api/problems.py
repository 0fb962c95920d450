"""RFC 9457 problem details: the one error format of the API (application/problem+json)."""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import TYPE_CHECKING, Any, TypeAlias, TypeVar, cast

import psycopg
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import ClientDisconnect
from starlette.responses import Response
from starlette.routing import Match

from app.api.payloads import json_bytes
from app.db.driver import translate
from app.db.errors import DriverError, RejectedValueError
from app.weeks import (
    CalendarError,
    InvalidDateError,
    InvalidMonthError,
    InvalidWeekError,
    OutOfRangeError,
    UnknownTimeZoneError,
)

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable, Mapping, Sequence

    from fastapi import FastAPI, Request

    # Renders a problem as an HTML page for the paths it owns; None for the others.
    PageRenderer: TypeAlias = Callable[[Request, "Problem"], Response | None]

_E = TypeVar("_E", bound=Exception)
PROBLEM_JSON = "application/problem+json"
PROBLEM_BASE = "/problems/"
_log = logging.getLogger(__name__)
_OBJECT_EXPECTED = frozenset({"model_type", "model_attributes_type", "dict_type"})
# bool before int: True is an int to isinstance.
_JSON_KINDS: tuple[tuple[type | tuple[type, ...], str], ...] = (
    (bool, "a boolean"),
    ((int, float), "a number"),
    (str, "a string"),
    (list, "an array"),
    (dict, "an object"),
)
_METHODS = ("DELETE", "GET", "PATCH", "POST", "PUT")

_CALENDAR_KINDS: tuple[tuple[type[CalendarError], str, str], ...] = (
    (InvalidWeekError, "invalid-week", "Invalid week"),
    (InvalidDateError, "invalid-date", "Invalid date"),
    (InvalidMonthError, "invalid-month", "Invalid month"),
    (UnknownTimeZoneError, "unknown-time-zone", "Unknown time zone"),
    (OutOfRangeError, "out-of-range", "Out of the representable range"),
)


class Problem(Exception):  # noqa: N818 - it is the problem itself, raised to be rendered
    """An HTTP problem to answer with: raise it from any route."""

    def __init__(  # noqa: PLR0913 - the RFC 9457 members plus headers and extensions
        self,
        status: int,
        kind: str,
        title: str,
        detail: str,
        *,
        errors: Sequence[Mapping[str, str]] = (),
        headers: Mapping[str, str] | None = None,
        extra: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.kind = kind
        self.title = title
        self.detail = detail
        self.errors = tuple(errors)
        self.headers = dict(headers or {})
        self.extra = dict(extra or {})


def not_found(what: str) -> Problem:
    """Build the 404 problem for a resource that does not exist."""
    return Problem(HTTPStatus.NOT_FOUND, "not-found", "Not found", what)


def database_unavailable(detail: str) -> Problem:
    """Build the 503 problem for a database that cannot be reached or is not configured."""
    return Problem(
        HTTPStatus.SERVICE_UNAVAILABLE,
        "database-unavailable",
        "Database unavailable",
        detail,
        headers={"Retry-After": "5"},
    )


def problem_response(request: Request, problem: Problem) -> Response:
    """Render a problem as application/problem+json."""
    body: dict[str, Any] = {
        "type": PROBLEM_BASE + problem.kind if problem.kind else "about:blank",
        "title": problem.title,
        "status": int(problem.status),
        "detail": problem.detail,
        "instance": request.url.path,
    }
    if problem.errors:
        body["errors"] = [dict(error) for error in problem.errors]
    body.update(problem.extra)
    return Response(
        json_bytes(body),
        status_code=problem.status,
        media_type=PROBLEM_JSON,
        headers=problem.headers,
    )


def calendar_problem(error: CalendarError) -> Problem:
    """Turn a week-arithmetic error (its message says what to do) into a 400 problem."""
    for cls, kind, title in _CALENDAR_KINDS:
        if isinstance(error, cls):
            return Problem(HTTPStatus.BAD_REQUEST, kind, title, str(error))
    return Problem(HTTPStatus.BAD_REQUEST, "invalid-calendar-value", "Invalid value", str(error))


def _location(loc: Sequence[int | str]) -> str:
    return ".".join(str(part) for part in loc) or "body"


def _json_kind(value: object) -> str:
    """Name the JSON type of a decoded value, as a client would call it."""
    for types, name in _JSON_KINDS:
        if isinstance(value, types):
            return name
    return "null"


def _message(error: Mapping[str, Any]) -> str:
    # pydantic names the model class where an object was expected ("a valid dictionary or
    # instance of EntryCreate"): an internal name, meaningless to a client.
    if error.get("type") in _OBJECT_EXPECTED or "class_name" in (error.get("ctx") or {}):
        return f"send a JSON object, not {_json_kind(error.get('input'))}"
    return str(error.get("msg", "invalid value"))


def validation_problem(errors: Sequence[Any]) -> Problem:
    """Turn pydantic/FastAPI validation errors into one 422 problem listing each error."""
    listed = [
        {
            "location": _location(error.get("loc", ())),
            "message": _message(error),
            "type": str(error.get("type", "value_error")),
        }
        for error in errors
    ]
    if any(error["type"] == "json_invalid" for error in listed):
        return Problem(
            HTTPStatus.BAD_REQUEST,
            "malformed-json",
            "Malformed JSON",
            "The request body is not valid JSON: send a JSON object.",
        )
    detail = "; ".join(f"{error['location']}: {error['message']}" for error in listed)
    return Problem(
        HTTPStatus.UNPROCESSABLE_ENTITY,
        "validation-error",
        "Invalid request",
        detail or "The request is invalid.",
        errors=listed,
    )


def _http_problem(request: Request, exc: StarletteHTTPException) -> Problem:
    status = HTTPStatus(exc.status_code)
    headers = dict(exc.headers or {})
    detail = exc.detail if isinstance(exc.detail, str) else status.phrase
    if status == HTTPStatus.NOT_FOUND and detail == status.phrase:
        detail = f"Nothing at {request.url.path}: the endpoints are listed in /openapi.json."
    elif status == HTTPStatus.METHOD_NOT_ALLOWED:
        declared = {name.strip() for name in headers.get("Allow", "").split(",")} - {""}
        headers["Allow"] = ", ".join(_allowed_methods(request) or sorted(declared))
        detail = f"{request.method} is not allowed here; allowed: {headers['Allow']}."
    return Problem(exc.status_code, "", status.phrase, detail, headers=headers)


def _allowed_methods(request: Request) -> list[str]:
    """Return the methods some route answers at this path, HEAD included wherever GET is."""
    # Starlette's 405 names the methods of the first route of the path only
    # (GET for /api/v1/entries/{id}, not PATCH and DELETE): ask every route.
    allowed = {
        method
        for method in _METHODS
        if any(
            route.matches({**request.scope, "method": method})[0] == Match.FULL
            for route in request.app.router.routes
        )
    }
    if "GET" in allowed:
        allowed.add("HEAD")  # answered as GET by app.api.middleware.HeadAsGet
    return sorted(allowed)


def unreachable_detail(error: DriverError) -> str:
    """Say that the database failed, for a client: the driver's class, never its message."""
    return f"The database cannot be reached right now; retry shortly ({error.driver_class})."


def database_problem(error: DriverError) -> Problem:
    """Map a database error: a rejected value is 422, anything about reaching it is 503."""
    if isinstance(error, RejectedValueError):
        return Problem(
            HTTPStatus.UNPROCESSABLE_ENTITY,
            "constraint-violation",
            "Rejected by the database",
            f"The entry breaks {error.constraint or 'a data rule'}:"
            " check its date, title and minutes.",
        )
    return database_unavailable(unreachable_detail(error))


def _render(
    kind: type[_E],
    to_problem: Callable[[Request, _E], Problem],
    page: PageRenderer | None = None,
) -> Callable[[Request, Exception], Awaitable[Response]]:
    """Wrap `to_problem` as a Starlette handler of `kind` (it is only called with one)."""

    async def handle(request: Request, exc: Exception) -> Response:
        problem = to_problem(request, cast("_E", exc))
        rendered = page(request, problem) if page is not None else None
        return rendered if rendered is not None else problem_response(request, problem)

    handle.__name__ = f"on_{kind.__name__}"
    return handle


def _logged_database_problem(request: Request, exc: DriverError) -> Problem:
    _log.warning("database error on %s: %s", request.url.path, exc.driver_class)
    return database_problem(exc)


def _client_disconnected(request: Request, _exc: ClientDisconnect) -> Problem:
    # The client left (a closed tab, a timeout): not a failure of ours, and no traceback
    # would help anyone. The answer below goes nowhere; it only ends the request.
    _log.info(
        "client disconnected before sending the whole body of %s %s",
        request.method,
        request.url.path,
    )
    return Problem(
        HTTPStatus.BAD_REQUEST,
        "client-disconnected",
        "Client disconnected",
        "The connection closed before the whole request body arrived: send it again.",
    )


def _internal_problem(request: Request, exc: Exception) -> Problem:
    _log.error("unexpected error on %s", request.url.path, exc_info=exc)
    return Problem(
        HTTPStatus.INTERNAL_SERVER_ERROR,
        "internal-error",
        "Internal error",
        "The server failed unexpectedly; the error is logged. Retry or report it.",
    )


def install_problem_handlers(app: FastAPI, pages: PageRenderer | None = None) -> None:
    """Register the handlers that make every error a problem+json answer.

    `pages` may render a routing error (no such path, wrong method) as an HTML page
    instead, for the paths it owns: it returns None for the others.
    """
    handlers: tuple[tuple[type[Exception], Callable[[Request, Any], Problem]], ...] = (
        (Problem, lambda _request, exc: exc),
        (CalendarError, lambda _request, exc: calendar_problem(exc)),
        (RequestValidationError, lambda _request, exc: validation_problem(exc.errors())),
        (StarletteHTTPException, _http_problem),
        (DriverError, _logged_database_problem),
        # A query outside app.db's boundaries (pool timeouts are psycopg errors too).
        (psycopg.Error, lambda request, exc: _logged_database_problem(request, translate(exc))),
        (ClientDisconnect, _client_disconnected),
        (Exception, _internal_problem),
    )
    for kind, to_problem in handlers:
        page = pages if kind is StarletteHTTPException else None
        app.add_exception_handler(kind, _render(kind, to_problem, page))
