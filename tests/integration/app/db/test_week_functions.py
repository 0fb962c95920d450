"""The ISO-week SQL functions agree with app.weeks on every day of whole years."""

from __future__ import annotations

import datetime as dt

import psycopg
import pytest

from app.db.week_functions import FUNCTIONS
from app.weeks import Week

pytestmark = pytest.mark.integration

# Whole years: the first and the last representable ones, 53-week years (2004, 2009,
# 2015, 2020, 2026, 2032, 2037), years whose 1 January is in the previous ISO year
# (2005, 2010, 2016, 2021, 2027) or whose 29-31 December are in the next (2007, 2018,
# 2019, 2024, 2025, 2030), leap years and the non-leap centuries 2100 and 2200.
YEARS = (1, 2, *range(2003, 2012), 2015, 2016, *range(2018, 2028), 2030, 2032, 2037, 2100, 2200)
LAST_DAY = dt.date(9999, 12, 26)  # app.weeks' last representable day (9999-W51)


def sql_weeks(url: str, first: dt.date, last: dt.date) -> list[tuple[dt.date, ...]]:
    with psycopg.connect(url) as connection:
        return connection.execute(
            "SELECT day, iso_week_start(day), iso_week_year(day), iso_week_number(day),"
            " iso_week_label(day)"
            " FROM generate_series(%s::date, %s::date, interval '1 day') AS s(t),"
            " LATERAL (SELECT t::date AS day) AS d ORDER BY day",
            (first, last),
        ).fetchall()


def python_week(day: dt.date) -> tuple[object, ...]:
    week = Week.from_date(day)
    return (day, week.monday, week.iso_year, week.iso_week, week.label)


@pytest.mark.parametrize("year", YEARS)
def test_every_day_of_the_year_has_the_week_app_weeks_gives(
    module_database_url: str, year: int
) -> None:
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)

    rows = sql_weeks(module_database_url, first, last)

    assert len(rows) == (last - first).days + 1
    assert [tuple(row) for row in rows] == [python_week(row[0]) for row in rows]


def test_the_last_representable_days_too(module_database_url: str) -> None:
    rows = sql_weeks(module_database_url, dt.date(9998, 12, 20), LAST_DAY)
    assert [tuple(row) for row in rows] == [python_week(row[0]) for row in rows]
    assert rows[-1][4] == "9999-W51"


def test_the_functions_are_immutable_and_strict(module_database_url: str) -> None:
    with psycopg.connect(module_database_url) as connection:
        rows = connection.execute(
            "SELECT proname, provolatile, proisstrict FROM pg_proc"
            " WHERE proname = ANY(%s) ORDER BY proname",
            ([f.name for f in FUNCTIONS],),
        ).fetchall()
        nulls = connection.execute("SELECT iso_week_start(NULL), iso_week_label(NULL)").fetchone()
    assert rows == sorted((f.name, "i", True) for f in FUNCTIONS)
    assert nulls == (None, None)
