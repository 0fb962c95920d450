"""The ISO 8601 week rule in SQL: one definition, as functions every statement calls.

`app/weeks.py` is the rule in Python; these IMMUTABLE SQL functions are the rule in
PostgreSQL. The CHECK constraints (0003_us16_contract, `app/db/schema.py`), the
service's writes (`app/db/entries.py`) and the data migration's SQL
(`app/db/datamigration/sql/`) call them and never spell the rule out again (a test
greps for copies). 0002_us16_expand creates them: the first revision whose code needs
them. PostgreSQL inlines a one-SELECT IMMUTABLE SQL function into the calling
statement, so a call costs what the bare expression costs.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SqlFunction:
    """An IMMUTABLE SQL function of one date, `day`."""

    name: str
    returns: str
    body: str

    @property
    def signature(self) -> str:
        """The name and argument, as PostgreSQL prints them (pg_get_function_identity_arguments)."""
        return f"{self.name}(day date)"

    @property
    def create(self) -> str:
        """The CREATE FUNCTION statement."""
        return (
            f"CREATE FUNCTION {self.signature} RETURNS {self.returns}"
            f" LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $${self.body}$$"
        )

    @property
    def drop(self) -> str:
        """The DROP FUNCTION statement (refused while a CHECK constraint still uses it)."""
        return f"DROP FUNCTION {self.name}(date)"


ISO_WEEK_START = SqlFunction(
    "iso_week_start", "date", "SELECT day - (extract(isodow FROM day)::integer - 1)"
)
"""The Monday of the ISO week of `day` (ISO day 1 is Monday, 7 Sunday)."""
ISO_WEEK_YEAR = SqlFunction(
    "iso_week_year", "smallint", "SELECT extract(isoyear FROM day)::smallint"
)
"""The ISO week-numbering year of `day` (2024-12-30 is in 2025)."""
ISO_WEEK_NUMBER = SqlFunction(
    "iso_week_number", "smallint", "SELECT extract(week FROM day)::smallint"
)
"""The ISO week number of `day`, 1..53."""
ISO_WEEK_LABEL = SqlFunction(
    "iso_week_label",
    "text",
    # lpad and a cast, not to_char: to_char is only STABLE, which would stop the inlining.
    "SELECT lpad(iso_week_year(day)::text, 4, '0') || '-W'"
    " || lpad(iso_week_number(day)::text, 2, '0')",
)
"""The ISO text of the week of `day`, e.g. 2026-W48 (app.weeks.Week.label)."""

FUNCTIONS = (ISO_WEEK_START, ISO_WEEK_YEAR, ISO_WEEK_NUMBER, ISO_WEEK_LABEL)
"""Every function, in creation order (the label calls the year and the number)."""


def week_columns(day: str) -> str:
    """Return the SQL of (week_start, iso_year, iso_week) for the date expression `day`."""
    return ", ".join(f"{f.name}({day})" for f in (ISO_WEEK_START, ISO_WEEK_YEAR, ISO_WEEK_NUMBER))
