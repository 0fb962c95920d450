"""Unit and property tests of app.weeks, checked against the standard library's calendar."""

from __future__ import annotations

import contextlib
import dataclasses
import itertools
import pickle
import re
from datetime import UTC, date, datetime, timedelta, timezone
from importlib.resources import files
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.weeks import (
    DEFAULT_TIME_ZONE,
    FIRST_WEEK,
    LAST_WEEK,
    CalendarError,
    GridDay,
    GridWeek,
    InvalidDateError,
    InvalidMonthError,
    InvalidWeekError,
    OutOfRangeError,
    UnknownTimeZoneError,
    Week,
    current_week,
    month_grid,
    parse_date,
    parse_month,
    parse_week_day,
    weeks_in_year,
)

if TYPE_CHECKING:
    from collections.abc import Callable

LAST_DAY = date(9999, 12, 26)  # the Sunday of 9999-W51, the last representable week
ONE_DAY = timedelta(days=1)
ONE_WEEK = timedelta(days=7)
PARIS = ZoneInfo("Europe/Paris")
FULLWIDTH_2026 = "\uff12\uff10\uff12\uff16"  # full-width digits: a regex \d would accept them

representable_days = st.dates(max_value=LAST_DAY)
weeks = representable_days.map(Week.from_date)
months = st.tuples(st.integers(1, 9999), st.integers(1, 12)).filter(lambda m: m != (9999, 12))


