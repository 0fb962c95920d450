"""Entries added, changed and deleted through the pages' HTML forms (no JavaScript)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from tests.integration.app.pages.markup import Outline, form_token

if TYPE_CHECKING:
    import httpx

pytestmark = pytest.mark.integration

HTML = "text/html; charset=utf-8"


def _post(client: httpx.Client, path: str, token: str | None, **fields: str) -> httpx.Response:
    data: dict[str, Any] = dict(fields)
    if token is not None:
        data["csrf_token"] = token
    return client.post(path, data=data, follow_redirects=False)


def _week_entries(client: httpx.Client, week: str) -> list[dict[str, Any]]:
    body = client.get(f"/api/v1/weeks/{week}/entries").json()
    return [entry for day in body["days"] for entry in day["entries"]]


def _add(client: httpx.Client, week: str, **fields: str) -> httpx.Response:
    token = form_token(client.get(f"/weeks/{week}").text)
    return _post(client, f"/weeks/{week}/entries", token, **fields)


def test_an_entry_added_on_sunday_stays_in_its_week(client: httpx.Client) -> None:
    response = _add(client, "2026-W48", date="2026-11-29", title="Sunday run", minutes="45")
    assert response.status_code == 303
    (entry,) = _week_entries(client, "2026-W48")
    assert response.headers["location"] == f"/weeks/2026-W48#entry-{entry['id']}"
    assert (entry["date"], entry["title"], entry["minutes"]) == ("2026-11-29", "Sunday run", 45)
    page = client.get("/weeks/2026-W48").text
    assert f'id="entry-{entry["id"]}"' in page
    assert "Sunday run" in page
    assert "Sunday run" not in client.get("/weeks/2026-W49").text


def test_an_entry_dated_in_another_week_is_shown_in_that_week(client: httpx.Client) -> None:
    response = _add(client, "2026-W48", date="2027-01-03", title="New year", minutes="5")
    assert response.status_code == 303
    assert response.headers["location"].startswith("/weeks/2026-W53#entry-")


@pytest.mark.parametrize(
    ("fields", "field", "words"),
    [
        ({"date": "2026-11-31", "title": "x", "minutes": "5"}, "date", "November 2026 has 30"),
        ({"date": "29/11/2026", "title": "x", "minutes": "5"}, "date", "YYYY-MM-DD"),
        ({"date": "2026-11-29", "title": "   ", "minutes": "5"}, "title", "visible character"),
        ({"date": "2026-11-29", "title": "", "minutes": "5"}, "title", "enter a title"),
        ({"date": "2026-11-29", "title": "t" * 201, "minutes": "5"}, "title", "at most 200"),
        ({"date": "2026-11-29", "title": "x", "minutes": "1441"}, "minutes", "0 to 1440"),
        ({"date": "2026-11-29", "title": "x", "minutes": "half an hour"}, "minutes", "whole"),
        ({"date": "2026-11-29", "title": "x", "minutes": "30.5"}, "minutes", "whole number"),
    ],
)
def test_a_bad_field_is_explained_next_to_it_with_the_values_kept(
    client: httpx.Client, fields: dict[str, str], field: str, words: str
) -> None:
    response = _add(client, "2026-W48", **fields)
    assert response.status_code == 422
    assert response.headers["content-type"] == HTML
    page = Outline(response.text)
    (field_input,) = page.having("input", id=f"new-{field}")
    assert field_input["aria-invalid"] == "true"
    assert field_input["aria-describedby"] == f"new-{field}-error"
    error = response.text.split(f'id="new-{field}-error">', 1)[1].split("</span>", 1)[0]
    assert words in error
    for name, value in fields.items():
        assert page.value_of(name) == value
    assert page.h1 == ["Week 48, 2026"]
    assert _week_entries(client, "2026-W48") == []


def test_every_bad_field_is_explained_at_once(client: httpx.Client) -> None:
    response = _add(client, "2026-W48", date="", title="", minutes="x")
    assert response.status_code == 422
    page = Outline(response.text)
    assert len(page.having("input", aria_invalid="true")) == 3


def test_the_form_rules_are_the_apis(client: httpx.Client) -> None:
    for title, minutes, status in [("   ", 5, 422), ("t" * 201, 5, 422), ("t" * 200, 1440, 303)]:
        body = {"date": "2026-11-29", "title": title, "minutes": minutes}
        api = client.post("/api/v1/entries", json=body)
        assert api.status_code == (201 if status == 303 else 422)
        form = _add(client, "2026-W48", **{**body, "minutes": str(minutes)})
        assert form.status_code == status


def test_an_entry_is_changed_then_deleted(client: httpx.Client) -> None:
    _add(client, "2026-W48", date="2026-11-29", title="Sunday run", minutes="45")
    (entry,) = _week_entries(client, "2026-W48")
    path = f"/weeks/2026-W48/entries/{entry['id']}"
    assert (path, "Sunday run") in Outline(client.get("/weeks/2026-W48").text).links
    form = client.get(path)
    assert form.status_code == 200
    page = Outline(form.text)
    assert [page.value_of(name) for name in ("date", "title", "minutes")] == [
        "2026-11-29",
        "Sunday run",
        "45",
    ]
    token = form_token(form.text)

    invalid = _post(client, path, token, date="2026-11-29", title="Long run", minutes="-5")
    assert invalid.status_code == 422
    assert Outline(invalid.text).value_of("title") == "Long run"
    assert _week_entries(client, "2026-W48")[0]["title"] == "Sunday run"

    changed = _post(client, path, token, date="2026-11-30", title="Long run", minutes="90")
    assert changed.status_code == 303
    assert changed.headers["location"] == f"/weeks/2026-W49#entry-{entry['id']}"
    assert _week_entries(client, "2026-W48") == []
    (moved,) = _week_entries(client, "2026-W49")
    assert (moved["title"], moved["minutes"]) == ("Long run", 90)
    # An old link to the entry follows it to its new week.
    old = client.get(path, follow_redirects=False)
    assert old.status_code == 307
    assert old.headers["location"] == f"/weeks/2026-W49/entries/{entry['id']}"

    new_path = f"/weeks/2026-W49/entries/{entry['id']}"
    deleted = _post(client, f"{new_path}/delete", token)
    assert deleted.status_code == 303
    assert deleted.headers["location"] == "/weeks/2026-W49"
    assert _week_entries(client, "2026-W49") == []
    again = _post(client, f"{new_path}/delete", token)
    assert again.status_code == 404
    assert again.headers["content-type"] == HTML
    assert "No such entry" in again.text
    gone = client.get(new_path)
    assert gone.status_code == 404
    assert ("/weeks/2026-W49", "Back to week 2026-W49") in Outline(gone.text).links


@pytest.mark.parametrize("entry_id", ["0", "abc", "99999999999999999999", "424242"])
def test_an_unknown_entry_is_an_html_404(client: httpx.Client, entry_id: str) -> None:
    response = client.get(f"/weeks/2026-W48/entries/{entry_id}")
    assert response.status_code == 404
    assert response.headers["content-type"] == HTML
    assert Outline(response.text).h1 == ["No such entry"]


def _refused(response: httpx.Response, words: str) -> None:
    assert response.status_code == 403
    assert response.headers["content-type"] == HTML
    assert Outline(response.text).h1 == ["Form refused"]
    assert words in response.text


FIELDS = {"date": "2026-11-29", "title": "Forged", "minutes": "5"}


def test_a_form_without_the_token_is_refused(client: httpx.Client) -> None:
    client.get("/weeks/2026-W48")  # the browser holds a cookie
    _refused(_post(client, "/weeks/2026-W48/entries", None, **FIELDS), "token does not match")
    _refused(_post(client, "/weeks/2026-W48/entries", "guess", **FIELDS), "token does not match")
    assert _week_entries(client, "2026-W48") == []


def test_a_form_without_the_cookie_is_refused(client: httpx.Client) -> None:
    token = form_token(client.get("/weeks/2026-W48").text)
    client.cookies.clear()
    _refused(_post(client, "/weeks/2026-W48/entries", token, **FIELDS), "no form token cookie")
    assert _week_entries(client, "2026-W48") == []


@pytest.mark.parametrize(
    ("headers", "words"),
    [
        ({"Origin": "https://evil.example"}, "another origin"),
        ({"Origin": "null"}, "another origin"),
        ({"Sec-Fetch-Site": "cross-site"}, "another site"),
        ({"Sec-Fetch-Site": "same-site"}, "another site"),
    ],
)
def test_a_cross_site_form_is_refused_even_with_the_token(
    client: httpx.Client, headers: dict[str, str], words: str
) -> None:
    token = form_token(client.get("/weeks/2026-W48").text)
    response = client.post(
        "/weeks/2026-W48/entries", data={**FIELDS, "csrf_token": token}, headers=headers
    )
    _refused(response, words)
    assert _week_entries(client, "2026-W48") == []


def test_a_same_origin_form_is_accepted(client: httpx.Client) -> None:
    token = form_token(client.get("/weeks/2026-W48").text)
    origin = str(client.base_url).rstrip("/")
    headers = {"Origin": origin, "Sec-Fetch-Site": "same-origin"}
    response = client.post(
        "/weeks/2026-W48/entries",
        data={**FIELDS, "csrf_token": token},
        headers=headers,
        follow_redirects=False,
    )
    assert response.status_code == 303


def test_the_token_cookie_is_set_once_and_hidden_from_scripts(client: httpx.Client) -> None:
    first = client.get("/weeks/2026-W48")
    cookie = first.headers["set-cookie"]
    assert cookie.startswith("semaine-csrf=")
    assert "HttpOnly" in cookie
    assert "SameSite=strict" in cookie
    second = client.get("/weeks/2026-W49")
    assert "set-cookie" not in second.headers
    assert form_token(first.text) == form_token(second.text) == client.cookies["semaine-csrf"]


@pytest.mark.parametrize(
    ("content", "content_type", "status", "words"),
    [
        (b'{"title": "x"}', "application/json", 415, "application/x-www-form-urlencoded"),
        (b"title=%FF", "application/x-www-form-urlencoded", 400, "could not be read"),
        (b"title=a&title=b", "application/x-www-form-urlencoded", 400, "more than once"),
        (b"t=" + b"a" * 70_000, "application/x-www-form-urlencoded", 413, "at most"),
    ],
)
def test_a_form_the_page_cannot_read_is_an_html_error(
    client: httpx.Client, content: bytes, content_type: str, status: int, words: str
) -> None:
    response = client.post(
        "/weeks/2026-W48/entries", content=content, headers={"Content-Type": content_type}
    )
    assert response.status_code == status
    assert response.headers["content-type"] == HTML
    assert words in response.text
    assert ("/weeks/2026-W48", "Back to week 2026-W48") in Outline(response.text).links


def test_a_form_to_a_bad_week_is_an_html_400(client: httpx.Client) -> None:
    response = client.post("/weeks/2026-W54/entries", data=FIELDS)
    assert response.status_code == 400
    assert Outline(response.text).h1 == ["Not a week"]
