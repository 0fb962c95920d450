import importlib.util
import os
import shutil
import signal
import stat
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest

from semaine.executors.local import postgres as postgres_module
from semaine.executors.local.postgres import (
    PostgresBinaries,
    PostgresError,
    ThrowawayPostgres,
    copy_installation,
    find_binaries,
)

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
    binaries = _fake_binaries(
        tmp_path / "bin", "#!/bin/sh\necho 'initdb: error: disk on fire' >&2\nexit 3\n", 0o755
    )

    with pytest.raises(PostgresError, match=r"initdb failed \(exit 3\)[\s\S]*disk on fire"):
        ThrowawayPostgres(binaries=binaries).start()


def _fake_binaries(bindir: Path, script: str, mode: int) -> PostgresBinaries:
    bindir.mkdir()
    for name in ("initdb", "pg_ctl", "postgres"):
        (bindir / name).write_text(script)
        (bindir / name).chmod(mode)
    return PostgresBinaries(
        initdb=bindir / "initdb",
        pg_ctl=bindir / "pg_ctl",
        postgres=bindir / "postgres",
        source="test",
    )


def test_stop_after_the_server_died_still_removes_the_directory() -> None:
    server = ThrowawayPostgres()
    server.start()
    directory = server.directory
    pid = int((server.data_directory / "postmaster.pid").read_text().splitlines()[0])
    os.kill(pid, signal.SIGKILL)

    server.stop()

    assert not directory.exists()


def test_finds_binaries_on_path_first() -> None:
    binaries = find_binaries()
    assert binaries.source in {"PATH", "pg_config --bindir", "pgserver"}
    assert binaries.postgres.name == "postgres"


@pytest.mark.slow
def test_runs_with_the_pgserver_wheel_binaries() -> None:
    pgserver = PostgresBinaries.in_directory(_pgserver_bindir(), "pgserver")
    assert pgserver is not None

    with ThrowawayPostgres(binaries=pgserver) as server:
        with psycopg.connect(server.url) as connection:
            row = connection.execute("SHOW server_version_num").fetchone()
        assert row is not None
        assert int(row[0]) >= 160000


def _pgserver_bindir() -> Path:
    spec = importlib.util.find_spec("pgserver")
    assert spec is not None
    assert spec.submodule_search_locations
    return Path(next(iter(spec.submodule_search_locations))) / "pginstall" / "bin"


