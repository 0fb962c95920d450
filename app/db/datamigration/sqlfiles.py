"""The migration's SQL, kept as `.sql` files next to the code that runs it."""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import LiteralString

from psycopg import sql


@cache
def text(name: str) -> LiteralString:
    """Return the text of `sql/<name>.sql` (files shipped with the package, never user input)."""
    return resources.files(__package__).joinpath("sql").joinpath(f"{name}.sql").read_text("utf-8")


def query(name: str, *, backup: str | None = None) -> sql.Composed:
    """Return `sql/<name>.sql` with `{backup}` bound to the backup table's quoted name."""
    identifiers = {} if backup is None else {"backup": sql.Identifier(backup)}
    return sql.SQL(text(name)).format(**identifiers)
