"""The declared head schema (SQLAlchemy Core); the migration tests diff against it.

The app queries with psycopg directly; this module is the reference for the revisions
and for `python -m app db check`: the `entries` table and the ISO-week SQL functions
its CHECK constraints call (`FUNCTIONS`, from app/db/week_functions.py).
"""

from __future__ import annotations

import sqlalchemy as sa

from app.db.week_functions import FUNCTIONS

TITLE_MIN_LENGTH = 1
TITLE_MAX_LENGTH = 200
MINUTES_MIN = 0
MINUTES_MAX = 1440

NAMING_CONVENTION: dict[str, str] = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# The CHECKs every revision shares with the legacy table, by short name.
LEGACY_CHECKS: dict[str, str] = {
    "title_length": f"char_length(title) BETWEEN {TITLE_MIN_LENGTH} AND {TITLE_MAX_LENGTH}",
    "minutes_range": f"minutes BETWEEN {MINUTES_MIN} AND {MINUTES_MAX}",
}
# The CHECKs added by 0003_us16_contract: ISO 8601 weeks start on Monday.
US16_CHECKS: dict[str, str] = {
    "week_start_monday": "week_start = iso_week_start(week_start)",
    "entry_date_in_week": "entry_date BETWEEN week_start AND week_start + 6",
    "iso_year_matches": "iso_year = iso_week_year(entry_date)",
    "iso_week_matches": "iso_week = iso_week_number(entry_date)",
}

functions = FUNCTIONS
"""The declared SQL functions (`python -m app db check` compares them too)."""


def _create_functions(_metadata: sa.MetaData, connection: sa.Connection, **_kw: object) -> None:
    for function in functions:
        connection.exec_driver_sql(function.create)


def _drop_functions(_metadata: sa.MetaData, connection: sa.Connection, **_kw: object) -> None:
    for function in reversed(functions):
        connection.exec_driver_sql(function.drop)


metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)
# create_all() makes the functions before the table whose CHECKs call them.
sa.event.listen(metadata, "before_create", _create_functions)
sa.event.listen(metadata, "after_drop", _drop_functions)

entries = sa.Table(
    "entries",
    metadata,
    sa.Column("id", sa.BigInteger, sa.Identity(always=False), primary_key=True),
    sa.Column("entry_date", sa.Date, nullable=False),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("minutes", sa.Integer, nullable=False),
    sa.Column("week_start", sa.Date, nullable=False),
    sa.Column("iso_year", sa.SmallInteger, nullable=False),
    sa.Column("iso_week", sa.SmallInteger, nullable=False),
    sa.Column(
        "created_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
    ),
    sa.Column(
        "updated_at", sa.DateTime(timezone=True), nullable=False, server_default=sa.func.now()
    ),
    *(sa.CheckConstraint(text, name=name) for name, text in LEGACY_CHECKS.items()),
    *(sa.CheckConstraint(text, name=name) for name, text in US16_CHECKS.items()),
    # The API reads a week as an entry_date range.
    sa.Index(None, "entry_date"),
)


def check_constraint_names() -> set[str]:
    """Return the full names of the declared CHECK constraints (naming convention applied)."""
    return {f"ck_{entries.name}_{name}" for name in (*LEGACY_CHECKS.keys(), *US16_CHECKS.keys())}
