"""The throwaway PostgreSQL cluster's lifecycle: initdb, start on a free port, stop, remove.

One implementation serves the test fixtures (tests/conftest.py), the local executor and
the benchmarks (`python -m app serve --dev` uses pgserver: the service never imports
semaine). The cluster lives in a temporary directory, in memory (/dev/shm) when it may
and there is room, with durability off; databases are created (optionally cloned from a
template) and dropped on it. The binaries come from `postgres_binaries`; as root, every
PostgreSQL process runs as the unprivileged user of `postgres_as_root`, through
subprocess's `user=`, `group=` and `extra_groups=` arguments: the child drops its
privileges between fork and exec in C, so no Python code runs in the forked child
(unlike `preexec_fn`, which is unsafe in a threaded parent) and no `runuser`/`setpriv`
binary is needed. The temporary directory is created traversable by that user and
handed to it with chown.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import signal
import subprocess  # this module's purpose is to run PostgreSQL's binaries  # nosec B404
import tempfile
import time
from pathlib import Path
from typing import IO, TYPE_CHECKING, Self
from urllib.parse import quote

import psycopg

from semaine.executors.local.databases import create_database, drop_database
from semaine.executors.local.ports import LOOPBACK, free_port
from semaine.executors.local.postgres_as_root import (
    RunAs,
    barrier_to,
    reachable_binaries,
    unprivileged_user,
)
from semaine.executors.local.postgres_binaries import PostgresBinaries, find_binaries
from semaine.executors.local.postgres_error import PostgresError
from semaine.pipeline.verdict import tail

if TYPE_CHECKING:
    from collections.abc import Iterator

_log = logging.getLogger(__name__)

_SUPERUSER = "postgres"
_PORT_ATTEMPTS = 3
_LOG_TAIL_LINES = 20
# Durability is pointless for a cluster that is deleted on exit; these make it fast.
_SPEED_SETTINGS = {
    "fsync": "off",
    "synchronous_commit": "off",
    "full_page_writes": "off",
}
MEMORY_DIR = Path("/dev/shm")  # noqa: S108 - mkdtemp makes a private dir in it  # nosec B108
"""Where a throwaway cluster lives when it may (`in_memory`) and there is room: RAM."""
MEMORY_MIN_FREE_BYTES = 2 * 1024**3
# Variables that would redirect the PostgreSQL tools to another cluster or server.
_PG_ENV_PREFIX = "PG"


def log_tail(path: Path, lines: int = _LOG_TAIL_LINES) -> str:
    """Return the last `lines` lines of a log file (empty if it does not exist)."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return ""
    return tail(text, lines)