def long_year(year: int) -> bool:
    """Tell whether an ISO year has 53 weeks by the textbook rule, independently of app.weeks."""

    def p(y: int) -> int:
        return (y + y // 4 - y // 100 + y // 400) % 7

    return p(year) == 4 or p(year - 1) == 3


# ---------------------------------------------------------------- errors


@pytest.mark.parametrize(
    "error",
    [InvalidWeekError, InvalidDateError, InvalidMonthError, UnknownTimeZoneError, OutOfRangeError],
)
def test_every_error_is_a_calendar_error_and_a_value_error(error: type[Exception]) -> None:
    assert issubclass(error, CalendarError)
    assert issubclass(error, ValueError)


def test_default_time_zone_is_paris() -> None:
    assert DEFAULT_TIME_ZONE == "Europe/Paris"


# ---------------------------------------------------------------- weeks_in_year


@pytest.mark.parametrize("year", [2004, 2009, 2015, 2020, 2026, 2032, 2037, 9998])
def test_long_years_have_53_weeks(year: int) -> None:
    assert weeks_in_year(year) == 53


@pytest.mark.parametrize("year", [1, 2021, 2022, 2023, 2024, 2025, 2027, 2100, 9999])
def test_other_years_have_52_weeks(year: int) -> None:
    assert weeks_in_year(year) == 52


@given(st.integers(1, 9999))
def test_weeks_in_year_follows_the_textbook_rule(year: int) -> None:
    assert weeks_in_year(year) == (53 if long_year(year) else 52)


@pytest.mark.parametrize("year", [0, -1, 10000])
def test_weeks_in_year_out_of_range(year: int) -> None:
    with pytest.raises(OutOfRangeError, match=rf"ISO year {year} is out of range.*0001 to 9999"):
        weeks_in_year(year)


@pytest.mark.parametrize("year", ["2026", 2026.0, True, None])
def test_weeks_in_year_wants_an_int(year: object) -> None:
    with pytest.raises(InvalidWeekError, match="ISO year must be an int"):
        weeks_in_year(year)  # type: ignore[arg-type]


# ---------------------------------------------------------------- Week: construction


def test_of_builds_the_week() -> None:
    week = Week.of(2026, 48)
    assert (week.iso_year, week.iso_week) == (2026, 48)
    assert week == Week(2026, 48)


@pytest.mark.parametrize("year", [2020, 2026])
def test_week_53_exists_in_long_years(year: int) -> None:
    assert Week.of(year, 53).label == f"{year}-W53"


def test_week_53_of_a_short_year_is_invalid_and_says_how_many_weeks() -> None:
    with pytest.raises(InvalidWeekError, match=r"2021 has 52 ISO weeks \(2021-W01\.\.2021-W52\)"):
        Week.of(2021, 53)


@pytest.mark.parametrize(("year", "week"), [(2026, 0), (2026, 54), (2026, -1), (2021, 99)])
def test_week_number_outside_the_year_is_invalid(year: int, week: int) -> None:
    with pytest.raises(InvalidWeekError, match=rf"week {week} of {year} does not exist"):
        Week.of(year, week)


@pytest.mark.parametrize(("year", "week"), [(0, 1), (10000, 1), (-5, 10)])
def test_year_outside_0001_9999_is_out_of_range(year: int, week: int) -> None:
    with pytest.raises(OutOfRangeError, match="out of range"):
        Week.of(year, week)


def test_9999_w52_is_out_of_range_because_its_sunday_does_not_exist() -> None:
    assert weeks_in_year(9999) == 52  # the week exists in the calendar...
    with pytest.raises(OutOfRangeError, match=r"9999-W52 is out of range.*10000-01-02"):
        Week.of(9999, 52)  # ...but not as seven dates


def test_direct_construction_validates_too() -> None:
    with pytest.raises(InvalidWeekError):
        Week(2021, 53)
    with pytest.raises(InvalidWeekError):
        dataclasses.replace(Week(2026, 48), iso_week=60)


@pytest.mark.parametrize(
    ("year", "week", "name"),
    [
        ("2026", 48, "ISO year"),
        (True, 1, "ISO year"),
        (2026, 48.0, "ISO week"),
        (2026, None, "ISO week"),
    ],
)
def test_week_fields_must_be_ints(year: object, week: object, name: str) -> None:
    with pytest.raises(InvalidWeekError, match=f"{name} must be an int"):
        Week.of(year, week)  # type: ignore[arg-type]


def test_week_is_frozen_slotted_hashable_and_picklable() -> None:
    week = Week.of(2026, 48)
    with pytest.raises(dataclasses.FrozenInstanceError):
        week.iso_week = 49  # type: ignore[misc]
    assert not hasattr(week, "__dict__")
    assert {week, Week.of(2026, 48), Week.from_date(date(2026, 11, 25))} == {week}
    assert pickle.loads(pickle.dumps(week)) == week  # noqa: S301  our own bytes


def test_weeks_order_chronologically() -> None:
    assert Week.of(2026, 53) < Week.of(2027, 1) < Week.of(2027, 2)
    assert sorted([Week.of(2027, 1), Week.of(2020, 53), Week.of(2026, 9)]) == [
        Week.of(2020, 53),
        Week.of(2026, 9),
        Week.of(2027, 1),
    ]


def test_label_and_str() -> None:
    assert Week.of(2026, 48).label == "2026-W48"
    assert str(Week.of(2026, 1)) == "2026-W01"
    assert str(FIRST_WEEK) == "0001-W01"


def test_monday_sunday_days() -> None:
    week = Week.of(2026, 48)
    assert week.monday == date(2026, 11, 23)
    assert week.sunday == date(2026, 11, 29)
    assert week.days == tuple(date(2026, 11, 23) + i * ONE_DAY for i in range(7))


# ---------------------------------------------------------------- Week.from_date: edges


@pytest.mark.parametrize(
    ("day", "year", "week"),
    [
        # 1 January in the last week of the previous ISO year
        (date(2021, 1, 1), 2020, 53),
        (date(2021, 1, 3), 2020, 53),
        (date(2027, 1, 1), 2026, 53),
        (date(2022, 1, 1), 2021, 52),
        (date(2023, 1, 1), 2022, 52),
        (date(2016, 1, 3), 2015, 53),
        # 29-31 December in week 1 of the next ISO year
        (date(2024, 12, 30), 2025, 1),
        (date(2024, 12, 31), 2025, 1),
        (date(2025, 12, 29), 2026, 1),
        (date(2019, 12, 31), 2020, 1),
        (date(2014, 12, 29), 2015, 1),
        # ordinary days
        (date(2021, 1, 4), 2021, 1),
        (date(2026, 11, 25), 2026, 48),
        (date(2026, 12, 31), 2026, 53),
        # the representable range
        (date.min, 1, 1),
        (date(1, 1, 7), 1, 1),
        (date(9999, 12, 20), 9999, 51),
        (LAST_DAY, 9999, 51),
    ],
)
def test_from_date_edges(day: date, year: int, week: int) -> None:
    assert Week.from_date(day) == Week.of(year, week)


@pytest.mark.parametrize("day", [date(9999, 12, 27), date(9999, 12, 30), date.max])
def test_from_date_past_the_last_representable_week_is_out_of_range(day: date) -> None:
    with pytest.raises(OutOfRangeError, match=rf"{day.isoformat()} is in 9999-W52.*9999-W51"):
        Week.from_date(day)


def test_from_date_accepts_a_datetime() -> None:
    assert Week.from_date(datetime(2026, 11, 29, 23, 59, tzinfo=UTC)) == Week.of(2026, 48)


def test_first_and_last_week() -> None:
    assert Week.of(1, 1) == FIRST_WEEK
    assert FIRST_WEEK.monday == date.min
    assert Week.of(9999, 51) == LAST_WEEK
    assert LAST_WEEK.sunday == LAST_DAY
    assert LAST_WEEK.days[-1] == LAST_DAY
    assert FIRST_WEEK.days[0] == date.min


# ---------------------------------------------------------------- next / previous


@pytest.mark.parametrize(
    ("week", "following"),
    [
        (Week(2026, 48), Week(2026, 49)),
        (Week(2026, 52), Week(2026, 53)),
        (Week(2026, 53), Week(2027, 1)),
        (Week(2021, 52), Week(2022, 1)),
        (Week(2020, 53), Week(2021, 1)),
        (FIRST_WEEK, Week(1, 2)),
        (Week(9999, 50), LAST_WEEK),
    ],
)
def test_next_and_previous(week: Week, following: Week) -> None:
    assert week.next() == following
    assert following.previous() == week


def test_no_week_after_the_last() -> None:
    with pytest.raises(OutOfRangeError, match="9999-W51 is the last representable week"):
        LAST_WEEK.next()


def test_no_week_before_the_first() -> None:
    with pytest.raises(OutOfRangeError, match="0001-W01 is the first representable week"):
        FIRST_WEEK.previous()


# ---------------------------------------------------------------- Week: properties


@given(st.dates())
def test_from_date_agrees_with_isocalendar(day: date) -> None:
    iso = day.isocalendar()
    if (iso.year, iso.week) == (9999, 52):
        with pytest.raises(OutOfRangeError):
            Week.from_date(day)
        return
    week = Week.from_date(day)
    assert (week.iso_year, week.iso_week) == (iso.year, iso.week)
    assert week.contains(day)
    assert week.monday <= day <= week.sunday
    assert week.days[iso.weekday - 1] == day
    assert date.fromisocalendar(week.iso_year, week.iso_week, iso.weekday) == day


@given(weeks)
def test_week_shape(week: Week) -> None:
    assert week.monday.isoweekday() == 1
    assert week.sunday.isoweekday() == 7
    assert week.sunday - week.monday == 6 * ONE_DAY
    assert week.monday == date.fromisocalendar(week.iso_year, week.iso_week, 1)
    assert len(week.days) == 7
    assert week.days[0] == week.monday
    assert week.days[-1] == week.sunday
    assert all(b - a == ONE_DAY for a, b in itertools.pairwise(week.days))
    assert all(week.contains(d) and Week.from_date(d) == week for d in week.days)
    assert not week.contains(week.monday - ONE_DAY)
    if week != LAST_WEEK:
        assert not week.contains(week.sunday + ONE_DAY)
    assert 1 <= week.iso_week <= weeks_in_year(week.iso_year)


@given(weeks)
def test_week_text_round_trips(week: Week) -> None:
    assert Week.parse(week.label) == week
    assert Week.parse(str(week)) == week
    assert Week.of(week.iso_year, week.iso_week) == week
    for day in range(1, 8):
        text = f"{week.label}-{day}"
        assert Week.parse(text) == week
        assert parse_week_day(text) == date.fromisocalendar(week.iso_year, week.iso_week, day)


@given(weeks)
def test_next_and_previous_are_inverse(week: Week) -> None:
    if week != LAST_WEEK:
        following = week.next()
        assert following > week
        assert following.monday == week.monday + ONE_WEEK
        assert following.previous() == week
    if week != FIRST_WEEK:
        preceding = week.previous()
        assert preceding < week
        assert preceding.sunday == week.monday - ONE_DAY
        assert preceding.next() == week


@given(weeks, weeks)
def test_week_order_is_the_order_of_their_mondays(a: Week, b: Week) -> None:
    assert (a < b) == (a.monday < b.monday)
    assert (a == b) == (a.monday == b.monday)


@given(st.integers(), st.integers())
def test_of_returns_a_week_or_a_calendar_error(year: int, week: int) -> None:
    try:
        built = Week.of(year, week)
    except CalendarError:
        return
    assert built.days[0] == date.fromisocalendar(year, week, 1)


# ---------------------------------------------------------------- Week.parse / parse_week_day


def test_parse_week_and_day_form() -> None:
    assert Week.parse("2026-W48") == Week.of(2026, 48)
    assert Week.parse("2026-W48-3") == Week.of(2026, 48)
    assert Week.parse("0001-W01") == FIRST_WEEK
    assert Week.parse("9999-W51-7") == LAST_WEEK
    assert parse_week_day("2026-W48-3") == date(2026, 11, 25)
    assert parse_week_day("2026-W53-7") == date(2027, 1, 3)
    assert parse_week_day("2020-W01-1") == date(2019, 12, 30)
    assert parse_week_day("9999-W51-7") == LAST_DAY


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        ("2026w48", "did you mean 2026-W48?"),
        ("2026-w48", "did you mean 2026-W48?"),
        ("2026W48", "did you mean 2026-W48?"),
        ("2026-W5", "did you mean 2026-W05?"),
        (" 2026-W48\n", "did you mean 2026-W48?"),
        ("2026-W48\n", "did you mean 2026-W48?"),
        ("2026-w48-3", "did you mean 2026-W48-3?"),
    ],
)
def test_parse_week_near_misses_suggest_the_right_text(text: str, hint: str) -> None:
    with pytest.raises(
        InvalidWeekError, match=r"is not a week: use YYYY-Www, e\.g\. 2026-W48"
    ) as info:
        Week.parse(text)
    assert str(info.value).endswith(hint)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "abc",
        "2026-48",
        "26-W48",
        "2026-W048",
        "2026-W54x",
        FULLWIDTH_2026 + "-W48",
        "2026-W48-",
        "2026-W60w",
    ],
)
def test_parse_week_rejects_other_shapes_without_a_wrong_hint(text: str) -> None:
    with pytest.raises(
        InvalidWeekError, match=r"is not a week: use YYYY-Www, e\.g\. 2026-W48"
    ) as info:
        Week.parse(text)
    assert "did you mean" not in str(info.value)


