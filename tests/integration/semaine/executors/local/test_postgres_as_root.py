"""Binaries in a private directory: as root, run from a reachable copy; else run in place.

As root, PostgreSQL runs as an unprivileged user, which cannot enter a directory that
only its owner may (mode 0700: /root/..., mktemp -d). The binaries are then run from a
world-readable copy; as any other user they run in place.
"""

import stat
from pathlib import Path

import psycopg
import pytest

from semaine.executors.local import postgres_as_root
from semaine.executors.local.postgres import ThrowawayPostgres
from semaine.executors.local.postgres_error import PostgresError
from tests.postgres_installations import AS_ROOT, fake_binaries, private_installation

pytestmark = pytest.mark.integration


@pytest.mark.parametrize("installation", ["pgserver", "system"])
def test_starts_queries_and_stops_with_binaries_in_a_private_directory(
    installation: str, private_directory: Path, install_cache: Path
) -> None:
    binaries = private_installation(installation, private_directory)

    with ThrowawayPostgres(binaries=binaries) as server:
        with psycopg.connect(server.url) as connection:
            assert connection.execute("SELECT 1").fetchone() == (1,)
        running = server.binaries

    if AS_ROOT:
        assert running.postgres.is_relative_to(install_cache)
        assert running.source == f"{installation}, copied to {running.postgres.parent}"
        (copy,) = install_cache.iterdir()
        assert copy.name.startswith("semaine-postgres-")
        assert copy.stat().st_uid == 0
        assert stat.S_IMODE(copy.stat().st_mode) == 0o755
    else:
        assert running == binaries
        assert list(install_cache.iterdir()) == []
    # Nothing was opened up on the way (pgserver itself would chmod the parents o+rx).
    assert stat.S_IMODE(private_directory.stat().st_mode) == 0o700


def test_a_binary_no_one_may_run_is_one_line_with_the_fix(
    tmp_path: Path, install_cache: Path
) -> None:
    binaries = fake_binaries(tmp_path / "bin", "#!/bin/sh\nexit 0\n", 0o644)

    with pytest.raises(PostgresError) as raised:
        ThrowawayPostgres(binaries=binaries).start()

    message = str(raised.value)
    assert "\n" not in message
    assert "apt-get install postgresql" in message
    if AS_ROOT:
        assert message.startswith("PostgreSQL runs as ")
        assert f"{install_cache}/semaine-postgres-" in message
    else:
        assert message.startswith(f"could not run {binaries.initdb}: Permission denied")


def test_without_a_reachable_place_for_a_copy_root_names_the_barrier_and_the_fix(
    monkeypatch: pytest.MonkeyPatch, private_directory: Path, tmp_path: Path
) -> None:
    binaries = private_installation("pgserver", private_directory)
    closed_cache = tmp_path / "closed"
    closed_cache.mkdir(mode=0o700)
    monkeypatch.setattr(postgres_as_root, "INSTALL_CACHE_DIRS", (closed_cache,))

    if not AS_ROOT:
        # Not root: PostgreSQL runs as us, from where the binaries are, needing no copy.
        with ThrowawayPostgres(binaries=binaries) as server:
            assert server.binaries == binaries
        assert list(closed_cache.iterdir()) == []
        return
    with pytest.raises(PostgresError) as raised:
        ThrowawayPostgres(binaries=binaries).start()

    message = str(raised.value)
    assert "\n" not in message
    assert f"who cannot reach {binaries.initdb}: {private_directory} does not let" in message
    assert "apt-get install postgresql" in message
    assert f"none of {closed_cache} is open to it" in message
