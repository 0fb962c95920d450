"""Week endpoints: the current week, a week by label, the week of a date."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query
from starlette.responses import Response  # noqa: TC002 - FastAPI reads endpoint annotations at runtime

from app.api.openapi import problem_responses
from app.api.payloads import IMMUTABLE, json_response, week_payload
from app.api.schemas import WeekOut
from app.weeks import DEFAULT_TIME_ZONE, Week, current_week, parse_date

router = APIRouter(prefix="/api/v1", tags=["weeks"])

WeekLabel = Annotated[
    str,
    Path(description="ISO week, YYYY-Www (or the day form YYYY-Www-D).", examples=["2026-W48"]),
]


@router.get(
    "/weeks/current",
    response_model=WeekOut,
    responses=problem_responses(400, 422),
    summary="The current ISO week in a time zone",
)
async def get_current_week(
    tz: Annotated[
        str, Query(description="IANA time zone deciding what today is.", max_length=128)
    ] = DEFAULT_TIME_ZONE,
) -> Response:
    """Return the ISO week that contains today in the time zone `tz`."""
    week = current_week(tz)
    return json_response(week_payload(week), headers={"Cache-Control": "no-cache"})


@router.get(
    "/weeks/{week}",
    response_model=WeekOut,
    responses=problem_responses(400, 422),
    summary="An ISO week by its label",
)
async def get_week(week: WeekLabel) -> Response:
    """Return a week's dates and its neighbours."""
    return json_response(week_payload(Week.parse(week)), headers=IMMUTABLE)


@router.get(
    "/dates/{date}/week",
    response_model=WeekOut,
    responses=problem_responses(400, 422),
    summary="The ISO week containing a date",
)
async def get_week_of_date(
    date: Annotated[str, Path(description="A date, YYYY-MM-DD.", examples=["2026-11-23"])],
) -> Response:
    """Return the ISO week that contains a date."""
    return json_response(week_payload(Week.from_date(parse_date(date))), headers=IMMUTABLE)
