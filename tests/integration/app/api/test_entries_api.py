"""Entries: POST, GET, PATCH, DELETE /api/v1/entries and GET /api/v1/weeks/{week}/entries."""

from __future__ import annotations

import datetime as dt
import json
from typing import TYPE_CHECKING, Any

import psycopg
import pytest

if TYPE_CHECKING:
    from collections.abc import Callable

    import httpx

    ExpectProblem = Callable[..., dict[str, Any]]

pytestmark = pytest.mark.integration

ENTRY_KEYS = {"id", "date", "title", "minutes", "week", "created_at", "updated_at"}


def create(
    client: httpx.Client, day: str, title: str = "Work", minutes: int = 30
) -> dict[str, Any]:
    response = client.post(
        "/api/v1/entries", json={"date": day, "title": title, "minutes": minutes}
    )
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def stored_week_fields(database_url: str, entry_id: int) -> tuple[Any, ...]:
    with psycopg.connect(database_url) as connection:
        row = connection.execute(
            "SELECT entry_date, week_start, iso_year, iso_week FROM entries WHERE id = %s",
            (entry_id,),
        ).fetchone()
    assert row is not None
    return tuple(row)


def test_create_answers_201_with_location_and_the_entry(
    client: httpx.Client, database_url: str
) -> None:
    response = client.post(
        "/api/v1/entries", json={"date": "2027-01-01", "title": "New year", "minutes": 90}
    )
    assert response.status_code == 201
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert set(body) == ENTRY_KEYS
    assert response.headers["location"] == f"/api/v1/entries/{body['id']}"
    assert (body["date"], body["title"], body["minutes"], body["week"]) == (
        "2027-01-01",
        "New year",
        90,
        "2026-W53",
    )
    created = dt.datetime.fromisoformat(body["created_at"])
    assert created.tzinfo is not None
    assert abs(dt.datetime.now(dt.UTC) - created) < dt.timedelta(minutes=5)
    assert body["updated_at"] == body["created_at"]
    assert stored_week_fields(database_url, body["id"]) == (
        dt.date(2027, 1, 1),
        dt.date(2026, 12, 28),
        2026,
        53,
    )
    assert client.get(response.headers["location"]).json() == body


@pytest.mark.parametrize("title", ["x", "é" * 200, "Ünïcødé 🗓", "<b>&amp;</b>"])
def test_titles_of_1_to_200_characters_are_stored_as_given(
    client: httpx.Client, title: str
) -> None:
    assert create(client, "2026-11-23", title)["title"] == title


@pytest.mark.parametrize("minutes", [0, 1440])
def test_minutes_bounds_are_inclusive(client: httpx.Client, minutes: int) -> None:
    assert create(client, "2026-11-23", minutes=minutes)["minutes"] == minutes


def test_patch_changes_only_the_given_fields(client: httpx.Client, database_url: str) -> None:
    entry = create(client, "2026-11-23", "Draft", 10)
    url = f"/api/v1/entries/{entry['id']}"
    renamed = client.patch(url, json={"title": "Final"})
    assert renamed.status_code == 200
    assert (renamed.json()["title"], renamed.json()["minutes"]) == ("Final", 10)
    assert renamed.json()["updated_at"] > entry["updated_at"]
    moved = client.patch(url, json={"date": "2026-12-31", "minutes": 5}).json()
    assert (moved["date"], moved["week"], moved["minutes"], moved["title"]) == (
        "2026-12-31",
        "2026-W53",
        5,
        "Final",
    )
    assert moved["created_at"] == entry["created_at"]
    assert stored_week_fields(database_url, entry["id"])[1:] == (dt.date(2026, 12, 28), 2026, 53)
    assert client.get(url).json() == moved


def test_delete_removes_the_entry(client: httpx.Client, expect_problem: ExpectProblem) -> None:
    url = f"/api/v1/entries/{create(client, '2026-11-23')['id']}"
    response = client.delete(url)
    assert (response.status_code, response.content) == (204, b"")
    expect_problem(client.get(url), 404, "not-found", "no entry")
    expect_problem(client.delete(url), 404, "not-found", "no entry")


@pytest.mark.parametrize("method", ["GET", "PATCH", "DELETE"])
def test_an_unknown_id_is_a_404_problem(
    shared_client: httpx.Client, expect_problem: ExpectProblem, method: str
) -> None:
    response = shared_client.request(method, "/api/v1/entries/424242", json={"title": "x"})
    expect_problem(response, 404, "not-found", "424242")


