"""GET / and /weeks/{week}: server-rendered, accessible, no JavaScript needed."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

import pytest

from app.weeks import Week
from tests.integration.app.pages.markup import Outline, today

if TYPE_CHECKING:
    import httpx

pytestmark = pytest.mark.integration


def test_home_redirects_to_the_current_week(client: httpx.Client) -> None:
    response = client.get("/", follow_redirects=False)
    assert response.status_code in {303, 307}
    assert response.headers["location"] == f"/weeks/{Week.from_date(today()).label}"
    assert response.headers["cache-control"] == "no-store"


def test_a_week_page_is_accessible_and_lists_monday_to_sunday(client: httpx.Client) -> None:
    response = client.get("/weeks/2026-W48")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    page = Outline(response.text)
    assert page.having("html", lang="en")
    assert page.h1 == ["Week 48, 2026"]
    assert [nav["aria-label"] for nav in page.having("nav")] == ["Calendar", "Weeks"]
    assert len(page.having("main")) == 1
    assert len(page.having("ol", **{"class": "days"})) == 1
    assert [t["datetime"] for t in page.having("time")] == [
        f"2026-11-{day}" for day in range(23, 30)
    ]
    assert len(page.having("h2")) == 7 + 1  # the days, then "Add an entry"
    assert "Monday 23 November 2026" in response.text
    assert "Sunday 29 November 2026" in response.text
    for href, text in page.links:
        assert href
        assert text.strip(), href
    assert ("/weeks/2026-W47", "Previous week (2026-W47)") in page.links
    assert ("/weeks/2026-W49", "Next week (2026-W49)") in page.links
    current = Week.from_date(today()).label
    assert (f"/weeks/{current}", f"Today ({current})") in page.links
    # The rules are inlined (no render-blocking request); the script is deferred.
    assert not page.having("link", rel="stylesheet")
    assert "<style>" in response.text
    assert ".days" in response.text
    (script,) = page.having("script")
    assert (script["src"] or "").startswith("/static/semaine.")
    assert "defer" in script
    assert page.having("meta", name="description")[0]["content"]
    assert page.having("link", rel="icon")


def test_today_is_marked_on_the_current_week_only(client: httpx.Client) -> None:
    week = Week.from_date(today())
    page = Outline(client.get(f"/weeks/{week.label}").text)
    marked = page.having("li", aria_current="date")
    assert len(marked) == 1
    assert marked[0]["aria-labelledby"] == f"d-{today().isoformat()}"
    assert page.having("a", aria_current="page")
    other = Outline(client.get(f"/weeks/{week.next().label}").text)
    assert not other.having("li", aria_current="date")
    assert not other.having("a", aria_current="page")


def test_entries_and_totals_are_shown_escaped(client: httpx.Client) -> None:
    for day, title, minutes in [
        ("2026-11-23", "Standup", 15),
        ("2026-11-23", "<script>alert(1)</script>", 90),
        ("2026-11-29", "Run", 60),
        ("2026-11-30", "Next week", 5),
    ]:
        created = client.post(
            "/api/v1/entries", json={"date": day, "title": title, "minutes": minutes}
        )
        assert created.status_code == 201
    html = client.get("/weeks/2026-W48").text
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "Standup" in html
    assert ">Next week</a>" not in html
    assert "Day total: <strong>1 h 45 min</strong>" in html
    assert "Day total: <strong>1 h</strong>" in html
    assert '<strong id="week-total">2 h 45 min</strong>' in html
    assert html.count("No entries.") == 5


@pytest.mark.parametrize(("label", "missing"), [("0001-W01", "Previous"), ("9999-W51", "Next")])
def test_the_limits_have_no_link_beyond(client: httpx.Client, label: str, missing: str) -> None:
    page = Outline(client.get(f"/weeks/{label}").text)
    assert not [text for _, text in page.links if text.startswith(missing)]
    week, year = int(label[6:]), label[:4]
    assert page.h1 == [f"Week {week}, {year}"]  # year 1 reads 0001, as the label and ISO 8601


@pytest.mark.parametrize("label", ["2025-W53", "2026-48", "banana", "9999-W52"])
def test_a_bad_week_is_an_html_400_explaining_the_format(client: httpx.Client, label: str) -> None:
    response = client.get(f"/weeks/{label}")
    assert response.status_code == 400
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    page = Outline(response.text)
    assert page.h1 == ["Not a week"]
    assert page.having("main")
    assert "YYYY-Www" in response.text
    current = Week.from_date(today()).label
    assert (f"/weeks/{current}", f"Go to the current week ({current})") in page.links


def test_the_stylesheet_is_served(client: httpx.Client) -> None:
    response = client.get("/static/semaine.css")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/css")
    assert ".days" in response.text


def test_docs_is_a_self_hosted_page_listing_the_operations(client: httpx.Client) -> None:
    response = client.get("/docs")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    page = Outline(response.text)
    assert page.h1 == ["Semaine API"]
    assert ("/openapi.json", "/openapi.json") in page.links
    # Offline: nothing is loaded or linked from another host, and no script runs.
    assert not page.having("script")
    for tag, attrs in page.tags:
        for name in ("src", "href", "action"):
            value = attrs.get(name)
            assert value is None or (value.startswith("/") and not value.startswith("//")), tag
    document = client.get("/openapi.json").json()
    rows = [html.unescape(" ".join(row.split())) for row in response.text.split("<tr>")[1:]]
    for path, item in document["paths"].items():
        for method, operation in item.items():
            expected = f"<code>{method.upper()}</code></td><td><code>{path}</code>"
            assert any(expected in row and operation["summary"] in row for row in rows), path


@pytest.mark.parametrize("path", ["/redoc", "/docs/oauth2-redirect"])
def test_the_cdn_based_documentation_pages_are_gone(client: httpx.Client, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"


@pytest.mark.parametrize(
    "path",
    [
        "/weeks/2026-W48/foo",
        "/weeks/",
        "/weeks",
        "/weeks/2026-W48/entries/1/edit",
        "/months",
        "/months/2026-11/x",
        "/go/x",
    ],
)
def test_an_unknown_page_under_the_pages_is_an_html_404(client: httpx.Client, path: str) -> None:
    response = client.get(path, follow_redirects=True)
    assert response.status_code == 404
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    page = Outline(response.text)
    assert page.h1 == ["Page not found"]
    assert f"There is no page at {response.url.path}" in response.text
    current = Week.from_date(today()).label
    assert (f"/weeks/{current}", f"Go to the current week ({current})") in page.links


def test_a_wrong_method_on_a_week_page_is_an_html_405_with_allow(client: httpx.Client) -> None:
    response = client.post("/weeks/2026-W48")
    assert response.status_code == 405
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert response.headers["allow"] == "GET, HEAD"
    assert "POST is not allowed here" in response.text


def test_a_trailing_slash_still_leads_to_the_week(client: httpx.Client) -> None:
    response = client.get("/weeks/2026-W48/", follow_redirects=False)
    assert response.status_code in {307, 308}
    assert response.headers["location"].endswith("/weeks/2026-W48")


@pytest.mark.parametrize("path", ["/api/v1/weeks/2026-W48/foo", "/api/", "/nothing"])
def test_unknown_paths_outside_the_pages_stay_problems(client: httpx.Client, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
