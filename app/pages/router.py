"""The pages' routes: / redirects to the current week; the week, month and entry pages."""

from __future__ import annotations

from dataclasses import dataclass
from http import HTTPStatus
from typing import TYPE_CHECKING

from fastapi import APIRouter, Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from app.pages import assets, entries, months, weeks
from app.pages.rendering import error_page, html
from app.weeks import DEFAULT_TIME_ZONE, current_week

if TYPE_CHECKING:
    from app.api.problems import Problem

router = APIRouter(include_in_schema=False)
for _pages in (weeks.router, entries.router, months.router, assets.router):
    router.include_router(_pages)

# The paths the pages own: a routing error there is an HTML page, not problem+json.
PAGE_PREFIXES = ("/weeks", "/months", "/go")


def _is_page(path: str) -> bool:
    return any(path == prefix or path.startswith(f"{prefix}/") for prefix in PAGE_PREFIXES)


def page_for_problem(request: Request, problem: Problem) -> Response | None:
    """Render a routing error under the pages' paths as the HTML page a browser expects."""
    path = request.url.path
    if not _is_page(path):
        return None
    if problem.status == HTTPStatus.NOT_FOUND:
        title, detail = "Page not found", f"There is no page at {path}."
    else:
        title, detail = problem.title, problem.detail
    response = error_page(problem.status, title, detail)
    response.headers.update(problem.headers)  # Allow, on a 405
    return response


@router.get("/")
async def home() -> Response:
    """Send the browser to the current week's page."""
    week = current_week(DEFAULT_TIME_ZONE)
    return RedirectResponse(
        f"/weeks/{week.label}",
        status_code=HTTPStatus.TEMPORARY_REDIRECT,
        headers={"Cache-Control": "no-store"},
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
    return html("docs.html", operations=operations)