@pytest.mark.parametrize("entry_id", ["abc", "1.5", "0", "-1", str(2**63), "9" * 40, "1e3"])
@pytest.mark.parametrize("method", ["GET", "PATCH", "DELETE"])
def test_an_id_that_is_not_a_positive_bigint_is_a_422_problem(
    shared_client: httpx.Client, expect_problem: ExpectProblem, method: str, entry_id: str
) -> None:
    response = shared_client.request(method, f"/api/v1/entries/{entry_id}", json={"title": "x"})
    body = expect_problem(response, 422, "validation-error", "path.entry_id")
    assert body["errors"][0]["location"] == "path.entry_id"


# Rejections and unknown ids: no other test's rows change these answers, so the tests
# below share one app (and database) per module instead of starting their own.
GOOD = {"date": "2026-11-23", "title": "Work", "minutes": 30}


@pytest.mark.parametrize(
    ("change", "location", "words"),
    [
        ({"title": ""}, "body.title", "at least 1 character"),
        ({"title": "   "}, "body.title", "visible character"),
        ({"title": "x" * 201}, "body.title", "at most 200 characters"),
        ({"title": "a\x00b"}, "body.title", "NUL"),
        ({"title": 42}, "body.title", "valid string"),
        ({"minutes": -1}, "body.minutes", "greater than or equal to 0"),
        ({"minutes": 1441}, "body.minutes", "less than or equal to 1440"),
        ({"minutes": 10**30}, "body.minutes", "less than or equal to 1440"),
        ({"minutes": 1.5}, "body.minutes", "valid integer"),
        ({"minutes": "30"}, "body.minutes", "valid integer"),
        ({"minutes": True}, "body.minutes", "valid integer"),
        ({"date": "2026-02-30"}, "body.date", "28 days"),
        ({"date": "23/11/2026"}, "body.date", "YYYY-MM-DD"),
        ({"date": 20261123}, "body.date", "expected text"),
        ({"date": "9999-12-31"}, "body.date", "out of range"),
        ({"date": "0000-12-31"}, "body.date", "out of range"),
        ({"colour": "red"}, "body.colour", "Extra inputs"),
    ],
)
def test_an_invalid_field_is_a_422_problem_naming_it(
    shared_client: httpx.Client,
    expect_problem: ExpectProblem,
    change: dict[str, Any],
    location: str,
    words: str,
) -> None:
    entry = create(shared_client, "2026-11-23")
    for response in (
        shared_client.post("/api/v1/entries", json={**GOOD, **change}),
        shared_client.patch(f"/api/v1/entries/{entry['id']}", json=change),
    ):
        body = expect_problem(response, 422, "validation-error", words)
        assert location in [error["location"] for error in body["errors"]]


def test_a_lone_surrogate_in_a_title_is_a_422_problem(
    shared_client: httpx.Client, expect_problem: ExpectProblem
) -> None:
    raw = b'{"date": "2026-11-23", "title": "\\ud800", "minutes": 1}'
    response = shared_client.post(
        "/api/v1/entries", content=raw, headers={"content-type": "application/json"}
    )
    expect_problem(response, 422, "validation-error", "valid string")


def test_missing_fields_are_each_listed(
    shared_client: httpx.Client, expect_problem: ExpectProblem
) -> None:
    body = expect_problem(shared_client.post("/api/v1/entries", json={}), 422, "validation-error")
    assert sorted(error["location"] for error in body["errors"]) == [
        "body.date",
        "body.minutes",
        "body.title",
    ]


@pytest.mark.parametrize("body", [[], [GOOD], "text", 3, None])
def test_a_body_that_is_not_an_object_is_a_422_problem(
    shared_client: httpx.Client, expect_problem: ExpectProblem, body: object
) -> None:
    response = shared_client.post(
        "/api/v1/entries", content=json.dumps(body), headers={"content-type": "application/json"}
    )
    expect_problem(response, 422, "validation-error")


@pytest.mark.parametrize("patch", [{}, {"title": None}, {"date": None, "minutes": 3}])
def test_a_patch_must_change_something_and_never_to_null(
    shared_client: httpx.Client, expect_problem: ExpectProblem, patch: dict[str, Any]
) -> None:
    url = f"/api/v1/entries/{create(shared_client, '2026-11-23')['id']}"
    expect_problem(shared_client.patch(url, json=patch), 422, "validation-error", "body")


