"""Finding PostgreSQL's server binaries: on PATH, else `pg_config --bindir`, else pgserver's."""

from __future__ import annotations

import dataclasses
import importlib.util
import os
import shutil
import subprocess  # to ask pg_config where the binaries are  # nosec B404
from pathlib import Path

from semaine.executors.local.postgres_error import PostgresError

_BINARIES = ("initdb", "pg_ctl", "postgres")


@dataclasses.dataclass(frozen=True)
class PostgresBinaries:
    """Where the PostgreSQL server binaries are, and how they were found."""

    initdb: Path
    pg_ctl: Path
    postgres: Path
    source: str

    @classmethod
    def in_directory(cls, bindir: Path, source: str) -> PostgresBinaries | None:
        """Return the binaries in `bindir`, or None if any is missing."""
        paths = [bindir / name for name in _BINARIES]
        if not all(os.access(path, os.X_OK) for path in paths):
            return None
        return cls(initdb=paths[0], pg_ctl=paths[1], postgres=paths[2], source=source)


def find_binaries() -> PostgresBinaries:
    """Find initdb/pg_ctl/postgres: on PATH, else `pg_config --bindir`, else pgserver."""
    on_path = [shutil.which(name) for name in _BINARIES]
    if all(on_path):
        initdb, pg_ctl, postgres = (Path(str(path)) for path in on_path)
        return PostgresBinaries(initdb=initdb, pg_ctl=pg_ctl, postgres=postgres, source="PATH")
    for finder in (_from_pg_config, _from_pgserver_wheel):
        found = finder()
        if found is not None:
            return found
    msg = (
        "no PostgreSQL server binaries found: put initdb, pg_ctl and postgres on PATH "
        "(Debian: apt-get install postgresql), or install the dev dependencies "
        "(uv sync) for the pgserver wheel"
    )
    raise PostgresError(msg)


def _from_pg_config() -> PostgresBinaries | None:
    pg_config = shutil.which("pg_config")
    if pg_config is None:
        return None
    result = subprocess.run(  # noqa: S603 - a resolved binary, no shell  # nosec B603
        [pg_config, "--bindir"], capture_output=True, text=True, check=False
    )
    if result.returncode != 0 or not result.stdout.strip():
        return None
    return PostgresBinaries.in_directory(Path(result.stdout.strip()), "pg_config --bindir")


def _from_pgserver_wheel() -> PostgresBinaries | None:
    # Locate the wheel's files without importing it: importing pgserver warns when
    # XDG_RUNTIME_DIR is unset, and pytest turns warnings into errors.
    spec = importlib.util.find_spec("pgserver")
    if spec is None or not spec.submodule_search_locations:
        return None
    for location in spec.submodule_search_locations:
        found = PostgresBinaries.in_directory(Path(location) / "pginstall" / "bin", "pgserver")
        if found is not None:
            return found
    return None
