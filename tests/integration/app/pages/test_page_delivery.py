"""How the pages travel: HEAD, compression, cache headers, the icon, and no sideways scroll."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest

from app.pages.assets import asset_text, asset_url
from tests.integration.app.pages.markup import Outline

if TYPE_CHECKING:
    import httpx

pytestmark = pytest.mark.integration

PAGES = ["/weeks/2026-W53", "/months/2027-01", "/docs", "/static/semaine.css", "/favicon.ico"]


@pytest.mark.parametrize(
    "path", [*PAGES, "/weeks/2026-W54", "/months/x", "/weeks/2026-W53/nothing", "/go?to=x"]
)
def test_head_answers_as_get_without_a_body(shared_client: httpx.Client, path: str) -> None:
    get = shared_client.get(path, headers={"Accept-Encoding": "identity"})
    head = shared_client.head(path, headers={"Accept-Encoding": "identity"})
    assert head.status_code == get.status_code
    assert head.content == b""
    assert head.headers["content-type"] == get.headers["content-type"]
    assert head.headers["content-length"] == get.headers["content-length"]


@pytest.mark.parametrize("path", ["/weeks/2026-W53", "/months/2027-01", asset_url("semaine.js")])
def test_the_pages_are_compressed_for_browsers(shared_client: httpx.Client, path: str) -> None:
    response = shared_client.get(path, headers={"Accept-Encoding": "gzip, deflate, br"})
    assert response.status_code == 200
    assert response.headers["content-encoding"] == "gzip"
    assert "accept-encoding" in response.headers["vary"].lower()
    assert int(response.headers["content-length"]) < len(response.content)  # decoded by httpx


def test_the_json_api_stays_uncompressed(shared_client: httpx.Client) -> None:
    response = shared_client.get(
        "/api/v1/weeks/2026-W53/entries", headers={"Accept-Encoding": "gzip"}
    )
    assert response.status_code == 200
    assert "content-encoding" not in response.headers


@pytest.mark.parametrize("name", ["semaine.css", "semaine.js", "favicon.svg"])
def test_fingerprinted_assets_are_kept_a_year(shared_client: httpx.Client, name: str) -> None:
    url = asset_url(name)
    assert re.fullmatch(r"/static/[a-z]+\.[0-9a-f]{10}\.(css|js|svg)", url)
    response = shared_client.get(url)
    assert response.status_code == 200
    assert response.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert response.text == asset_text(name)
    plain = shared_client.get(f"/static/{name}")
    assert plain.headers["cache-control"] == "public, max-age=300"


def test_the_pages_link_their_assets_by_fingerprint(shared_client: httpx.Client) -> None:
    page = Outline(shared_client.get("/weeks/2026-W53").text)
    assert page.having("link", rel="icon", href=asset_url("favicon.svg"))
    assert page.having("script", src=asset_url("semaine.js"))
    assert shared_client.get("/weeks/2026-W53").headers["cache-control"] == "private, no-cache"


def test_the_icon_answers_where_browsers_look(shared_client: httpx.Client) -> None:
    response = shared_client.get("/favicon.ico")
    assert response.status_code == 200
    assert response.headers["content-type"] == "image/svg+xml"


def test_an_unknown_static_file_is_404(shared_client: httpx.Client) -> None:
    assert shared_client.get("/static/nothing.css").status_code == 404


def test_long_titles_wrap_instead_of_scrolling_sideways(shared_client: httpx.Client) -> None:
    title = "https://example.org/" + "a" * 180
    created = shared_client.post(
        "/api/v1/entries", json={"date": "2026-12-30", "title": title, "minutes": 5}
    )
    assert created.status_code == 201
    html = shared_client.get("/weeks/2026-W53").text
    link = f"/weeks/2026-W53/entries/{created.json()['id']}"
    assert f'class="title" href="{link}">{title}</a>' in html
    rules = asset_text("semaine.css")
    # Titles break anywhere; grid columns may shrink below their content's width.
    assert re.search(r"\.title[^{]*\{[^}]*overflow-wrap: anywhere", rules)
    assert "repeat(7, minmax(0, 1fr))" in rules
    assert "grid-template-columns: minmax(0, 1fr)" in rules
    # Nothing in the markup or the rules forces a width wider than a phone.
    assert not re.search(r"(min-)?width:\s*[0-9]{3,}px", rules + html)
    assert "<pre" not in html
    assert 'name="viewport" content="width=device-width, initial-scale=1"' in html
