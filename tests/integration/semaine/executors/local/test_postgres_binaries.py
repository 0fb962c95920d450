"""Finding PostgreSQL's binaries: PATH or pg_config first, else the pgserver wheel's."""

import psycopg
import pytest

from semaine.executors.local.postgres import ThrowawayPostgres
from semaine.executors.local.postgres_binaries import PostgresBinaries, find_binaries
from tests.postgres_installations import pgserver_bindir

pytestmark = pytest.mark.integration


def test_finds_binaries_on_path_first() -> None:
    binaries = find_binaries()
    assert binaries.source in {"PATH", "pg_config --bindir", "pgserver"}
    assert binaries.postgres.name == "postgres"


@pytest.mark.slow
def test_runs_with_the_pgserver_wheel_binaries() -> None:
    pgserver = PostgresBinaries.in_directory(pgserver_bindir(), "pgserver")
    assert pgserver is not None

    with ThrowawayPostgres(binaries=pgserver) as server:
        with psycopg.connect(server.url) as connection:
            row = connection.execute("SHOW server_version_num").fetchone()
        assert row is not None
        assert int(row[0]) >= 160000


def test_falls_back_to_the_pgserver_wheel_without_binaries_on_path(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PATH", "")

    binaries = find_binaries()

    assert binaries.source == "pgserver"
    assert binaries.initdb.parent == pgserver_bindir()