@pytest.mark.parametrize("content", [b"{", b'{"date": }', b"\xff\xfe", b"[" * 60_000, b""])
def test_malformed_json_is_a_400_problem(
    shared_client: httpx.Client, expect_problem: ExpectProblem, content: bytes
) -> None:
    headers = {"content-type": "application/json"}
    response = shared_client.post("/api/v1/entries", content=content, headers=headers)
    expect_problem(response, 400, "malformed-json", "not valid JSON")


@pytest.mark.parametrize(
    "content_type", ["text/plain", "application/x-www-form-urlencoded", "application/xml", None]
)
@pytest.mark.parametrize("method", ["POST", "PATCH"])
def test_a_body_that_is_not_json_is_a_415_problem(
    shared_client: httpx.Client,
    expect_problem: ExpectProblem,
    method: str,
    content_type: str | None,
) -> None:
    headers = {} if content_type is None else {"content-type": content_type}
    url = "/api/v1/entries" if method == "POST" else "/api/v1/entries/1"
    response = shared_client.request(method, url, content=b'{"title": "x"}', headers=headers)
    expect_problem(response, 415, "unsupported-media-type", "application/json")


def test_a_json_suffix_media_type_with_charset_is_accepted(client: httpx.Client) -> None:
    response = client.post(
        "/api/v1/entries",
        content=b'{"date": "2026-11-23", "title": "x", "minutes": 1}',
        headers={"content-type": "application/merge-patch+json; charset=utf-8"},
    )
    assert response.status_code == 201


def test_an_oversized_body_is_a_413_problem(
    client: httpx.Client, expect_problem: ExpectProblem
) -> None:
    response = client.post("/api/v1/entries", json={**GOOD, "title": "x" * 70_000})
    expect_problem(response, 413, "body-too-large", "at most 65536")


def test_a_weeks_entries_run_monday_to_sunday_with_totals(client: httpx.Client) -> None:
    outside_before = create(client, "2026-11-22", "Sunday before", 100)
    sunday = create(client, "2026-11-29", "Sunday", 45)
    first = create(client, "2026-11-23", "Monday one", 30)
    second = create(client, "2026-11-23", "Monday two", 15)
    outside_after = create(client, "2026-11-30", "Monday after", 100)
    response = client.get("/api/v1/weeks/2026-W48/entries")
    assert response.status_code == 200
    body = response.json()
    assert (body["week"], body["start"], body["end"], body["total_minutes"]) == (
        "2026-W48",
        "2026-11-23",
        "2026-11-29",
        90,
    )
    assert [day["date"] for day in body["days"]] == [f"2026-11-{d}" for d in range(23, 30)]
    assert [day["total_minutes"] for day in body["days"]] == [45, 0, 0, 0, 0, 0, 45]
    assert body["days"][0]["entries"] == [first, second]
    assert body["days"][6]["entries"] == [sunday]
    listed = {entry["id"] for day in body["days"] for entry in day["entries"]}
    assert listed.isdisjoint({outside_before["id"], outside_after["id"]})


def test_an_empty_week_has_seven_empty_days(client: httpx.Client) -> None:
    body = client.get("/api/v1/weeks/2026-W01/entries").json()
    assert [(day["entries"], day["total_minutes"]) for day in body["days"]] == [([], 0)] * 7
    assert body["total_minutes"] == 0


def test_a_bad_week_of_entries_is_a_400_problem(
    client: httpx.Client, expect_problem: ExpectProblem
) -> None:
    expect_problem(client.get("/api/v1/weeks/2025-W53/entries"), 400, "invalid-week", "52")


@pytest.mark.parametrize(
    ("day", "week"),
    [("0001-01-01", "0001-W01"), ("0999-12-31", "1000-W01"), ("2021-01-03", "2020-W53")],
)
def test_the_sql_week_label_matches_the_week_arithmetic(
    client: httpx.Client, day: str, week: str
) -> None:
    entry = create(client, day)
    assert entry["week"] == week
    listed = client.get(f"/api/v1/weeks/{week}/entries").json()
    assert [e for d in listed["days"] for e in d["entries"]] == [entry]