def test_parse_week_does_not_suggest_a_week_that_does_not_exist() -> None:
    with pytest.raises(InvalidWeekError) as info:
        Week.parse("2021w53")
    assert "did you mean" not in str(info.value)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2026-W54", r"'2026-W54' is not a week: 2026 has 53 ISO weeks \(2026-W01\.\.2026-W53\)"),
        ("2021-W53", r"'2021-W53' is not a week: 2021 has 52 ISO weeks \(2021-W01\.\.2021-W52\)"),
        ("2026-W00", r"2026 has 53 ISO weeks.*use YYYY-Www, e\.g\. 2026-W48"),
        ("2021-W53-1", r"2021 has 52 ISO weeks"),
    ],
)
def test_parse_week_numbers_that_do_not_exist(text: str, message: str) -> None:
    with pytest.raises(InvalidWeekError, match=message):
        Week.parse(text)


@pytest.mark.parametrize("text", ["2026-W48-0", "2026-W48-8", "2026-W48-9"])
def test_parse_week_day_number_must_be_1_to_7(text: str) -> None:
    with pytest.raises(InvalidWeekError, match=rf"has no day {text[-1]}: .*1 \(Monday\) to 7"):
        Week.parse(text)
    with pytest.raises(InvalidDateError, match=rf"has no day {text[-1]}"):
        parse_week_day(text)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("0000-W01", r"'0000-W01' is out of range: weeks run from 0001-W01"),
        ("9999-W52", r"'9999-W52' is out of range: 9999-W52 would end on 10000-01-02"),
        ("9999-W52-1", r"out of range"),
    ],
)
def test_parse_week_out_of_range(text: str, message: str) -> None:
    with pytest.raises(OutOfRangeError, match=message):
        Week.parse(text)


