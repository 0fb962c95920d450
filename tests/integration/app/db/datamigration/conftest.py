"""Databases at 0002_us16_expand filled with legacy rows at every calendar edge."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from app.db.datamigration.connection import connect
from app.db.datamigration.legacy import insert_legacy_rows
from tests.legacy_weeks import legacy_week_start

LegacyDatabase = Callable[..., str]

# 53-week ISO years (a Thursday 1 January, or a leap year starting on Wednesday).
LONG_YEARS = (1992, 1998, 2004, 2009, 2015, 2020, 2026, 2032, 2037)


def edge_dates() -> list[dt.date]:
    """Every day from 25 December to 7 January around each year end, 1999-2041."""
    days: set[dt.date] = set()
    for year in range(1999, 2041):
        end = dt.date(year, 12, 25)
        days.update(end + dt.timedelta(days=n) for n in range(14))
    for year in LONG_YEARS:
        days.add(dt.date(year, 12, 28))
    days.update({dt.date(2024, 2, 29), dt.date(2000, 2, 29), dt.date(2100, 3, 1)})
    return sorted(days)


def insert_edge_rows(url: str) -> int:
    """Insert one legacy row per edge date, week_start from tests.legacy_weeks."""
    dates = edge_dates()
    with connect(url) as conn, conn.cursor() as cur:
        cur.executemany(
            "INSERT INTO public.entries (entry_date, title, minutes, week_start,"
            " created_at, updated_at) VALUES (%s, %s, 30, %s, now(), now())",
            [(d, f"edge {d}", legacy_week_start(d)) for d in dates],
        )
    return len(dates)


@pytest.fixture
def legacy_database(make_database: Callable[[str], str]) -> LegacyDatabase:
    """Give a factory: a database at 0002_us16_expand with generated and edge legacy rows."""

    def make(rows: int = 2_000, *, edges: bool = True) -> str:
        url = make_database("0002_us16_expand")
        with connect(url) as conn:
            insert_legacy_rows(conn, rows)
        if edges:
            insert_edge_rows(url)
        return url

    return make


@pytest.fixture
def insert_edges() -> Callable[[str], int]:
    """Give the function inserting one legacy row per calendar edge."""
    return insert_edge_rows
