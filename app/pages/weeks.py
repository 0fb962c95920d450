"""The week page (/weeks/{week}) and the "go to" form (/go?to=...)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from http import HTTPStatus
from typing import TYPE_CHECKING

from fastapi import APIRouter, Request
from starlette.responses import RedirectResponse, Response

from app.api.payloads import adjacent
from app.api.state import pool
from app.db import entries
from app.pages import csrf
from app.pages.forms import ENTRY_FIELDS, EntryForm
from app.pages.rendering import error_page, html, today
from app.weeks import CalendarError, InvalidDateError, Week, parse_date, parse_month

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Sequence

    from app.db.entries import Entry

router = APIRouter(include_in_schema=False)

_WEEK_SHAPE = re.compile(r"[0-9]{4}\s*-?\s*[Ww]")
_MONTH_SHAPE = re.compile(r"[0-9]{4}-[0-9]{1,2}")
_DATE_SHAPE = re.compile(r"[0-9]{4}")
_MAX_SHOWN = 40
_GO_TO_HELP = "enter a date (YYYY-MM-DD), a week (YYYY-Www) or a month (YYYY-MM)"


@dataclass(frozen=True, slots=True)
class DayView:
    """One day of the week page."""

    date: dt.date
    entries: tuple[Entry, ...]
    total: int
    is_today: bool


@dataclass(frozen=True, slots=True)
class GoTo:
    """The "go to" field as typed, and why it could not be followed (empty when fine)."""

    value: str = ""
    error: str = ""


def _days(week: Week, listed: Sequence[Entry], day_today: dt.date) -> list[DayView]:
    by_day: dict[dt.date, list[Entry]] = {day: [] for day in week.days}
    for entry in listed:
        by_day[entry.date].append(entry)
    return [
        DayView(day, tuple(items), sum(item.minutes for item in items), day == day_today)
        for day, items in by_day.items()
    ]


def _months(week: Week) -> list[tuple[int, int]]:
    """Return the months a week touches (two when it straddles a month's end)."""
    return list(dict.fromkeys((day.year, day.month) for day in (week.monday, week.sunday)))


def new_entry_form(week: Week, day_today: dt.date) -> EntryForm:
    """Return the empty "add an entry" form, dated today in the current week, else Monday."""
    day = day_today if week.monday <= day_today <= week.sunday else week.monday
    return EntryForm({"date": day.isoformat(), "title": "", "minutes": ""})


async def render_week(
    request: Request,
    week: Week,
    *,
    status: int = HTTPStatus.OK,
    form: EntryForm | None = None,
    go_to: GoTo | None = None,
) -> Response:
    """Render a week, Monday to Sunday, with its entries, totals and forms."""
    day_today = today()
    listed = await entries.between(pool(request), week.monday, week.sunday)
    days = _days(week, listed, day_today)
    previous, following = adjacent(week)
    token = csrf.token_for(request)
    response = html(
        "week.html",
        status,
        week=week,
        heading=f"Week {week.iso_week}, {week.iso_year:04d}",  # ISO 8601: four-digit years
        days=days,
        total=sum(day.total for day in days),
        previous=previous,
        next=following,
        months=_months(week),
        form=form or new_entry_form(week, day_today),
        fields=ENTRY_FIELDS,
        go_to=go_to or GoTo(),
        csrf_field=csrf.FIELD,
        csrf_token=token,
    )
    csrf.set_cookie(request, response, token)
    return response


def parse_week_or_page(label: str) -> Week | Response:
    """Parse a week label from a page URL, or return the HTML 400 page explaining it."""
    try:
        return Week.parse(label)
    except CalendarError as error:
        return error_page(HTTPStatus.BAD_REQUEST, "Not a week", str(error))


@router.get("/weeks/{week}")
async def week_page(request: Request, week: str) -> Response:
    """Render a week, Monday to Sunday, with each day's entries and totals."""
    shown = parse_week_or_page(week)
    if isinstance(shown, Response):
        return shown
    return await render_week(request, shown)


def destination(text: str) -> str:
    """Return the page of a date, week or month typed by a person; CalendarError if none."""
    typed = text.strip()
    if not typed:
        raise InvalidDateError(_GO_TO_HELP)
    if _WEEK_SHAPE.match(typed):
        return f"/weeks/{Week.parse(typed).label}"
    if _MONTH_SHAPE.fullmatch(typed):
        year, month = parse_month(typed)
        return f"/months/{year:04d}-{month:02d}"
    if not _DATE_SHAPE.match(typed):
        msg = f"{typed[:_MAX_SHOWN]!r} is not a date, a week or a month: {_GO_TO_HELP}"
        raise InvalidDateError(msg)
    day = parse_date(typed)
    return f"/weeks/{Week.from_date(day).label}#d-{day.isoformat()}"


@router.get("/go")
async def go_to(request: Request, to: str = "", back: str = "") -> Response:
    """Send the browser to the page of a date, week or month; explain a bad one on the page."""
    try:
        target = destination(to)
    except CalendarError as error:
        try:
            week = Week.parse(back)
        except CalendarError:
            week = Week.from_date(today())
        go = GoTo(to, str(error))
        return await render_week(request, week, status=HTTPStatus.BAD_REQUEST, go_to=go)
    return RedirectResponse(target, status_code=HTTPStatus.SEE_OTHER)
