"""Entries repository: one SQL statement per call, through the async pool.

Reads select by `entry_date` range and derive week fields from `entry_date` (during the
US1.6 migration window legacy rows still carry a Sunday `week_start` and NULL ISO
columns). Writes always set `week_start` (the ISO Monday), `iso_year` and `iso_week`
from `entry_date`, in the same statement, with the ISO-week SQL functions
(app/db/week_functions.py).

The API's entry JSON is built by PostgreSQL from one expression (`_entry_json`): a week
holds about a thousand entries and serialising them in C keeps the hot path cheap.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeAlias

from app.db.pool import connection
from app.db.week_functions import ISO_WEEK_LABEL, week_columns

if TYPE_CHECKING:
    import datetime as dt
    from collections.abc import Sequence

    from psycopg_pool import AsyncConnectionPool

    from app.weeks import Week

_ISO_WEEK_LABEL = f"{ISO_WEEK_LABEL.name}(entry_date)"


def _entry_json(week_label: str = _ISO_WEEK_LABEL) -> str:
    """Return the SQL of an entry's JSON; a week listing passes its label, not a per-row one."""
    # Concatenation, not json_build_object: 30 % cheaper and compact. Integers print as
    # JSON; to_json escapes the title and writes dates in ISO whatever the DateStyle.
    # Timestamps are rendered by to_json: RFC 3339 with the session's offset (+00:00 on a
    # UTC server); to_char with an explicit format would cost another 30 %.
    return (
        """'{"id":' || id || ',"date":' || to_json(entry_date) || ',"title":' || to_json(title)"""
        """ || ',"minutes":' || minutes || ',"week":"' || """
        + week_label
        + """ || '","created_at":' || to_json(created_at) || ',"updated_at":'"""
        """ || to_json(updated_at) || '}'"""
    )


_ENTRY_JSON = _entry_json()


_INSERT = f"""
INSERT INTO entries (entry_date, title, minutes, week_start, iso_year, iso_week,
                     created_at, updated_at)
SELECT v.day, %(title)s, %(minutes)s, {week_columns("v.day")}, now(), now()
FROM (SELECT %(date)s::date AS day) AS v
RETURNING id, {_ENTRY_JSON}
"""  # noqa: S608  # nosec B608 - constants only, values are bound parameters
_SELECT_ONE = f"SELECT {_ENTRY_JSON} FROM entries WHERE id = %(id)s"  # noqa: S608  # nosec B608
_UPDATE = f"""
UPDATE entries AS e
SET entry_date = v.day,
    title = coalesce(%(title)s, e.title),
    minutes = coalesce(%(minutes)s, e.minutes),
    (week_start, iso_year, iso_week) = ROW({week_columns("v.day")}),
    updated_at = now()
FROM (SELECT id AS target, coalesce(%(date)s::date, entry_date) AS day
      FROM entries WHERE id = %(id)s) AS v
WHERE e.id = v.target
RETURNING {_ENTRY_JSON}
"""  # noqa: S608  # nosec B608 - constants only, values are bound parameters
_DELETE = "DELETE FROM entries WHERE id = %(id)s"
_DAYS_JSON = f"""
SELECT entry_date, sum(minutes)::bigint,
       '[' || string_agg({_entry_json("%(week)s::text")}, ',' ORDER BY id) || ']'
FROM entries
WHERE entry_date BETWEEN %(start)s AND %(end)s
GROUP BY entry_date
"""  # noqa: S608  # nosec B608 - constants only, values are bound parameters
_SELECT_ENTRY = """
SELECT id, entry_date, title, minutes, created_at, updated_at FROM entries WHERE id = %(id)s
"""
_BETWEEN = """
SELECT id, entry_date, title, minutes, created_at, updated_at
FROM entries
WHERE entry_date BETWEEN %(start)s AND %(end)s
ORDER BY entry_date, id
"""


@dataclass(frozen=True, slots=True)
class Entry:
    """A dated item with a title and a duration in minutes."""

    id: int
    date: dt.date
    title: str
    minutes: int
    created_at: dt.datetime
    updated_at: dt.datetime


@dataclass(frozen=True, slots=True)
class DayJson:
    """One day's entries as a JSON array (text) and their minute total."""

    total_minutes: int
    entries_json: str


Pool: TypeAlias = "AsyncConnectionPool[Any]"


async def insert(pool: Pool, day: dt.date, title: str, minutes: int) -> tuple[int, str]:
    """Create an entry; return its id and its JSON."""
    async with connection(pool) as conn:
        cur = await conn.execute(_INSERT, {"date": day, "title": title, "minutes": minutes})
        ((entry_id, text),) = await cur.fetchall()  # INSERT ... RETURNING: one row
    return int(entry_id), str(text)


async def fetch(pool: Pool, entry_id: int) -> str | None:
    """Return an entry's JSON, or None when there is no such entry."""
    async with connection(pool) as conn:
        cur = await conn.execute(_SELECT_ONE, {"id": entry_id})
        row = await cur.fetchone()
    return None if row is None else str(row[0])


async def update(
    pool: Pool,
    entry_id: int,
    *,
    day: dt.date | None = None,
    title: str | None = None,
    minutes: int | None = None,
) -> str | None:
    """Change the given fields (None keeps a field); return the JSON, None if no entry."""
    params = {"id": entry_id, "date": day, "title": title, "minutes": minutes}
    async with connection(pool) as conn:
        cur = await conn.execute(_UPDATE, params)
        row = await cur.fetchone()
    return None if row is None else str(row[0])


async def delete(pool: Pool, entry_id: int) -> bool:
    """Delete an entry; say whether it existed."""
    async with connection(pool) as conn:
        cur = await conn.execute(_DELETE, {"id": entry_id})
        return bool(cur.rowcount == 1)


async def week_days_json(pool: Pool, week: Week) -> dict[dt.date, DayJson]:
    """Return a week's days that have entries, by date, with the entries' JSON built in SQL."""
    params = {"start": week.monday, "end": week.sunday, "week": week.label}
    async with connection(pool) as conn:
        cur = await conn.execute(_DAYS_JSON, params)
        rows: Sequence[tuple[dt.date, int, str]] = await cur.fetchall()
    return {day: DayJson(int(total), text) for day, total, text in rows}


async def get(pool: Pool, entry_id: int) -> Entry | None:
    """Return one entry, or None when there is no such entry."""
    async with connection(pool) as conn, conn.cursor(binary=True) as cur:
        await cur.execute(_SELECT_ENTRY, {"id": entry_id})
        row = await cur.fetchone()
    return None if row is None else Entry(*row)


async def between(pool: Pool, start: dt.date, end: dt.date) -> list[Entry]:
    """Entries dated start..end, by date then creation."""
    # Binary results and plain tuples: a week page reads ~1000 rows, class_row costs 2x.
    async with connection(pool) as conn, conn.cursor(binary=True) as cur:
        await cur.execute(_BETWEEN, {"start": start, "end": end})
        return [Entry(*row) for row in await cur.fetchall()]
