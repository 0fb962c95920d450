"""The throwaway cluster's lifecycle: start, databases, failures, stop, where it lives."""

import os
import signal
import tempfile
from pathlib import Path
from typing import Any

import psycopg
import pytest

from semaine.executors.local import postgres as postgres_module
from semaine.executors.local.postgres import ThrowawayPostgres
from semaine.executors.local.postgres_error import PostgresError
from tests.postgres_installations import AS_ROOT, fake_binaries

pytestmark = pytest.mark.integration


def test_starts_accepts_connections_and_stop_removes_its_directory() -> None:
    server = ThrowawayPostgres()
    server.start()
    directory = server.directory
    assert server.url == f"postgresql://postgres@127.0.0.1:{server.port}/postgres"
    with psycopg.connect(server.url) as connection:
        row = connection.execute(
            "SELECT current_user, current_setting('fsync'), current_setting('server_encoding')"
        ).fetchone()
    assert row == ("postgres", "off", "UTF8")
    assert server.version.split()[0][0].isdigit()

    server.stop()

    assert not directory.exists()
    with pytest.raises(PostgresError, match="not running"):
        _ = server.port


def test_context_manager_stops_on_exit_and_stop_is_idempotent() -> None:
    with ThrowawayPostgres() as server:
        directory = server.directory
        assert directory.exists()
    assert not directory.exists()
    server.stop()


def test_create_database_from_a_template(postgres: ThrowawayPostgres) -> None:
    source = postgres.create_database("pg_test_source")
    with psycopg.connect(source) as connection:
        connection.execute("CREATE TABLE marker (value text)")
        connection.execute("INSERT INTO marker VALUES ('copied')")

    clone = postgres.create_database("pg_test_clone", template="pg_test_source")

    assert clone == postgres.database_url("pg_test_clone")
    with psycopg.connect(clone) as connection:
        assert connection.execute("SELECT value FROM marker").fetchall() == [("copied",)]
    postgres.drop_database("pg_test_clone")
    postgres.drop_database("pg_test_source")
    with pytest.raises(psycopg.OperationalError, match="does not exist"):
        psycopg.connect(clone).close()


def test_a_server_that_fails_to_start_gives_the_log_tail_and_leaves_nothing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    created: list[Path] = []
    real_mkdtemp = tempfile.mkdtemp

    def recording_mkdtemp(**kwargs: Any) -> str:
        created.append(Path(real_mkdtemp(**kwargs)))
        return str(created[-1])

    monkeypatch.setattr(tempfile, "mkdtemp", recording_mkdtemp)
    server = ThrowawayPostgres(settings={"no_such_setting": "1"})

    with pytest.raises(PostgresError) as raised:
        server.start()

    message = str(raised.value)
    assert "exited with status" in message
    assert 'unrecognized configuration parameter "no_such_setting"' in message
    assert len(created) == 1
    assert not created[0].exists()
    with pytest.raises(PostgresError, match="not running"):
        _ = server.directory


@pytest.mark.usefixtures("install_cache")
def test_a_failing_initdb_gives_its_output(tmp_path: Path) -> None:
    # In pytest's private temporary folder: as root, the script is run from a copy.
    binaries = fake_binaries(
        tmp_path / "bin", "#!/bin/sh\necho 'initdb: error: disk on fire' >&2\nexit 3\n", 0o755
    )

    with pytest.raises(PostgresError, match=r"initdb failed \(exit 3\)[\s\S]*disk on fire"):
        ThrowawayPostgres(binaries=binaries).start()


def test_stop_after_the_server_died_still_removes_the_directory() -> None:
    server = ThrowawayPostgres()
    server.start()
    directory = server.directory
    pid = int((server.data_directory / "postmaster.pid").read_text().splitlines()[0])
    os.kill(pid, signal.SIGKILL)

    server.stop()

    assert not directory.exists()


def test_the_cluster_lives_in_memory_when_there_is_room_else_in_the_temp_folder(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    memory = postgres_module.MEMORY_DIR
    if not memory.is_dir():
        pytest.fail("this machine has no /dev/shm: the in-memory path cannot be shown here")
    with ThrowawayPostgres() as server:
        assert server.directory.parent == memory
    with ThrowawayPostgres(in_memory=False) as server:
        assert server.directory.parent == Path(tempfile.gettempdir())

    # A cluster was just shown to run in the temporary folder: for the two fallbacks to it,
    # the folder chosen is enough (no cluster started).
    monkeypatch.setattr(postgres_module, "MEMORY_DIR", tmp_path / "no-such-dir")
    assert _directory_parent_chosen(monkeypatch) == Path(tempfile.gettempdir())
    monkeypatch.setattr(postgres_module, "MEMORY_DIR", memory)
    monkeypatch.setattr(postgres_module, "MEMORY_MIN_FREE_BYTES", 1024**5)
    assert _directory_parent_chosen(monkeypatch) == Path(tempfile.gettempdir())


class _DirectoryChosenError(Exception):
    pass


def _directory_parent_chosen(monkeypatch: pytest.MonkeyPatch) -> Path:
    """Return where a ThrowawayPostgres makes its directory, stopping it right there."""

    def refuse(**kwargs: Any) -> str:
        raise _DirectoryChosenError(kwargs["dir"])

    with monkeypatch.context() as patch:
        patch.setattr(tempfile, "mkdtemp", refuse)
        with pytest.raises(_DirectoryChosenError) as raised:
            ThrowawayPostgres().start()
    return Path(raised.value.args[0])


def test_a_private_temporary_folder_still_holds_the_cluster(
    monkeypatch: pytest.MonkeyPatch, private_directory: Path
) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(private_directory))

    with ThrowawayPostgres(in_memory=False) as server:
        with psycopg.connect(server.url) as connection:
            assert connection.execute("SELECT 1").fetchone() == (1,)
        directory = server.directory

    # As root, the unprivileged user could not enter TMPDIR: the cluster goes to /tmp.
    assert directory.parent == (Path("/tmp") if AS_ROOT else private_directory)  # noqa: S108
    assert not directory.exists()
