"""Sample entries for load tests and benchmarks, written in one COPY.

Distribution: `count` entries spread evenly over the days of the weeks `first`..`last`
(both included): day i of the span gets every entry n with n % days == i, so each week
holds about count / weeks entries. Titles and minutes vary deterministically.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import psycopg

from app.weeks import Week

if TYPE_CHECKING:
    from collections.abc import Iterator

_COPY = "COPY entries (entry_date, title, minutes, week_start, iso_year, iso_week) FROM STDIN"


def sample_rows(count: int, first: Week, last: Week) -> Iterator[tuple[Any, ...]]:
    """Yield `count` entry rows (the COPY columns) spread over the weeks `first`..`last`."""
    days = (last.monday - first.monday).days + 7
    for i in range(count):
        day = first.monday + dt.timedelta(days=i % days)
        week = Week.from_date(day)
        yield (
            day,
            f"Entry {i}: work item",
            (i * 37) % 240,
            week.monday,
            week.iso_year,
            week.iso_week,
        )


def seed_entries(url: str, count: int, first: Week, last: Week) -> None:
    """Add `count` sample entries to the database at `url` (schema at head), then ANALYZE."""
    with psycopg.connect(url) as connection:
        with connection.cursor().copy(_COPY) as copy:
            for row in sample_rows(count, first, last):
                copy.write_row(row)
        connection.commit()
        connection.autocommit = True
        connection.execute("VACUUM ANALYZE entries")