def test_parse_week_day_out_of_range_follows_its_week() -> None:
    # 9999-12-27 is a date, but its week is not representable: one rule for both parsers.
    with pytest.raises(OutOfRangeError):
        parse_week_day("9999-W52-1")


def test_parse_week_day_needs_the_day() -> None:
    with pytest.raises(InvalidDateError, match="'2026-W48' is a week, not a day: add the day"):
        parse_week_day("2026-W48")


@pytest.mark.parametrize(
    ("text", "hint"),
    [("2026-w48-3", "; did you mean 2026-W48-3?"), ("2026W483", "; did you mean 2026-W48-3?")],
)
def test_parse_week_day_near_misses(text: str, hint: str) -> None:
    with pytest.raises(InvalidDateError, match="is not a week day: use YYYY-Www-D") as info:
        parse_week_day(text)
    assert str(info.value).endswith(hint)


def test_parse_week_day_does_not_suggest_a_week_without_day() -> None:
    with pytest.raises(InvalidDateError) as info:
        parse_week_day("2026w48")
    assert "did you mean" not in str(info.value)


@pytest.mark.parametrize("value", [None, 202648, b"2026-W48"])
def test_parse_week_wants_text(value: object) -> None:
    with pytest.raises(InvalidWeekError, match="expected text, got"):
        Week.parse(value)  # type: ignore[arg-type]
    with pytest.raises(InvalidDateError, match="expected text, got"):
        parse_week_day(value)  # type: ignore[arg-type]


def test_messages_cut_huge_input_short() -> None:
    with pytest.raises(InvalidWeekError) as info:
        Week.parse("9" * 100_000)
    assert len(str(info.value)) < 200
    assert "...'" in str(info.value)


