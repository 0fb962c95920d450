"""Server-rendered pages: / redirects to the current week; /weeks/{week} shows it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from http import HTTPStatus
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Request
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.responses import HTMLResponse, RedirectResponse, Response

from app.api.payloads import adjacent
from app.api.state import pool
from app.db import entries
from app.weeks import DEFAULT_TIME_ZONE, CalendarError, Week, current_week

if TYPE_CHECKING:
    from collections.abc import Sequence

    from app.api.problems import Problem
    from app.db.entries import Entry

router = APIRouter(include_in_schema=False)

_HERE = Path(__file__).parent
_STYLESHEET = (_HERE / "static" / "semaine.css").read_bytes()
# Templates are compiled once and kept: auto_reload off, no mtime check per request.
_templates = Environment(
    loader=FileSystemLoader(_HERE / "templates"),
    autoescape=select_autoescape(default=True),
    auto_reload=False,
    cache_size=-1,
)
_MINUTES_PER_HOUR = 60
_PAGES = "/weeks"


def long_date(day: dt.date) -> str:
    """Format a date for people, e.g. "Monday 23 November 2026"."""
    return f"{day:%A} {day.day} {day:%B} {day.year:04d}"


def duration(minutes: int) -> str:
    """Format minutes for people, e.g. "1 h 35 min"."""
    hours, rest = divmod(minutes, _MINUTES_PER_HOUR)
    if not hours:
        return f"{rest} min"
    return f"{hours} h" if not rest else f"{hours} h {rest} min"


_templates.globals.update(long=long_date, duration=duration)


@dataclass(frozen=True, slots=True)
class DayView:
    """One day of the week page."""

    date: dt.date
    entries: tuple[Entry, ...]
    total: int
    is_today: bool


def _days(week: Week, listed: Sequence[Entry], today: dt.date) -> list[DayView]:
    by_day: dict[dt.date, list[Entry]] = {day: [] for day in week.days}
    for entry in listed:
        by_day[entry.date].append(entry)
    return [
        DayView(day, tuple(items), sum(item.minutes for item in items), day == today)
        for day, items in by_day.items()
    ]


def _html(template: str, status: int = HTTPStatus.OK, **context: Any) -> HTMLResponse:  # noqa: ANN401 - template context
    return HTMLResponse(_templates.get_template(template).render(**context), status_code=status)


def page_for_problem(request: Request, problem: Problem) -> Response | None:
    """Render a routing error under /weeks as the HTML page a browser expects; else None."""
    path = request.url.path
    if path != _PAGES and not path.startswith(f"{_PAGES}/"):
        return None
    if problem.status == HTTPStatus.NOT_FOUND:
        title, detail = "Page not found", f"There is no page at {path}."
    else:
        title, detail = problem.title, problem.detail
    response = _html(
        "error.html", problem.status, title=title, detail=detail, today_week=_today_week()
    )
    response.headers.update(problem.headers)  # Allow, on a 405
    return response


def _today_week() -> Week:
    return Week.from_date(dt.datetime.now(ZoneInfo(DEFAULT_TIME_ZONE)).date())


@router.get("/")
async def home() -> Response:
    """Send the browser to the current week's page."""
    week = current_week(DEFAULT_TIME_ZONE)
    return RedirectResponse(
        f"/weeks/{week.label}",
        status_code=HTTPStatus.TEMPORARY_REDIRECT,
        headers={"Cache-Control": "no-store"},
    )


@router.get("/weeks/{week}", response_class=HTMLResponse)
async def week_page(request: Request, week: str) -> Response:
    """Render a week, Monday to Sunday, with each day's entries and totals."""
    today = dt.datetime.now(ZoneInfo(DEFAULT_TIME_ZONE)).date()
    today_week = Week.from_date(today)
    try:
        shown = Week.parse(week)
    except CalendarError as error:
        return _html(
            "error.html",
            HTTPStatus.BAD_REQUEST,
            title="Not a week",
            detail=str(error),
            today_week=today_week,
        )
    listed = await entries.between(pool(request), shown.monday, shown.sunday)
    days = _days(shown, listed, today)
    previous, following = adjacent(shown)
    return _html(
        "week.html",
        week=shown,
        heading=f"Week {shown.iso_week}, {shown.iso_year}",
        days=days,
        total=sum(day.total for day in days),
        previous=previous,
        next=following,
        today_week=today_week,
    )


@dataclass(frozen=True, slots=True)
class OperationView:
    """One row of the /docs page."""

    method: str
    path: str
    summary: str
    statuses: tuple[str, ...]


@router.get("/docs", response_class=HTMLResponse)
async def api_docs(request: Request) -> Response:
    """List the API's operations and link to /openapi.json (self-hosted, works offline)."""
    document = request.app.openapi()
    operations = [
        OperationView(
            method.upper(), path, operation.get("summary", ""), tuple(operation["responses"])
        )
        for path, item in document["paths"].items()
        for method, operation in item.items()
    ]
    return _html("docs.html", operations=operations)


@router.get("/static/semaine.css")
async def stylesheet() -> Response:
    """Serve the pages' stylesheet."""
    return Response(
        _STYLESHEET, media_type="text/css", headers={"Cache-Control": "public, max-age=3600"}
    )
