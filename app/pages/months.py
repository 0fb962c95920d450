"""The month page (/months/{yyyy-mm}): the Monday-first grid, one row per ISO week."""

from __future__ import annotations

from dataclasses import dataclass
from http import HTTPStatus

from fastapi import APIRouter
from starlette.responses import Response  # noqa: TC002 - FastAPI reads endpoint annotations at runtime

from app.pages.rendering import error_page, html, today
from app.weeks import CalendarError, GridWeek, month_grid, parse_month

router = APIRouter(include_in_schema=False)

_MONTHS_PER_YEAR = 12
_FIRST = (1, 1)
_LAST = (9999, 11)  # 9999-12 ends in 9999-W52, past the last date (app.weeks)


@dataclass(frozen=True, slots=True)
class MonthLink:
    """A neighbouring month: its label (YYYY-MM) and its year and number."""

    label: str
    year: int
    month: int


def _link(year: int, month: int) -> MonthLink | None:
    if not _FIRST <= (year, month) <= _LAST:
        return None
    return MonthLink(f"{year:04d}-{month:02d}", year, month)


def neighbours(year: int, month: int) -> tuple[MonthLink | None, MonthLink | None]:
    """Return the previous and next months; None past the representable months."""
    before = (year - 1, _MONTHS_PER_YEAR) if month == 1 else (year, month - 1)
    after = (year + 1, 1) if month == _MONTHS_PER_YEAR else (year, month + 1)
    return _link(*before), _link(*after)


@router.get("/months/{month}")
async def month_page(month: str) -> Response:
    """Render a month as Monday-first ISO weeks, each row linking to its week page."""
    try:
        year, number = parse_month(month)
        rows: tuple[GridWeek, ...] = month_grid(year, number)
    except CalendarError as error:
        return error_page(HTTPStatus.BAD_REQUEST, "Not a month", str(error))
    previous, following = neighbours(year, number)
    day_today = today()
    return html(
        "month.html",
        year=year,
        month=number,
        label=f"{year:04d}-{number:02d}",
        rows=rows,
        previous=previous,
        next=following,
        today=day_today,
    )
