"""Sample entries for load tests and benchmarks, and legacy rows for data-migration drills.

Sample entries: `count` entries spread evenly over the days of the weeks `first`..`last`
(both included), written in one COPY: day i of the span gets every entry n with
n % days == i, so each week holds about count / weeks entries. Titles and minutes vary
deterministically.

Legacy rows: what the pre-US1.6 service wrote (a Sunday week_start, no ISO fields), at
every calendar edge, so that docs/data-migration.md can be followed on a laptop.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from app.db import migrate
from app.db.datamigration.connection import connect
from app.db.datamigration.legacy import insert_legacy_rows
from app.db.driver import connected, driver_errors
from app.db.errors import LegacySeedRefusedError
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
    with connected(url) as connection:
        with connection.cursor().copy(_COPY) as copy:
            for row in sample_rows(count, first, last):
                copy.write_row(row)
        connection.commit()
        connection.autocommit = True
        connection.execute("VACUUM ANALYZE entries")


def seed_legacy_rows(url: str, rows: int) -> int:
    """Add `rows` legacy rows at every calendar edge (schema 0001 or 0002); return how many.

    The days around each 1 January and 31 December of 1990-2040 (every weekday, the
    53-week years, ISO years that differ from the calendar year), then dates spread over
    that range: 1,071 rows cover every edge.
    """
    accepted = (migrate.LEGACY_REVISION, migrate.EXPAND_REVISION)
    found = migrate.current_revision(url)
    if found not in accepted:
        verb = "upgrade" if found is None else "downgrade"
        command = f"python -m app db {verb} {migrate.EXPAND_REVISION}"
        raise LegacySeedRefusedError(found, accepted, command)
    with connect(url) as conn, driver_errors(url):
        return insert_legacy_rows(conn, rows)
