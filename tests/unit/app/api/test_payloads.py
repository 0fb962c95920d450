"""Payload helpers and request-body media types."""

from __future__ import annotations

import pytest

from app.api.bodies import _is_json
from app.api.payloads import adjacent, json_bytes, week_payload
from app.weeks import FIRST_WEEK, LAST_WEEK, Week


def test_json_is_compact_utf8() -> None:
    assert json_bytes({"title": "Été", "n": [1, None]}) == '{"title":"Été","n":[1,null]}'.encode()


def test_week_payload_at_the_limits() -> None:
    assert week_payload(FIRST_WEEK)["previous"] is None
    assert week_payload(LAST_WEEK)["next"] is None
    assert adjacent(Week(2026, 1)) == (Week(2025, 52), Week(2026, 2))


@pytest.mark.parametrize(
    ("content_type", "expected"),
    [
        ("application/json", True),
        ("Application/JSON; charset=utf-8", True),
        ("application/problem+json", True),
        ("text/json", False),
        ("application/jsonp", False),
        ("", False),
    ],
)
def test_json_media_types(content_type: str, *, expected: bool) -> None:
    assert _is_json(content_type) is expected
