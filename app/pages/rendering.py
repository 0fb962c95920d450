"""The pages' templates (Jinja2, compiled once) and the formats they show dates and durations in."""

from __future__ import annotations

import datetime as dt
from http import HTTPStatus
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup
from starlette.responses import HTMLResponse

from app.pages.assets import asset_text, asset_url
from app.weeks import DEFAULT_TIME_ZONE, Week

_MINUTES_PER_HOUR = 60
# Pages change with every entry written: a browser revalidates, but may still keep the
# page for back/forward navigation (no-store would forbid that).
PAGE_CACHE = "private, no-cache"

# Templates are compiled once and kept: auto_reload off, no mtime check per request.
_templates = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=select_autoescape(default=True),
    auto_reload=False,
    cache_size=-1,
)


def long_date(day: dt.date) -> str:
    """Format a date for people, e.g. "Monday 23 November 2026"."""
    return f"{day:%A} {day.day} {day:%B} {day.year:04d}"


def short_date(day: dt.date) -> str:
    """Format a date briefly, e.g. "Mon 23 Nov"."""
    return f"{day:%a} {day.day} {day:%b}"


def month_name(year: int, month: int) -> str:
    """Name a month for people, e.g. "November 2026"."""
    return f"{dt.date(year, month, 1):%B} {year:04d}"


def duration(minutes: int) -> str:
    """Format minutes for people, e.g. "1 h 35 min"."""
    hours, rest = divmod(minutes, _MINUTES_PER_HOUR)
    if not hours:
        return f"{rest} min"
    return f"{hours} h" if not rest else f"{hours} h {rest} min"


_templates.globals.update(
    long=long_date,
    short=short_date,
    duration=duration,
    asset=asset_url,
    month_name=month_name,
    # Inlined, not linked: a stylesheet link would block the first paint for one more
    # round trip; gzipped, the rules add ~1.3 KB to a page. The file is ours, not input.
    stylesheet=Markup(asset_text("semaine.css")),  # noqa: S704  # nosec B704
)


def today() -> dt.date:
    """Return today's date in the service's time zone (the day the pages mark)."""
    return dt.datetime.now(ZoneInfo(DEFAULT_TIME_ZONE)).date()


def today_week() -> Week:
    """Return the week of today (the pages' "Today" link)."""
    return Week.from_date(today())


def html(template: str, status: int = HTTPStatus.OK, **context: Any) -> HTMLResponse:  # noqa: ANN401 - template context
    """Render a template as an HTML answer that browsers revalidate."""
    day = today()
    body = _templates.get_template(template).render(
        today_week=Week.from_date(day), site_month=f"{day.year:04d}-{day.month:02d}", **context
    )
    return HTMLResponse(body, status_code=status, headers={"Cache-Control": PAGE_CACHE})


def error_page(status: int, title: str, detail: str, **context: Any) -> HTMLResponse:  # noqa: ANN401 - template context
    """Render the HTML error page: what went wrong, and a way back to the current week."""
    return html("error.html", status, title=title, detail=detail, **context)
