"""GET /api/v1/weeks/current, /weeks/{week}, /dates/{date}/week, /months/{month}."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import pytest

from app.weeks import UnknownTimeZoneError, Week, current_week

if TYPE_CHECKING:
    from collections.abc import Callable

    import httpx

    ExpectProblem = Callable[..., dict[str, Any]]

pytestmark = pytest.mark.integration


@pytest.fixture
def client(shared_client: httpx.Client) -> httpx.Client:
    """Share one app per module: the week endpoints never write."""
    return shared_client


def test_a_week_by_label_lists_monday_to_sunday_and_its_neighbours(client: httpx.Client) -> None:
    response = client.get("/api/v1/weeks/2026-W48")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert "max-age" in response.headers["cache-control"]
    assert response.json() == {
        "week": "2026-W48",
        "iso_year": 2026,
        "iso_week": 48,
        "start": "2026-11-23",
        "end": "2026-11-29",
        "days": [f"2026-11-{day}" for day in range(23, 30)],
        "previous": "2026-W47",
        "next": "2026-W49",
    }


def test_the_day_form_of_a_label_names_its_week(client: httpx.Client) -> None:
    assert client.get("/api/v1/weeks/2026-W48-3").json()["week"] == "2026-W48"


def test_week_53_exists_only_in_53_week_years(
    client: httpx.Client, expect_problem: ExpectProblem
) -> None:
    assert client.get("/api/v1/weeks/2026-W53").json()["next"] == "2027-W01"
    expect_problem(client.get("/api/v1/weeks/2025-W53"), 400, "invalid-week", "52 ISO weeks")


@pytest.mark.parametrize(
    ("label", "previous", "following"),
    [("0001-W01", None, "0001-W02"), ("9999-W51", "9999-W50", None)],
)
def test_neighbours_are_null_at_the_representable_limits(
    client: httpx.Client, label: str, previous: str | None, following: str | None
) -> None:
    body = client.get(f"/api/v1/weeks/{label}").json()
    assert (body["previous"], body["next"]) == (previous, following)


@pytest.mark.parametrize(
    ("label", "kind", "hint"),
    [
        ("2026-48", "invalid-week", "YYYY-Www"),
        ("2026-w48", "invalid-week", "did you mean 2026-W48"),
        ("2026-W00", "invalid-week", "2026-W01..2026-W53"),
        ("2026-W48-8", "invalid-week", "no day 8"),
        ("0000-W01", "out-of-range", "0001-W01"),
        ("9999-W52", "out-of-range", "10000-01-02"),
        ("current-ish", "invalid-week", "e.g. 2026-W48"),
    ],
)
def test_a_bad_week_is_a_400_problem_saying_what_to_write(
    client: httpx.Client, expect_problem: ExpectProblem, label: str, kind: str, hint: str
) -> None:
    expect_problem(client.get(f"/api/v1/weeks/{label}"), 400, kind, hint)


def test_the_current_week_defaults_to_paris(client: httpx.Client) -> None:
    response = client.get("/api/v1/weeks/current")
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-cache"
    body = response.json()
    today = dt.datetime.now(ZoneInfo("Europe/Paris")).date()
    assert body["week"] == Week.from_date(today).label
    assert today.isoformat() in body["days"]


@pytest.mark.parametrize("zone", ["Pacific/Kiritimati", "Pacific/Pago_Pago", "UTC"])
def test_the_current_week_follows_the_time_zone(client: httpx.Client, zone: str) -> None:
    body = client.get("/api/v1/weeks/current", params={"tz": zone}).json()
    assert dt.datetime.now(ZoneInfo(zone)).date().isoformat() in body["days"]


@pytest.mark.parametrize("zone", ["Mars/Olympus_Mons", "../../etc/passwd", "", "Europe"])
def test_an_unknown_time_zone_is_a_400_problem(
    client: httpx.Client, expect_problem: ExpectProblem, zone: str
) -> None:
    response = client.get("/api/v1/weeks/current", params={"tz": zone})
    expect_problem(response, 400, "unknown-time-zone", "Europe/Paris")


@pytest.mark.parametrize(
    "zone",
    [
        "localtime",  # the host's zone: not a place a client can name
        "posixrules",
        "Factory",  # "time zone unknown": IANA's placeholder, offset 0, abbreviation -00
        "posix/Europe/Paris",  # the system database's copies, by their paths
        "right/Europe/Paris",  # ...and the one counting leap seconds
        "leapseconds",
        "europe/paris",
    ],
)
def test_a_system_name_that_zoneinfo_would_load_is_not_a_time_zone(
    client: httpx.Client, expect_problem: ExpectProblem, zone: str
) -> None:
    response = client.get("/api/v1/weeks/current", params={"tz": zone})
    expect_problem(
        response, 400, "unknown-time-zone", repr(zone), "IANA", "Europe/Paris", "localtime"
    )


@pytest.mark.parametrize("zone", ["localtime", "Factory", "Mars/Olympus_Mons", "../etc"])
def test_the_api_refuses_a_time_zone_with_the_message_of_app_weeks(
    client: httpx.Client, expect_problem: ExpectProblem, zone: str
) -> None:
    with pytest.raises(UnknownTimeZoneError) as raised:
        current_week(zone)

    response = client.get("/api/v1/weeks/current", params={"tz": zone})

    assert expect_problem(response, 400, "unknown-time-zone")["detail"] == str(raised.value)


@pytest.mark.parametrize("zone", ["Europe/Paris", "America/Argentina/Buenos_Aires", "Etc/GMT+5"])
def test_iana_names_and_their_aliases_are_time_zones(client: httpx.Client, zone: str) -> None:
    assert client.get("/api/v1/weeks/current", params={"tz": zone}).status_code == 200
    assert client.get("/api/v1/weeks/current", params={"tz": "US/Pacific"}).status_code == 200


def test_an_oversized_time_zone_is_a_422_problem(
    client: httpx.Client, expect_problem: ExpectProblem
) -> None:
    response = client.get("/api/v1/weeks/current", params={"tz": "A" * 500})
    body = expect_problem(response, 422, "validation-error", "query.tz")
    assert body["errors"][0]["location"] == "query.tz"


def test_the_week_of_a_date(client: httpx.Client) -> None:
    body = client.get("/api/v1/dates/2027-01-01/week").json()
    assert (body["week"], body["start"], body["end"]) == ("2026-W53", "2026-12-28", "2027-01-03")


@pytest.mark.parametrize(
    ("text", "kind", "hint"),
    [
        ("2026-02-30", "invalid-date", "28 days"),
        ("2026-13-01", "invalid-date", "month 13"),
        ("2026-1-5", "invalid-date", "did you mean 2026-01-05"),
        ("20261123", "invalid-date", "dashes"),
        ("0000-01-01", "out-of-range", "0001-01-01"),
        ("9999-12-31", "out-of-range", "10000-01-02"),
    ],
)
def test_a_bad_date_is_a_400_problem(
    client: httpx.Client, expect_problem: ExpectProblem, text: str, kind: str, hint: str
) -> None:
    expect_problem(client.get(f"/api/v1/dates/{text}/week"), 400, kind, hint)


def test_a_month_is_its_monday_first_weeks(client: httpx.Client) -> None:
    response = client.get("/api/v1/months/2026-02")
    assert response.status_code == 200
    body = response.json()
    assert body["month"] == "2026-02"
    assert [row["week"] for row in body["weeks"]] == [f"2026-W{n:02d}" for n in range(5, 10)]
    first = body["weeks"][0]["days"]
    assert first[0] == {"date": "2026-01-26", "in_month": False}
    assert first[6] == {"date": "2026-02-01", "in_month": True}
    in_month = [cell["date"] for row in body["weeks"] for cell in row["days"] if cell["in_month"]]
    assert len(in_month) == 28


@pytest.mark.parametrize(
    ("text", "kind"),
    [("2026-13", "invalid-month"), ("2026-1", "invalid-month"), ("9999-12", "out-of-range")],
)
def test_a_bad_month_is_a_400_problem(
    client: httpx.Client, expect_problem: ExpectProblem, text: str, kind: str
) -> None:
    expect_problem(client.get(f"/api/v1/months/{text}"), 400, kind, text)


# The path, the first and last values served, two just outside, and what the detail says.
RANGES = [
    ("/api/v1/weeks/{}", "weeks", "0001-W01", "9999-W51", ["0000-W52", "9999-W52"]),
    ("/api/v1/dates/{}/week", "dates", "0001-01-01", "9999-12-26", ["0000-12-31", "9999-12-27"]),
    ("/api/v1/months/{}", "months", "0001-01", "9999-11", ["0000-12", "9999-12"]),
]


@pytest.mark.parametrize("served", RANGES, ids=[kind for _, kind, *_ in RANGES])
def test_out_of_range_answers_state_exactly_the_range_served(
    client: httpx.Client, expect_problem: ExpectProblem, served: tuple[Any, ...]
) -> None:
    template, kind, first, last, outside = served
    assert client.get(template.format(first)).status_code == 200
    assert client.get(template.format(last)).status_code == 200
    for text in outside:
        response = client.get(template.format(text))
        expect_problem(response, 400, "out-of-range", f"{kind} run from {first} ", f" to {last}")
