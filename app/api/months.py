"""Month endpoint: the Monday-first weeks covering a month."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path
from starlette.responses import Response  # noqa: TC002 - FastAPI reads endpoint annotations at runtime

from app.api.openapi import problem_responses
from app.api.payloads import IMMUTABLE, json_response
from app.api.schemas import MonthOut
from app.weeks import month_grid, parse_month

router = APIRouter(prefix="/api/v1", tags=["months"])


@router.get(
    "/months/{month}",
    response_model=MonthOut,
    responses=problem_responses(400, 422),
    summary="The weeks covering a month",
)
async def get_month(
    month: Annotated[str, Path(description="A month, YYYY-MM.", examples=["2026-11"])],
) -> Response:
    """Return the rows (ISO weeks, Monday first) of a month's calendar grid."""
    year, number = parse_month(month)
    body = {
        "month": f"{year:04d}-{number:02d}",
        "weeks": [
            {
                "week": row.week.label,
                "days": [
                    {"date": cell.date.isoformat(), "in_month": cell.in_month} for cell in row.days
                ],
            }
            for row in month_grid(year, number)
        ],
    }
    return json_response(body, headers=IMMUTABLE)