@given(st.from_regex(r"[0-9]{4}-W[0-9]{2}(-[0-9])?", fullmatch=True))
def test_parse_week_accepts_exactly_what_fromisocalendar_accepts(text: str) -> None:
    year, week, day = int(text[:4]), int(text[6:8]), int(text[9:] or "1")
    try:
        expected = Week.from_date(date.fromisocalendar(year, week, day))
    except (ValueError, OutOfRangeError):
        with pytest.raises(CalendarError):
            Week.parse(text)
    else:
        assert Week.parse(text) == expected


@given(st.text())
def test_parsers_raise_nothing_but_calendar_errors(text: str) -> None:
    for parse in (Week.parse, parse_week_day, parse_date, parse_month):
        with contextlib.suppress(CalendarError):
            parse(text)


# ---------------------------------------------------------------- parse_date


def test_parse_date() -> None:
    assert parse_date("2026-11-05") == date(2026, 11, 5)
    assert parse_date("2024-02-29") == date(2024, 2, 29)
    assert parse_date("0001-01-01") == date.min
    assert parse_date("9999-12-26") == LAST_DAY


@pytest.mark.parametrize("text", ["9999-12-27", "9999-12-31"])
def test_parse_date_refuses_the_days_of_9999_w52(text: str) -> None:
    # They are dates, but no representable week holds them: one range for the API.
    with pytest.raises(OutOfRangeError) as raised:
        parse_date(text)
    assert str(raised.value) == (
        f"'{text}' is out of range: its week, 9999-W52, would end on 10000-01-02, past the "
        "last date 9999-12-31; dates run from 0001-01-01 to 9999-12-26 "
        "(the days of 0001-W01..9999-W51)"
    )


@given(representable_days)
def test_parse_date_round_trips(day: date) -> None:
    assert parse_date(day.isoformat()) == day


@given(st.from_regex(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", fullmatch=True))
def test_parse_date_accepts_exactly_what_fromisoformat_accepts(text: str) -> None:
    try:
        expected = date.fromisoformat(text)
    except ValueError:
        expected = None
    if expected is None or expected > LAST_DAY:
        with pytest.raises(CalendarError):
            parse_date(text)
    else:
        assert parse_date(text) == expected


def test_parse_date_messages_are_distinct_and_say_what_to_do() -> None:
    messages = []
    for text in ("2026-11-5", "20261105", "2026-02-30"):
        with pytest.raises(InvalidDateError) as info:
            parse_date(text)
        messages.append(str(info.value))
    unpadded, compact, impossible = messages
    assert unpadded == (
        "'2026-11-5' is not a date: month and day need two digits each, joined by '-', "
        "use YYYY-MM-DD, e.g. 2026-11-05; did you mean 2026-11-05?"
    )
    assert compact == (
        "'20261105' is not a date: the dashes are missing, "
        "use YYYY-MM-DD, e.g. 2026-11-05; did you mean 2026-11-05?"
    )
    assert impossible == (
        "'2026-02-30' is not a date: February 2026 has 28 days, pick a day from 01 to 28"
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2026-02-29", "February 2026 has 28 days"),
        ("2026-04-31", "April 2026 has 30 days"),
        ("2026-01-00", "January 2026 has 31 days"),
        ("2026-13-01", "month 13 does not exist; use YYYY-MM-DD"),
        ("2026-00-10", "month 00 does not exist"),
        (" 2026-02-28", "remove the spaces around it, .*; did you mean 2026-02-28\\?"),
        ("2026-02-29 ", "remove the spaces around it, use YYYY-MM-DD, e.g. 2026-11-05$"),
        ("2026/2/29", "two digits each.*2026-11-05$"),
        ("2026/02/28", "did you mean 2026-02-28\\?"),
        ("05/11/2026", "is not a date: use YYYY-MM-DD, e.g. 2026-11-05$"),
        ("2026-11-05T10:00", "is not a date: use YYYY-MM-DD"),
        (FULLWIDTH_2026 + "-11-05", "is not a date: use YYYY-MM-DD"),
        ("2026-11-05\n", "remove the spaces around it"),
    ],
)
def test_parse_date_rejects(text: str, message: str) -> None:
    with pytest.raises(InvalidDateError, match=message):
        parse_date(text)


def test_parse_date_year_zero_is_out_of_range() -> None:
    with pytest.raises(OutOfRangeError, match="dates run from 0001-01-01 to 9999-12-26"):
        parse_date("0000-06-15")


def test_parse_date_wants_text() -> None:
    with pytest.raises(InvalidDateError, match="expected text, got date"):
        parse_date(date(2026, 11, 5))  # type: ignore[arg-type]


# ---------------------------------------------------------------- parse_month


def test_parse_month() -> None:
    assert parse_month("2026-11") == (2026, 11)
    assert parse_month("0001-01") == (1, 1)
    assert parse_month("9999-11") == (9999, 11)


def test_parse_month_refuses_9999_12_as_its_grid_does() -> None:
    with pytest.raises(OutOfRangeError) as raised:
        parse_month("9999-12")
    assert str(raised.value) == (
        "'9999-12' is out of range: its last row, 9999-W52, would end on 10000-01-02, past "
        "the last date 9999-12-31; months run from 0001-01 to 9999-11 "
        "(the months whose weeks all lie in 0001-W01..9999-W51)"
    )


@given(months)
def test_parse_month_round_trips(year_month: tuple[int, int]) -> None:
    year, month = year_month
    assert parse_month(f"{year:04d}-{month:02d}") == (year, month)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2026-1", "is not a month: use YYYY-MM, e.g. 2026-11; did you mean 2026-01\\?"),
        ("202611", "did you mean 2026-11\\?"),
        ("2026/11", "did you mean 2026-11\\?"),
        ("2026-13", "'2026-13' is not a month: months run 01..12; use YYYY-MM"),
        ("2026-00", "months run 01..12"),
        ("2026-1x", "is not a month: use YYYY-MM, e.g. 2026-11$"),
        ("202613", "is not a month: use YYYY-MM, e.g. 2026-11$"),
        ("November", "is not a month: use YYYY-MM"),
    ],
)
def test_parse_month_rejects(text: str, message: str) -> None:
    with pytest.raises(InvalidMonthError, match=message):
        parse_month(text)


