"""Entries written from the pages: plain HTML forms, POST then 303 to the week page.

POST /weeks/{week}/entries                 add (errors: the week page again, 422)
GET  /weeks/{week}/entries/{id}            the entry's form (change it or delete it)
POST /weeks/{week}/entries/{id}            change (errors: the entry's form again, 422)
POST /weeks/{week}/entries/{id}/delete     delete
Every POST carries the CSRF token (app.pages.csrf); a refused one is a 403 page.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import TYPE_CHECKING

from fastapi import APIRouter, Request
from starlette.responses import RedirectResponse, Response

from app.api.entries import BIGINT_MAX
from app.api.problems import Problem
from app.api.state import pool
from app.db import entries
from app.pages import csrf
from app.pages.forms import ENTRY_FIELDS, EntryForm, FormError, check_entry, read_form
from app.pages.rendering import error_page, html
from app.pages.weeks import parse_week_or_page, render_week
from app.weeks import Week

if TYPE_CHECKING:
    from app.db.entries import Entry

router = APIRouter(include_in_schema=False)


def _see(week: Week, entry_id: int | None = None) -> Response:
    anchor = f"#entry-{entry_id}" if entry_id is not None else ""
    return RedirectResponse(f"/weeks/{week.label}{anchor}", status_code=HTTPStatus.SEE_OTHER)


async def _checked_form(request: Request, back: str) -> dict[str, str] | Response:
    """Read the POSTed form and check its CSRF token; else the HTML page saying why not."""
    try:
        form = await read_form(request)
    except FormError as error:
        return error_page(error.status, "Form not accepted", error.detail, back=back)
    except Problem as problem:  # over 64 KiB
        return error_page(problem.status, problem.title, problem.detail, back=back)
    refused = csrf.refusal(request, form)
    if refused is not None:
        detail = f"The form was refused: {refused}. Reload the page and send it again."
        return error_page(HTTPStatus.FORBIDDEN, "Form refused", detail, back=back)
    return form


async def _posted(request: Request, week: str) -> tuple[Week, dict[str, str]] | Response:
    """Return the week the address names and the checked form; else the page saying why not."""
    shown = parse_week_or_page(week)
    if isinstance(shown, Response):
        return shown
    form = await _checked_form(request, shown.label)
    return form if isinstance(form, Response) else (shown, form)


def _entry_id(text: str) -> int | None:
    if text.isascii() and text.isdigit() and 1 <= int(text) <= BIGINT_MAX:
        return int(text)
    return None


def _no_entry(week: Week, text: str) -> Response:
    detail = f"There is no entry {text[:40]}: it was deleted, or never existed."
    return error_page(HTTPStatus.NOT_FOUND, "No such entry", detail, back=week.label)


async def _entry_or_page(request: Request, week: Week, text: str) -> Entry | Response:
    entry_id = _entry_id(text)
    found = None if entry_id is None else await entries.get(pool(request), entry_id)
    return _no_entry(week, text) if found is None else found


def _render_entry(
    request: Request, week: Week, entry: Entry, form: EntryForm, status: int = HTTPStatus.OK
) -> Response:
    token = csrf.token_for(request)
    response = html(
        "entry.html",
        status,
        week=week,
        entry=entry,
        form=form,
        fields=ENTRY_FIELDS,
        csrf_field=csrf.FIELD,
        csrf_token=token,
    )
    csrf.set_cookie(request, response, token)
    return response


@router.post("/weeks/{week}/entries")
async def add_entry(request: Request, week: str) -> Response:
    """Add an entry from the week page's form; show it in its own week."""
    posted = await _posted(request, week)
    if isinstance(posted, Response):
        return posted
    shown, form = posted
    checked = check_entry(form)
    if checked.entry is None:
        return await render_week(
            request, shown, status=HTTPStatus.UNPROCESSABLE_ENTITY, form=checked
        )
    body = checked.entry
    entry_id, _ = await entries.insert(pool(request), body.date, body.title, body.minutes)
    return _see(Week.from_date(body.date), entry_id)


@router.get("/weeks/{week}/entries/{entry_id}")
async def entry_page(request: Request, week: str, entry_id: str) -> Response:
    """Show an entry's form, to change or delete it."""
    shown = parse_week_or_page(week)
    if isinstance(shown, Response):
        return shown
    entry = await _entry_or_page(request, shown, entry_id)
    if isinstance(entry, Response):
        return entry
    own = Week.from_date(entry.date)
    if own != shown:  # an old link: the entry moved to another week
        url = f"/weeks/{own.label}/entries/{entry.id}"
        return RedirectResponse(url, status_code=HTTPStatus.TEMPORARY_REDIRECT)
    values = {"date": entry.date.isoformat(), "title": entry.title, "minutes": str(entry.minutes)}
    return _render_entry(request, shown, entry, EntryForm(values))


@router.post("/weeks/{week}/entries/{entry_id}")
async def change_entry(request: Request, week: str, entry_id: str) -> Response:
    """Change an entry from its form; show it in its (maybe new) week."""
    posted = await _posted(request, week)
    if isinstance(posted, Response):
        return posted
    shown, form = posted
    entry = await _entry_or_page(request, shown, entry_id)
    if isinstance(entry, Response):
        return entry
    checked = check_entry(form)
    if checked.entry is None:
        return _render_entry(request, shown, entry, checked, HTTPStatus.UNPROCESSABLE_ENTITY)
    body = checked.entry
    changed = await entries.update(
        pool(request), entry.id, day=body.date, title=body.title, minutes=body.minutes
    )
    if changed is None:  # deleted meanwhile, by another tab or the API
        return _no_entry(shown, entry_id)
    return _see(Week.from_date(body.date), entry.id)


@router.post("/weeks/{week}/entries/{entry_id}/delete")
async def delete_entry(request: Request, week: str, entry_id: str) -> Response:
    """Delete an entry; back to its week."""
    posted = await _posted(request, week)
    if isinstance(posted, Response):
        return posted
    shown, _ = posted  # the form carried only the CSRF token
    found = _entry_id(entry_id)
    if found is None or not await entries.delete(pool(request), found):
        return _no_entry(shown, entry_id)
    return _see(shown)