class ThrowawayPostgres:
    """A PostgreSQL cluster in a temporary directory, removed on stop.

    The directory is in memory (/dev/shm) when `in_memory` and there is room, else in
    the temporary folder: on disk when what is measured includes the disk.
    """

    def __init__(
        self,
        *,
        settings: dict[str, str] | None = None,
        startup_timeout: float = 60.0,
        binaries: PostgresBinaries | None = None,
        in_memory: bool = True,
    ) -> None:
        self._extra_settings = dict(settings or {})
        self._in_memory = in_memory
        self._startup_timeout = startup_timeout
        self._binaries = binaries
        self._running_binaries: PostgresBinaries | None = None
        self._run_as: RunAs | None = None
        self._directory: Path | None = None
        self._process: subprocess.Popen[bytes] | None = None
        self._log_file: IO[bytes] | None = None
        self._port: int | None = None
        self._version = ""

    # ------------------------------------------------------------------ lifecycle
    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(self, *_exc_info: object) -> None:
        self.stop()

    def start(self) -> None:
        """Create the cluster, start the server and wait until it accepts connections."""
        if self._process is not None:
            msg = "this ThrowawayPostgres is already started"
            raise PostgresError(msg)
        binaries = self._binaries or find_binaries()
        self._binaries = binaries
        self._run_as = unprivileged_user()
        if self._run_as is not None:
            binaries = reachable_binaries(binaries, self._run_as)
        self._running_binaries = binaries
        self._directory = self._make_directory()
        try:
            self._initdb(binaries)
            self._start_server(binaries)
        except BaseException:
            self.stop()
            raise
        _log.info(
            "PostgreSQL %s started on %s:%d (data directory %s, binaries from %s)",
            self._version,
            LOOPBACK,
            self.port,
            self.data_directory,
            binaries.source,
        )

    def stop(self) -> None:
        """Stop the server (a fast shutdown) and remove the temporary directory."""
        process, self._process = self._process, None
        if process is not None:
            self._shut_down(process)
        if self._log_file is not None:
            self._log_file.close()
            self._log_file = None
        directory, self._directory = self._directory, None
        if directory is not None:
            shutil.rmtree(directory, ignore_errors=True)
        self._port = None
        self._running_binaries = None

    # ---------------------------------------------------------------- properties
    @property
    def port(self) -> int:
        """The TCP port the server listens on (127.0.0.1)."""
        if self._port is None:
            msg = "the throwaway PostgreSQL is not running: call start() first"
            raise PostgresError(msg)
        return self._port

    @property
    def url(self) -> str:
        """The URL of the `postgres` database, as the superuser `postgres`."""
        return self.database_url("postgres")

    @property
    def binaries(self) -> PostgresBinaries:
        """The binaries the server runs: a reachable copy when root had to make one."""
        if self._running_binaries is None:
            msg = "the throwaway PostgreSQL is not running: call start() first"
            raise PostgresError(msg)
        return self._running_binaries

    @property
    def version(self) -> str:
        """The server version (`SHOW server_version`)."""
        return self._version

    @property
    def directory(self) -> Path:
        """The temporary directory (data directory, socket, log); removed on stop."""
        if self._directory is None:
            msg = "the throwaway PostgreSQL is not running: call start() first"
            raise PostgresError(msg)
        return self._directory

    @property
    def data_directory(self) -> Path:
        """The cluster's data directory."""
        return self.directory / "data"

    @property
    def log_path(self) -> Path:
        """The server's log file."""
        return self.directory / "postgres.log"

    def database_url(self, name: str) -> str:
        """Return the URL of database `name` on this server."""
        return f"postgresql://{_SUPERUSER}@{LOOPBACK}:{self.port}/{quote(name, safe='')}"

    # ------------------------------------------------------------------- helpers
    def create_database(self, name: str, template: str | None = None) -> str:
        """Create database `name` (optionally cloned from `template`); return its URL."""
        return create_database(self.url, name, template)

    def drop_database(self, name: str) -> None:
        """Drop database `name` if it exists, disconnecting its sessions."""
        drop_database(self.url, name)

    # ------------------------------------------------------------------ internals
    def _make_directory(self) -> Path:
        memory = MEMORY_DIR if self._in_memory else None
        if memory is not None and self._suits_the_cluster(memory):
            # No disk writeback: database clones measured 6-13 ms here against 11-270 ms.
            base = memory
        else:
            base = Path(tempfile.gettempdir())
        if self._run_as is not None and barrier_to(base, self._run_as) is not None:
            # The unprivileged user must reach the directory; /tmp always allows that.
            base = Path("/tmp")  # noqa: S108 - mkdtemp makes a private dir in it  # nosec B108
        directory = Path(tempfile.mkdtemp(prefix="semaine-pg-", dir=base))
        if self._run_as is not None:
            os.chown(directory, self._run_as.uid, self._run_as.gid)
        return directory

    def _suits_the_cluster(self, base: Path) -> bool:
        try:
            usable = base.is_dir() and os.access(base, os.W_OK | os.X_OK)
            roomy = usable and shutil.disk_usage(base).free >= MEMORY_MIN_FREE_BYTES
        except OSError:
            return False
        return roomy and (self._run_as is None or barrier_to(base, self._run_as) is None)

    def _initdb(self, binaries: PostgresBinaries) -> None:
        argv = [
            str(binaries.initdb),
            "--pgdata",
            str(self.data_directory),
            "--username",
            _SUPERUSER,
            "--auth",
            "trust",
            "--encoding",
            "UTF8",
            "--locale",
            "C",
            "--no-sync",
        ]
        result = self._run(argv)
        if result.returncode != 0:
            msg = f"initdb failed (exit {result.returncode}) with {binaries.initdb}:\n" + tail(
                result.stdout, _LOG_TAIL_LINES
            )
            raise PostgresError(msg)

    def _start_server(self, binaries: PostgresBinaries) -> None:
        self._log_file = self.log_path.open("ab")
        if self._run_as is not None:
            os.chown(self.log_path, self._run_as.uid, self._run_as.gid)
        for attempt in range(1, _PORT_ATTEMPTS + 1):
            port = free_port()
            self._process = self._spawn_server(binaries, port)
            if self._wait_until_ready(self._process, port):
                self._port = port
                return
            # Another process took the port between our probe and the server's bind.
            self._process = None
            _log.debug("port %d was taken (attempt %d), trying another", port, attempt)
        msg = f"PostgreSQL could not bind a free port in {_PORT_ATTEMPTS} attempts"
        raise PostgresError(msg + self._log_excerpt())

    def _spawn_server(self, binaries: PostgresBinaries, port: int) -> subprocess.Popen[bytes]:
        settings = {
            **_SPEED_SETTINGS,
            "listen_addresses": LOOPBACK,
            "unix_socket_directories": str(self.directory),
            "port": str(port),
            **self._extra_settings,
        }
        argv = [str(binaries.postgres), "-D", str(self.data_directory)]
        for key, value in settings.items():
            argv += ["-c", f"{key}={value}"]
        with self._permission_to_run(argv[0]):
            return subprocess.Popen(  # noqa: S603 - a resolved binary, no shell  # nosec B603
                argv,
                stdin=subprocess.DEVNULL,
                stdout=self._log_file,
                stderr=subprocess.STDOUT,
                env=_clean_environment(),
                # Its own session: a Ctrl-C in the terminal reaches our process, which
                # then stops the app before the database, instead of both at once.
                start_new_session=True,
                user=self._uid,
                group=self._gid,
                extra_groups=self._extra_groups,
            )

    def _wait_until_ready(self, process: subprocess.Popen[bytes], port: int) -> bool:
        """Return True once the server accepts connections, False if the port was taken."""
        url = f"postgresql://{_SUPERUSER}@{LOOPBACK}:{port}/postgres"
        deadline = time.monotonic() + self._startup_timeout
        while True:
            if process.poll() is not None:
                if "could not bind" in log_tail(self.log_path, 200):
                    return False
                msg = f"PostgreSQL exited with status {process.returncode} while starting"
                raise PostgresError(msg + self._log_excerpt())
            try:
                with psycopg.connect(url, connect_timeout=2) as connection:
                    row = connection.execute("SHOW server_version").fetchone()
            except psycopg.OperationalError:
                if time.monotonic() > deadline:
                    self._shut_down(process)
                    msg = (
                        f"PostgreSQL did not accept connections on {LOOPBACK}:{port} "
                        f"within {self._startup_timeout:g}s"
                    )
                    raise PostgresError(msg + self._log_excerpt()) from None
                time.sleep(0.05)
                continue
            self._version = str(row[0]) if row else "?"
            return True

    def _shut_down(self, process: subprocess.Popen[bytes]) -> None:
        # The server is our own child, so we send it what `pg_ctl stop -m fast` sends
        # (SIGINT: fast shutdown) and reap it. pg_ctl itself would take a server that
        # died but is not reaped yet (a zombie) for a live one and wait for it in vain.
        for sig, grace in ((signal.SIGINT, 30.0), (signal.SIGQUIT, 10.0)):
            if process.poll() is not None:
                return
            process.send_signal(sig)
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=grace)
        if process.poll() is None:
            process.kill()
            process.wait()

    def _run(self, argv: list[str]) -> subprocess.CompletedProcess[str]:
        with self._permission_to_run(argv[0]):
            return subprocess.run(  # noqa: S603 - a resolved binary, no shell  # nosec B603
                argv,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
                check=False,
                env=_clean_environment(),
                cwd=self.directory,
                user=self._uid,
                group=self._gid,
                extra_groups=self._extra_groups,
            )

    @contextlib.contextmanager
    def _permission_to_run(self, binary: str) -> Iterator[None]:
        """Turn the PermissionError of a binary that cannot be run into what to do."""
        try:
            yield
        except PermissionError as error:
            who = "" if self._run_as is None else f" as {self._run_as.name} (it refuses root)"
            msg = (
                f"could not run {binary}{who}: {error.strerror} on {error.filename}; make it "
                "and its directories readable and executable by that user, or install "
                "PostgreSQL system-wide (apt-get install postgresql)"
            )
            raise PostgresError(msg) from None

    @property
    def _uid(self) -> int | None:
        return None if self._run_as is None else self._run_as.uid

    @property
    def _gid(self) -> int | None:
        return None if self._run_as is None else self._run_as.gid

    @property
    def _extra_groups(self) -> list[int] | None:
        # Drop root's supplementary groups too, not only its uid and gid.
        return None if self._run_as is None else []

    def _log_excerpt(self) -> str:
        excerpt = log_tail(self.log_path)
        return f"; last lines of {self.log_path}:\n{excerpt}" if excerpt else " (the log is empty)"


def _clean_environment() -> dict[str, str]:
    environment = {
        key: value for key, value in os.environ.items() if not key.startswith(_PG_ENV_PREFIX)
    }
    environment["LC_ALL"] = "C"
    return environment
