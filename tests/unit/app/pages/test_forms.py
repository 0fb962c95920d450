"""An entry form checked with the API's own rules, one message per field."""

from __future__ import annotations

import datetime as dt

import pytest

from app.pages.forms import check_entry


def test_a_good_form_gives_the_apis_entry() -> None:
    checked = check_entry({"date": "2026-11-29", "title": "Run", "minutes": " 45 "})
    assert checked.errors == {}
    assert checked.entry is not None
    assert (checked.entry.date, checked.entry.title, checked.entry.minutes) == (
        dt.date(2026, 11, 29),
        "Run",
        45,
    )
    assert checked.values["minutes"] == " 45 "  # as typed, for a re-render


@pytest.mark.parametrize("minutes", ["", "x", "30.0", "-1", "1e3", "\uff13\uff10"])
def test_minutes_must_be_ascii_digits(minutes: str) -> None:
    checked = check_entry({"date": "2026-11-29", "title": "Run", "minutes": minutes})
    assert checked.entry is None
    assert set(checked.errors) == {"minutes"}
    assert "whole number from 0 to 1440" in checked.errors["minutes"]


def test_other_fields_are_still_checked_when_the_minutes_fail() -> None:
    checked = check_entry({"date": "2026-02-30", "title": "", "minutes": "x"})
    assert set(checked.errors) == {"date", "title", "minutes"}
    assert "February 2026 has 28 days" in checked.errors["date"]
    assert not checked.errors["date"].startswith("Value error")


def test_missing_fields_count_as_empty() -> None:
    checked = check_entry({})
    assert set(checked.errors) == {"date", "title", "minutes"}
    assert checked.values == {"date": "", "title": "", "minutes": ""}