def test_parse_month_year_zero_is_out_of_range() -> None:
    with pytest.raises(OutOfRangeError, match="months run from 0001-01 to 9999-11"):
        parse_month("0000-05")


def test_parse_month_wants_text() -> None:
    with pytest.raises(InvalidMonthError, match="expected text, got tuple"):
        parse_month((2026, 11))  # type: ignore[arg-type]


# ---------------------------------------------------------------- month_grid


def test_february_2027_starting_on_monday_has_exactly_4_rows() -> None:
    grid = month_grid(2027, 2)
    assert [row.week for row in grid] == [Week.of(2027, w) for w in (5, 6, 7, 8)]
    assert all(day.in_month for row in grid for day in row.days)


def test_november_2026() -> None:
    grid = month_grid(2026, 11)
    assert len(grid) == 6  # Sunday the 1st to Monday the 30th
    assert grid[0].week == Week.of(2026, 44)
    assert grid[0].days[0] == GridDay(date(2026, 10, 26), in_month=False)
    assert grid[0].days[6] == GridDay(date(2026, 11, 1), in_month=True)
    assert grid[-1].days[0] == GridDay(date(2026, 11, 30), in_month=True)
    assert grid[-1].days[1] == GridDay(date(2026, 12, 1), in_month=False)
    assert isinstance(grid[0], GridWeek)


def test_month_grid_at_the_edges_of_the_range() -> None:
    first = month_grid(1, 1)
    assert first[0].days[0] == GridDay(date.min, in_month=True)
    last = month_grid(9999, 11)
    assert last[-1].week == Week.of(9999, 48)
    with pytest.raises(OutOfRangeError, match=r"9999-12 is out of range.*9999-W52"):
        month_grid(9999, 12)


@pytest.mark.parametrize("month", [0, 13, -1])
def test_month_grid_month_must_exist(month: int) -> None:
    with pytest.raises(
        InvalidMonthError, match=f"there is no month {month}: months run from 1 to 12"
    ):
        month_grid(2026, month)


@pytest.mark.parametrize("year", [0, 10000])
def test_month_grid_year_out_of_range(year: int) -> None:
    with pytest.raises(OutOfRangeError, match=f"year {year} is out of range"):
        month_grid(year, 1)


@pytest.mark.parametrize(("year", "month"), [("2026", 11), (2026, "11"), (2026, 11.0)])
def test_month_grid_wants_ints(year: object, month: object) -> None:
    with pytest.raises(InvalidMonthError, match="must be an int"):
        month_grid(year, month)  # type: ignore[arg-type]


