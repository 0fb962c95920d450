"""JSON bodies of the API, serialised once, straight to bytes (no response-model pass)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from starlette.responses import Response

from app.weeks import OutOfRangeError, Week

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

JSON = "application/json"
# Week and month bodies never change: let clients and proxies keep them for a day.
IMMUTABLE = {"Cache-Control": "public, max-age=86400"}

_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def json_bytes(body: Any) -> bytes:  # noqa: ANN401 - any JSON-serialisable value
    """Serialise a JSON value compactly as UTF-8."""
    return _encode(body).encode()


def json_response(
    body: Any,  # noqa: ANN401 - any JSON-serialisable value
    status: int = 200,
    headers: Mapping[str, str] | None = None,
) -> Response:
    """Answer with a JSON body."""
    return Response(json_bytes(body), status_code=status, media_type=JSON, headers=headers)


def _step(move: Callable[[], Week]) -> Week | None:
    try:
        return move()
    except OutOfRangeError:
        return None


def adjacent(week: Week) -> tuple[Week | None, Week | None]:
    """Return the previous and next weeks; None past the representable limits."""
    return _step(week.previous), _step(week.next)


def week_payload(week: Week) -> dict[str, Any]:
    """Describe a week: label, ISO fields, its seven days and its neighbours' labels."""
    previous, following = adjacent(week)
    return {
        "week": week.label,
        "iso_year": week.iso_year,
        "iso_week": week.iso_week,
        "start": week.monday.isoformat(),
        "end": week.sunday.isoformat(),
        "days": [day.isoformat() for day in week.days],
        "previous": previous and previous.label,
        "next": following and following.label,
    }
