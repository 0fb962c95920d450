"""GET /go?to=...: a date, week or month typed by a person, or the error on the page."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from tests.integration.app.pages.markup import Outline

if TYPE_CHECKING:
    import httpx

pytestmark = pytest.mark.integration


@pytest.mark.parametrize(
    ("typed", "location"),
    [
        ("2026-W53", "/weeks/2026-W53"),
        (" 2026-W53 ", "/weeks/2026-W53"),
        ("2026-W53-7", "/weeks/2026-W53"),
        ("2027-01-03", "/weeks/2026-W53#d-2027-01-03"),
        ("2026-11-29", "/weeks/2026-W48#d-2026-11-29"),
        ("2027-01", "/months/2027-01"),
    ],
)
def test_go_to_a_date_week_or_month(shared_client: httpx.Client, typed: str, location: str) -> None:
    response = shared_client.get("/go", params={"to": typed, "back": "2026-W48"})
    assert response.status_code == 303
    assert response.headers["location"] == location


@pytest.mark.parametrize(
    ("typed", "words"),
    [
        ("2026-W54", "2026 has 53 ISO weeks"),
        ("2025-W53", "2025 has 52 ISO weeks"),
        ("2026-13-01", "month 13 does not exist"),
        ("tomorrow", "is not a date, a week or a month"),
        ("2026-w53", "did you mean 2026-W53"),
        ("2026/11/29", "did you mean 2026-11-29"),
        ("", "enter a date"),
        ("<b>x</b>", "YYYY-MM-DD"),
    ],
)
def test_a_bad_destination_is_explained_on_the_page(
    shared_client: httpx.Client, typed: str, words: str
) -> None:
    response = shared_client.get("/go", params={"to": typed, "back": "2026-W48"})
    assert response.status_code == 400
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert "<b>x</b>" not in response.text
    page = Outline(response.text)
    assert page.h1 == ["Week 48, 2026"]  # the page the form was sent from
    (field,) = page.having("input", id="go-to")
    assert field["value"] == typed
    assert field["aria-invalid"] == "true"
    error = response.text.split('id="go-to-error">', 1)[1].split("</span>", 1)[0]
    assert words in error


def test_without_a_page_to_go_back_to_the_current_week_is_shown(
    shared_client: httpx.Client,
) -> None:
    response = shared_client.get("/go", params={"to": "nope", "back": "garbage"})
    assert response.status_code == 400
    assert Outline(response.text).having("a", aria_current="page")