def test_falls_back_to_the_pgserver_wheel_without_binaries_on_path(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PATH", "")

    binaries = find_binaries()

    assert binaries.source == "pgserver"
    assert binaries.initdb.parent == _pgserver_bindir()


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


# ---------------------------------------------------------- a checkout in a private directory
# As root, PostgreSQL runs as an unprivileged user, which cannot enter a directory that
# only its owner may (mode 0700: /root/..., mktemp -d). The binaries are then run from a
# world-readable copy; as any other user they run in place.

AS_ROOT = os.geteuid() == 0


@pytest.fixture
def private_directory() -> Iterator[Path]:
    """Give a fresh directory that only its owner may enter, as `mktemp -d` makes."""
    directory = Path(tempfile.mkdtemp(prefix="semaine-private-"))
    assert stat.S_IMODE(directory.stat().st_mode) == 0o700
    yield directory
    shutil.rmtree(directory)


@pytest.fixture
def install_cache(monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Keep this test's installation copies in a directory of its own, removed after it."""
    cache = Path(tempfile.mkdtemp(prefix="semaine-test-cache-", dir="/var/tmp"))
    cache.chmod(0o755)
    monkeypatch.setattr(postgres_module, "INSTALL_CACHE_DIRS", (cache,))
    yield cache
    shutil.rmtree(cache)


def _system_bindir() -> Path | None:
    """Return the bin directory of the system's PostgreSQL (not the wheel's), if any."""
    on_path = shutil.which("postgres")
    if on_path is not None:
        return Path(on_path).resolve().parent
    return next(iter(sorted(Path("/usr/lib/postgresql").glob("*/bin"))), None)


def _private_installation(installation: str, private: Path) -> PostgresBinaries:
    """Put a hard-linked tree of an installation inside `private`, as a venv there has it."""
    if installation == "pgserver":
        bindir = _pgserver_bindir().resolve()
        # The wheel's binaries load their libraries from `$ORIGIN/../../../pgserver.libs`.
        site_packages = bindir.parents[2]
        parts = ["pgserver/pginstall/bin", "pgserver/pginstall/lib", "pgserver/pginstall/share"]
        parts.append("pgserver.libs")
        target_root = private / "venv" / "site-packages"
    else:
        system = _system_bindir()
        if system is None:
            pytest.skip("no system PostgreSQL: apt-get install postgresql")
        bindir = system
        site_packages = bindir.parent
        parts = [name for name in ("bin", "lib", "share") if (bindir.parent / name).is_dir()]
        target_root = private / "postgresql"
    for part in parts:
        shutil.copytree(site_packages / part, target_root / part, copy_function=_link_or_copy)
    copied = target_root / bindir.relative_to(site_packages)
    found = PostgresBinaries.in_directory(copied, installation)
    assert found is not None
    return found


def _link_or_copy(source: str, target: str) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


@pytest.mark.parametrize("installation", ["pgserver", "system"])
def test_starts_queries_and_stops_with_binaries_in_a_private_directory(
    installation: str, private_directory: Path, install_cache: Path
) -> None:
    binaries = _private_installation(installation, private_directory)

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


def test_copies_made_at_once_end_as_one_whole_world_readable_copy(
    private_directory: Path, install_cache: Path
) -> None:
    bindir = _private_installation("pgserver", private_directory).postgres.parent
    start = threading.Barrier(4)
    results: list[Path] = []

    def copy() -> None:
        start.wait()
        results.append(copy_installation(bindir, install_cache))

    threads = [threading.Thread(target=copy) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(results) == 4
    assert len(set(results)) == 1
    (copy_root,) = install_cache.iterdir()  # no staging directory left behind
    assert results[0] == copy_root / "pgserver" / "pginstall" / "bin"
    modes = {stat.S_IMODE(path.stat().st_mode) for path in (copy_root, *copy_root.rglob("*"))}
    assert modes == {0o755, 0o644}
    version = subprocess.run(
        [results[0] / "postgres", "--version"], capture_output=True, text=True, check=True
    )
    assert version.stdout.startswith("postgres (PostgreSQL) ")


def test_a_partial_copy_is_completed_and_a_foreign_one_refused(
    private_directory: Path, install_cache: Path
) -> None:
    bindir = _private_installation("pgserver", private_directory).postgres.parent
    copied = copy_installation(bindir, install_cache)
    (copied / "initdb").unlink()  # as a temporary-file cleaner may do

    assert copy_installation(bindir, install_cache) == copied
    assert (copied / "initdb").is_file()

    (copy_root,) = install_cache.iterdir()
    copy_root.chmod(0o777)  # another user could have put anything in it
    try:
        with pytest.raises(PostgresError, match=rf"remove it \(rm -rf {copy_root}\)"):
            copy_installation(bindir, install_cache)
    finally:
        copy_root.chmod(0o755)


def test_a_binary_no_one_may_run_is_one_line_with_the_fix(
    tmp_path: Path, install_cache: Path
) -> None:
    binaries = _fake_binaries(tmp_path / "bin", "#!/bin/sh\nexit 0\n", 0o644)

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
    binaries = _private_installation("pgserver", private_directory)
    closed_cache = tmp_path / "closed"
    closed_cache.mkdir(mode=0o700)
    monkeypatch.setattr(postgres_module, "INSTALL_CACHE_DIRS", (closed_cache,))

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
