"""The tests' legacy (Sunday-first) week rule is right, so the migration tests can trust it."""

from datetime import date, timedelta

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from app.weeks import OutOfRangeError, Week
from tests.legacy_weeks import legacy_week_start

ONE_DAY = timedelta(days=1)
ONE_WEEK = timedelta(days=7)
LAST_DAY = date(9999, 12, 26)


@pytest.mark.parametrize(
    ("day", "start"),
    [
        (date(2026, 11, 29), date(2026, 11, 29)),  # a Sunday starts its own legacy week
        (date(2026, 11, 30), date(2026, 11, 29)),
        (date(2026, 12, 5), date(2026, 11, 29)),  # Saturday: six days back
        (date(2027, 1, 1), date(2026, 12, 27)),
        (date(1, 1, 7), date(1, 1, 7)),
        (date.max, LAST_DAY),
    ],
)
def test_legacy_week_start(day: date, start: date) -> None:
    assert legacy_week_start(day) == start


@pytest.mark.parametrize("day", [date.min, date(1, 1, 6)])
def test_legacy_week_start_before_the_first_sunday_is_out_of_range(day: date) -> None:
    with pytest.raises(OutOfRangeError, match=r"no legacy week start.*0000-12-31"):
        legacy_week_start(day)


@given(st.dates(min_value=date(1, 1, 7)))
def test_legacy_week_start_is_the_sunday_on_or_before(day: date) -> None:
    start = legacy_week_start(day)
    assert start.isoweekday() == 7
    assert start <= day < start + ONE_WEEK


@given(st.dates(min_value=date(1, 1, 7), max_value=LAST_DAY))
def test_legacy_week_start_is_the_day_before_the_iso_monday_except_on_sunday(day: date) -> None:
    assume(day.isoweekday() != 7)
    assert legacy_week_start(day) == Week.from_date(day).monday - ONE_DAY
