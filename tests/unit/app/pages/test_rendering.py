"""How the pages write durations, dates and months for people."""

from __future__ import annotations

import datetime as dt

import pytest

from app.pages.rendering import duration, long_date, month_name, short_date


@pytest.mark.parametrize(
    ("minutes", "text"), [(0, "0 min"), (45, "45 min"), (60, "1 h"), (95, "1 h 35 min")]
)
def test_durations_read_naturally(minutes: int, text: str) -> None:
    assert duration(minutes) == text


def test_long_dates_name_the_weekday() -> None:
    assert long_date(dt.date(2026, 11, 23)) == "Monday 23 November 2026"
    assert long_date(dt.date(1, 1, 1)) == "Monday 1 January 0001"


def test_short_dates_and_month_names() -> None:
    assert short_date(dt.date(2026, 12, 28)) == "Mon 28 Dec"
    assert month_name(2027, 1) == "January 2027"
