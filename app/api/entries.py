"""Entry endpoints: create, read, change, delete, and a week's entries with totals."""

from __future__ import annotations

from http import HTTPStatus
from typing import Annotated

from fastapi import APIRouter, Path, Request
from starlette.responses import Response

from app.api.bodies import body_documentation, read_body
from app.api.openapi import problem_responses
from app.api.payloads import JSON
from app.api.problems import not_found
from app.api.schemas import EntryCreate, EntryOut, EntryPatch, WeekEntriesOut
from app.api.state import pool
from app.api.weeks import WeekLabel  # noqa: TC001 - FastAPI reads endpoint annotations at runtime
from app.db import entries
from app.weeks import Week

router = APIRouter(prefix="/api/v1", tags=["entries"])

BIGINT_MAX = 2**63 - 1
EntryId = Annotated[
    int, Path(ge=1, le=BIGINT_MAX, description="The entry's id (a positive 64-bit integer).")
]
_WRITE_PROBLEMS = problem_responses(400, 413, 415, 422, 503)


def _missing(entry_id: int) -> Exception:
    return not_found(f"There is no entry {entry_id}: it was never created or was deleted.")


@router.post(
    "/entries",
    status_code=HTTPStatus.CREATED,
    response_model=EntryOut,
    responses={
        **_WRITE_PROBLEMS,
        201: {"description": "Created; Location names the new entry."},
    },
    openapi_extra=body_documentation(EntryCreate),
    summary="Create an entry",
)
async def create_entry(request: Request) -> Response:
    """Create an entry; its week fields are derived from its date."""
    body = await read_body(request, EntryCreate)
    entry_id, text = await entries.insert(pool(request), body.date, body.title, body.minutes)
    return Response(
        text,
        status_code=HTTPStatus.CREATED,
        media_type=JSON,
        headers={"Location": f"/api/v1/entries/{entry_id}"},
    )


@router.get(
    "/entries/{entry_id}",
    response_model=EntryOut,
    responses=problem_responses(404, 422, 503),
    summary="Read an entry",
)
async def get_entry(request: Request, entry_id: EntryId) -> Response:
    """Return one entry."""
    text = await entries.fetch(pool(request), entry_id)
    if text is None:
        raise _missing(entry_id)
    return Response(text, media_type=JSON)


@router.patch(
    "/entries/{entry_id}",
    response_model=EntryOut,
    responses={**_WRITE_PROBLEMS, **problem_responses(404)},
    openapi_extra=body_documentation(EntryPatch),
    summary="Change an entry",
)
async def patch_entry(request: Request, entry_id: EntryId) -> Response:
    """Change some fields of an entry (absent fields are kept)."""
    body = await read_body(request, EntryPatch)
    text = await entries.update(
        pool(request), entry_id, day=body.date, title=body.title, minutes=body.minutes
    )
    if text is None:
        raise _missing(entry_id)
    return Response(text, media_type=JSON)


@router.delete(
    "/entries/{entry_id}",
    status_code=HTTPStatus.NO_CONTENT,
    response_class=Response,
    responses={204: {"description": "Deleted"}, **problem_responses(404, 422, 503)},
    summary="Delete an entry",
)
async def delete_entry(request: Request, entry_id: EntryId) -> Response:
    """Delete an entry."""
    if not await entries.delete(pool(request), entry_id):
        raise _missing(entry_id)
    return Response(status_code=HTTPStatus.NO_CONTENT)


@router.get(
    "/weeks/{week}/entries",
    response_model=WeekEntriesOut,
    responses=problem_responses(400, 422, 503),
    summary="A week's entries with totals",
)
async def get_week_entries(request: Request, week: WeekLabel) -> Response:
    """Return a week's entries Monday to Sunday, with per-day and per-week minute totals."""
    parsed = Week.parse(week)
    found = await entries.week_days_json(pool(request), parsed)
    days = []
    week_total = 0
    # Every value spliced here is a date, a label or an integer: nothing needs escaping,
    # and the entries arrays are JSON text already (built by PostgreSQL).
    for day in parsed.days:
        listed = found.get(day)
        total, text = (listed.total_minutes, listed.entries_json) if listed else (0, "[]")
        week_total += total
        days.append(f'{{"date":"{day.isoformat()}","entries":{text},"total_minutes":{total}}}')
    body = (
        f'{{"week":"{parsed.label}","start":"{parsed.monday.isoformat()}",'
        f'"end":"{parsed.sunday.isoformat()}","days":[{",".join(days)}],'
        f'"total_minutes":{week_total}}}'
    )
    return Response(body, media_type=JSON)