@given(months)
def test_month_grid_covers_the_month_exactly_once(year_month: tuple[int, int]) -> None:
    year, month = year_month
    grid = month_grid(year, month)
    assert 4 <= len(grid) <= 6
    cells = [cell for row in grid for cell in row.days]
    inside = [cell.date for cell in cells if cell.in_month]
    assert inside[0] == date(year, month, 1)
    assert all(b - a == ONE_DAY for a, b in itertools.pairwise(inside))
    assert all(d.year == year and d.month == month for d in inside)
    assert inside[-1] == date(year + month // 12, month % 12 + 1, 1) - ONE_DAY
    assert all(
        (cell.date.year, cell.date.month) != (year, month) for cell in cells if not cell.in_month
    )
    for row, following in itertools.pairwise(grid):
        assert following.week == row.week.next()
    for row in grid:
        assert tuple(cell.date for cell in row.days) == row.week.days


def test_month_grid_rows_are_immutable() -> None:
    row = month_grid(2026, 11)[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        row.week = Week.of(2000, 1)  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        row.days[0].in_month = True  # type: ignore[misc]


# ---------------------------------------------------------------- current_week


def test_current_week_uses_the_local_day_of_the_zone() -> None:
    sunday_night_utc = datetime(2026, 11, 29, 23, 30, tzinfo=UTC)  # Monday 00:30 in Paris
    assert current_week(now=sunday_night_utc) == Week.of(2026, 49)
    assert current_week("Europe/Paris", sunday_night_utc) == Week.of(2026, 49)
    assert current_week("UTC", sunday_night_utc) == Week.of(2026, 48)
    assert current_week("America/Los_Angeles", sunday_night_utc) == Week.of(2026, 48)
    sunday_noon_utc = datetime(2026, 11, 29, 12, tzinfo=UTC)  # Monday 02:00 in Kiritimati (+14)
    assert current_week("Pacific/Kiritimati", sunday_noon_utc) == Week.of(2026, 49)
    assert current_week("Etc/GMT+5", datetime(2027, 1, 4, 3, tzinfo=UTC)) == Week.of(2026, 53)


def test_current_week_accepts_any_aware_now() -> None:
    now = datetime(2026, 11, 30, 0, 30, tzinfo=timezone(timedelta(hours=1)))
    assert current_week(now=now) == Week.of(2026, 49)


def test_current_week_defaults_to_the_clock_in_paris() -> None:
    before = Week.from_date(datetime.now(PARIS).date())
    week = current_week()
    after = Week.from_date(datetime.now(PARIS).date())
    assert week in {before, after}


def test_current_week_refuses_a_naive_now() -> None:
    with pytest.raises(InvalidDateError, match=r"has no time zone.*pass an aware datetime"):
        current_week(now=datetime(2026, 11, 29, 23, 30))  # noqa: DTZ001  the case under test


@pytest.mark.parametrize(
    ("zone", "now"),
    [
        ("Europe/Paris", datetime.max.replace(tzinfo=UTC)),
        ("America/New_York", datetime.min.replace(tzinfo=UTC)),
        ("UTC", datetime(9999, 12, 28, tzinfo=UTC)),
    ],
)
def test_current_week_out_of_range_never_overflows(zone: str, now: datetime) -> None:
    with pytest.raises(OutOfRangeError):
        current_week(zone, now)


@pytest.mark.parametrize(
    "zone", ["Mars/Olympus_Mons", "Europe", "Europe/Pariss", "Not_A_Zone", "Etc/GMT+99"]
)
def test_current_week_unknown_zone_names_it_and_gives_an_example(zone: str) -> None:
    with pytest.raises(
        UnknownTimeZoneError,
        match=rf"unknown time zone '{re.escape(zone)}'.*such as 'Europe/Paris'",
    ):
        current_week(zone)


@pytest.mark.parametrize(
    "zone",
    [
        "../etc",
        "../../etc/passwd",
        "/etc/localtime",
        "Europe/../Europe/Paris",
        "Europe/Paris/",
        "zone.tab",
        "",
        " Europe/Paris",
        "Europe/Paris\x00",
        "A" * 300,
        "a/b/c/d/e",
    ],
)
def test_current_week_rejects_path_like_names_before_touching_files(zone: str) -> None:
    with pytest.raises(UnknownTimeZoneError, match="is not a time zone name: use an IANA"):
        current_week(zone)


def test_current_week_wants_a_zone_name_string() -> None:
    with pytest.raises(UnknownTimeZoneError, match="is not a time zone name"):
        current_week(PARIS)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "zone",
    [
        "localtime",  # the host's zone: a file ZoneInfo loads, not a place
        "posixrules",
        "Factory",  # IANA's "zone unknown" placeholder (offset 0, abbreviation -00)
        "posix/Europe/Paris",  # the host database's copies, by their paths
        "right/Europe/Paris",  # ...and the one counting leap seconds
        "leapseconds",
        "europe/paris",  # case matters
    ],
)
def test_current_week_refuses_the_hosts_files_and_factory(zone: str) -> None:
    with pytest.raises(UnknownTimeZoneError) as raised:
        current_week(zone, datetime(2026, 11, 29, 12, tzinfo=UTC))

    message = str(raised.value)
    assert message.startswith(f"unknown time zone {zone!r}: use an IANA time zone name")
    assert "'Europe/Paris'" in message
    assert "(localtime, posixrules, posix/..., right/...) and Factory are not" in message


def test_current_week_accepts_every_name_of_the_tzdata_list_but_factory() -> None:
    listed = set((files("tzdata") / "zones").read_text(encoding="utf-8").split())
    now = datetime(2026, 11, 29, 23, 30, tzinfo=UTC)  # Sunday in the Americas, Monday east

    weeks_seen = {current_week(zone, now) for zone in sorted(listed - {"Factory"})}

    assert {"US/Pacific", "America/Argentina/Buenos_Aires", "Etc/GMT+5", "UTC"} <= listed
    assert weeks_seen == {Week.of(2026, 48), Week.of(2026, 49)}


# ---------------------------------------------------------------- one representable range
# Every value refused as out of range says the range it was refused from: "X run from A to
# B". A and B must be exactly the first and last values accepted, for weeks, days and months.

RANGE_STATED = re.compile(r"(\w+) run from (\S+?)(?: \([^)]*\))? to (\S+?)(?: \([^)]*\))?(?:,|;|$)")
PARSERS: dict[str, Callable[[str], object]] = {
    "weeks": Week.parse,
    "dates": parse_date,
    "months": parse_month,
}
FIRST_AND_LAST = {
    "weeks": ("0001-W01", "9999-W51"),
    "dates": ("0001-01-01", "9999-12-26"),
    "months": ("0001-01", "9999-11"),
}
JUST_OUTSIDE = {
    "weeks": ("0000-W52", "9999-W52"),
    "dates": ("0000-12-31", "9999-12-27"),
    "months": ("0000-12", "9999-12"),
}


def stated_range(error: OutOfRangeError) -> tuple[str, str, str]:
    found = RANGE_STATED.findall(str(error))
    assert found, f"{error} does not say what the range is"
    kind, first, last = found[-1]
    return kind, first, last


def out_of_range(call: Callable[[], object]) -> OutOfRangeError | None:
    """Return the OutOfRangeError call raises; None if it returns or raises another error."""
    try:
        call()
    except OutOfRangeError as error:
        return error
    except CalendarError:
        return None
    return None


@pytest.mark.parametrize("kind", list(PARSERS))
def test_the_stated_range_is_exactly_what_each_parser_accepts(kind: str) -> None:
    parse = PARSERS[kind]
    first, last = FIRST_AND_LAST[kind]
    parse(first)
    parse(last)
    for outside in JUST_OUTSIDE[kind]:
        with pytest.raises(OutOfRangeError) as raised:
            parse(outside)
        assert stated_range(raised.value) == (kind, first, last)


@given(st.dates() | st.dates(min_value=date(9999, 12, 1)) | st.dates(max_value=date(1, 1, 31)))
def test_a_date_is_accepted_exactly_when_its_week_is(day: date) -> None:
    week_refused = out_of_range(lambda: Week.from_date(day))
    date_refused = out_of_range(lambda: parse_date(day.isoformat()))
    if week_refused is None:
        assert date_refused is None
        assert Week.from_date(day).contains(parse_date(day.isoformat()))
    else:
        assert stated_range(week_refused)[0] == "weeks"
        assert date_refused is not None
        assert stated_range(date_refused) == ("dates", *FIRST_AND_LAST["dates"])


@given(st.integers(1, 9999), st.integers(1, 12))
def test_a_month_is_accepted_exactly_when_its_grid_is(year: int, month: int) -> None:
    text = f"{year:04d}-{month:02d}"
    grid_refused = out_of_range(lambda: month_grid(year, month))
    month_refused = out_of_range(lambda: parse_month(text))
    if grid_refused is None:
        assert month_refused is None
        assert parse_month(text) == (year, month)
    else:
        assert stated_range(grid_refused) == ("months", *FIRST_AND_LAST["months"])
        assert month_refused is not None
        assert stated_range(month_refused) == ("months", *FIRST_AND_LAST["months"])


edge_years = st.sampled_from([0, 1, 2, 9998, 9999]) | st.integers(0, 9999)
calendar_texts = st.one_of(
    st.builds("{:04d}-W{:02d}".format, edge_years, st.integers(0, 54)),
    st.builds("{:04d}-W{:02d}-{}".format, edge_years, st.integers(0, 54), st.integers(1, 7)),
    st.builds("{:04d}-{:02d}-{:02d}".format, edge_years, st.integers(0, 13), st.integers(0, 32)),
    st.builds("{:04d}-{:02d}".format, edge_years, st.integers(0, 13)),
)


@given(calendar_texts)
def test_any_out_of_range_text_lies_outside_the_range_its_message_states(text: str) -> None:
    for kind, parse in PARSERS.items():
        error = out_of_range(lambda parse=parse: parse(text))
        if error is None:
            continue
        stated, first, last = stated_range(error)
        assert stated == kind
        # Zero-padded ISO texts of one shape sort chronologically; a week day is compared
        # by its week.
        key = text[: len(first)]
        assert key < first or key > last, (text, str(error))
