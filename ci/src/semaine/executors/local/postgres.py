"""A throwaway PostgreSQL server: a temporary cluster on a free loopback port.

One implementation serves the test fixtures, `python -m app serve --dev`, the local
executor and the benchmarks.

Running as root: PostgreSQL refuses to run as root (initdb, pg_ctl and postgres all
check the effective uid), and CI and the developer machines here run as root. So when
`os.geteuid() == 0` every PostgreSQL process is started as an unprivileged user
(`postgres` when the system has one, else `nobody`) through subprocess's `user=`,
`group=` and `extra_groups=` arguments: the child drops its privileges between fork
and exec in C, so no Python code runs in the forked child (unlike `preexec_fn`, which
is unsafe in a threaded parent) and no `runuser`/`setpriv` binary is needed. The
temporary directory is created traversable by that user and handed to it with chown.

That user must also reach the binaries, and a checkout in a directory only its owner
may enter (`/root/...`, `mktemp -d`) keeps the pgserver wheel's out of its reach. Then
the installation (bin/, and the lib/ and share/ beside it, which PostgreSQL finds
relative to its bin/) is copied once into a root-owned, world-readable directory of
`INSTALL_CACHE_DIRS`, named after a hash of its content, and run from there. The private
directories stay as they are: pgserver would chmod every parent o+rx instead.
"""

from __future__ import annotations

import contextlib
import dataclasses
import errno
import hashlib
import importlib.util
import logging
import os
import pwd
import re
import secrets
import shutil
import signal
import socket
import stat
import subprocess  # this module's purpose is to run PostgreSQL's binaries  # nosec B404
import tempfile
import time
from pathlib import Path
from typing import IO, TYPE_CHECKING, Self
from urllib.parse import quote

import psycopg

from semaine.executors.local.databases import create_database, drop_database

if TYPE_CHECKING:
    from collections.abc import Iterator
    from types import TracebackType

_log = logging.getLogger(__name__)

_SUPERUSER = "postgres"
_HOST = "127.0.0.1"
_BINARIES = ("initdb", "pg_ctl", "postgres")
_UNPRIVILEGED_USERS = ("postgres", "nobody")
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
INSTALL_CACHE_DIRS = (Path("/var/tmp"), Path("/tmp"))  # noqa: S108 - owner and mode checked (_holds)  # nosec B108
"""Where (the first one the unprivileged user can reach) an installation copy is kept."""
_INSTALL_COPY_PREFIX = "semaine-postgres-"
# Besides bin/, what PostgreSQL loads from its installation (libraries, catalogs, zones).
_INSTALL_SIBLINGS = ("lib", "share")
_DIGEST_CHARS = 16
_ELF_MAGIC = b"\x7fELF"
# In an ELF file's RPATH/RUNPATH (a NUL-terminated, ':'-separated list of directories).
_ORIGIN = re.compile(rb"\$\{?ORIGIN\}?")
_WRITABLE_BY_OTHERS = stat.S_IWGRP | stat.S_IWOTH
# Variables that would redirect the PostgreSQL tools to another cluster or server.
_PG_ENV_PREFIX = "PG"


class PostgresError(RuntimeError):
    """The throwaway PostgreSQL could not be found, started or used."""


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


@dataclasses.dataclass(frozen=True)
class RunAs:
    """The unprivileged user that PostgreSQL runs as when we are root."""

    name: str
    uid: int
    gid: int


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


def unprivileged_user() -> RunAs | None:
    """Return the user to run PostgreSQL as when we are root, else None."""
    if os.geteuid() != 0:
        return None
    for name in _UNPRIVILEGED_USERS:
        with contextlib.suppress(KeyError):
            entry = pwd.getpwnam(name)
            return RunAs(name=name, uid=entry.pw_uid, gid=entry.pw_gid)
    msg = (
        "running as root, and PostgreSQL refuses to run as root; no unprivileged user "
        f"({' or '.join(_UNPRIVILEGED_USERS)}) exists: create one (useradd postgres)"
    )
    raise PostgresError(msg)


def reachable_binaries(binaries: PostgresBinaries, run_as: RunAs) -> PostgresBinaries:
    """Return `binaries`, or the same ones in a copy of their installation `run_as` reaches."""
    paths = (binaries.initdb, binaries.pg_ctl, binaries.postgres)
    closed = [(path, barrier) for path in paths if (barrier := _barrier(path, run_as))]
    if not closed:
        return binaries
    # initdb runs the postgres beside it, so all of them move together.
    copies: dict[Path, Path] = {}
    for path in paths:
        bindir = path.resolve().parent
        if bindir not in copies:
            copies[bindir] = _install_copy(bindir, run_as, closed[0])
    initdb, pg_ctl, postgres = (
        copies[path.resolve().parent] / path.resolve().name for path in paths
    )
    for path in (initdb, pg_ctl, postgres):
        barrier = _barrier(path, run_as)
        if barrier is not None:
            raise PostgresError(_unreachable(path, barrier, run_as))
    source = f"{binaries.source}, copied to {initdb.parent}"
    _log.info("%s cannot reach %s: running PostgreSQL from %s", run_as.name, paths[0], source)
    return PostgresBinaries(initdb=initdb, pg_ctl=pg_ctl, postgres=postgres, source=source)


def copy_installation(bindir: Path, base: Path) -> Path:
    """Copy `bindir`'s installation into `base` once, world-readable; return the copy's bin."""
    root, files = _installation_files(bindir)
    entry = base / f"{_INSTALL_COPY_PREFIX}{_digest(files)}"
    if not _holds(entry, files):
        staging = _fresh_directory(base, entry.name)
        try:
            for relative, (source, _size) in files.items():
                target = staging / relative
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(source, target)
                target.chmod(0o755 if source.stat().st_mode & 0o111 else 0o644)
            for folder in (staging, *(path for path in staging.rglob("*") if path.is_dir())):
                folder.chmod(0o755)
            _put_in_place(staging, entry, files)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    return entry / bindir.relative_to(root)


def _install_copy(bindir: Path, run_as: RunAs, closed: tuple[Path, Path]) -> Path:
    path, barrier = closed
    for base in INSTALL_CACHE_DIRS:
        if base.is_dir() and _barrier(base, run_as) is None:
            try:
                return copy_installation(bindir, base)
            except OSError as error:
                msg = (
                    f"could not copy PostgreSQL from {bindir.parent} to {base} for {run_as.name} "
                    f"({error.strerror}: {error.filename}): free space there, or install "
                    "PostgreSQL system-wide (apt-get install postgresql)"
                )
                raise PostgresError(msg) from None
    raise PostgresError(
        _unreachable(path, barrier, run_as)
        + f" (no copy: none of {', '.join(map(str, INSTALL_CACHE_DIRS))} is open to it)"
    )


def _unreachable(path: Path, barrier: Path, run_as: RunAs) -> str:
    return (
        f"PostgreSQL runs as {run_as.name} (it refuses root), who cannot reach {path}: "
        f"{barrier} does not let {run_as.name} through; install PostgreSQL system-wide "
        f"(apt-get install postgresql), or give {barrier} the x permission for {run_as.name}"
    )


def _installation_files(bindir: Path) -> tuple[Path, dict[str, tuple[Path, int]]]:
    """Return the installation's root and its files: relative path to source and size."""
    install_root = bindir.parent
    parts = [bindir] + [
        install_root / name
        for name in _INSTALL_SIBLINGS
        if (install_root / name).is_dir() and install_root / name != bindir
    ]
    sources = [source for part in parts for source in _files_under(part)]
    # A wheel repaired by auditwheel loads libraries from beside the package
    # (`$ORIGIN/../../../pgserver.libs`): the copy keeps them where the binaries look.
    libraries = [
        folder
        for folder in _origin_run_paths(sources)
        if not any(folder.is_relative_to(part) for part in parts)
        and not install_root.is_relative_to(folder)
    ]
    sources += [source for folder in libraries for source in _files_under(folder)]
    root = Path(os.path.commonpath([install_root, *libraries]))
    files = {
        source.relative_to(root).as_posix(): (source, source.stat().st_size) for source in sources
    }
    return root, dict(sorted(files.items()))


def _files_under(folder: Path) -> list[Path]:
    # Symlinks are followed: what they point to may be in the private directory too.
    return [
        Path(directory, name)
        for directory, _subdirectories, names in os.walk(folder, followlinks=True)
        for name in names
        if Path(directory, name).is_file()
    ]


def _origin_run_paths(sources: list[Path]) -> set[Path]:
    """Return the existing directories that ELF files name in `$ORIGIN` run paths."""
    folders: set[Path] = set()
    for source in sources:
        with source.open("rb") as stream:
            if stream.read(len(_ELF_MAGIC)) != _ELF_MAGIC:
                continue
            content = stream.read()
        for match in _ORIGIN.finditer(content):
            start = content.rfind(b"\0", 0, match.start()) + 1
            end = content.find(b"\0", match.end())
            for entry in content[start : end if end >= 0 else None].split(b":"):
                if _ORIGIN.search(entry):
                    text = _ORIGIN.sub(str(source.parent).encode(), entry).decode(errors="replace")
                    folder = Path(os.path.normpath(text))
                    if folder.is_dir():
                        folders.add(folder)
    return folders


def _digest(files: dict[str, tuple[Path, int]]) -> str:
    digest = hashlib.sha256()
    for relative, (source, _size) in files.items():
        digest.update(relative.encode() + b"\0")
        with source.open("rb") as stream:
            digest.update(hashlib.file_digest(stream, "sha256").digest())
    return digest.hexdigest()[:_DIGEST_CHARS]


def _holds(entry: Path, files: dict[str, tuple[Path, int]]) -> bool:
    """Return True if `entry` is a whole copy of `files`, False if it is absent or partial."""
    try:
        info = entry.lstat()
    except FileNotFoundError:
        return False
    # Anyone may create names in /var/tmp: run nothing that another user could have put.
    if (
        not stat.S_ISDIR(info.st_mode)
        or info.st_uid != os.geteuid()
        or info.st_mode & _WRITABLE_BY_OTHERS
    ):
        msg = (
            f"{entry} is not a directory of uid {os.geteuid()} closed to others' writes, "
            f"so the PostgreSQL in it cannot be trusted: remove it (rm -rf {entry})"
        )
        raise PostgresError(msg)
    # A temporary-file cleaner (systemd-tmpfiles) may have removed old files from it.
    return all(
        (entry / relative).is_file() and (entry / relative).stat().st_size == size
        for relative, (_source, size) in files.items()
    )


def _put_in_place(staging: Path, entry: Path, files: dict[str, tuple[Path, int]]) -> None:
    if _renamed(staging, entry) or _holds(entry, files):
        return
    # What is there is partial: set it aside (a rename onto an empty directory) for ours.
    aside = _fresh_directory(entry.parent, entry.name)
    try:
        with contextlib.suppress(FileNotFoundError):
            entry.rename(aside)
        if not _renamed(staging, entry) and not _holds(entry, files):
            msg = f"{entry} changed while PostgreSQL was copied into it: start again"
            raise PostgresError(msg)
    finally:
        shutil.rmtree(aside, ignore_errors=True)


def _renamed(source: Path, target: Path) -> bool:
    """Rename `source` to `target`; return False if `target` exists (another's copy)."""
    # A rename is atomic: a racing process (an xdist worker) sees no copy or a whole one.
    try:
        source.rename(target)
    except OSError as error:
        if error.errno in {errno.EEXIST, errno.ENOTEMPTY}:
            return False
        raise
    return True


def _fresh_directory(base: Path, name: str) -> Path:
    # Not tempfile.mkdtemp: callers of ThrowawayPostgres may watch that for the data dir.
    folder = base / f".{name}.{secrets.token_hex(8)}"
    folder.mkdir(mode=0o700)
    return folder


def _barrier(path: Path, run_as: RunAs) -> Path | None:
    """Return the first directory on the way to `path`, or `path`, closed to `run_as`."""
    absolute = path.absolute()
    for target in dict.fromkeys((absolute, absolute.resolve())):
        for step in (*reversed(target.parents), target):
            if not _may_pass(step, run_as):
                return step
    return None


def _may_pass(path: Path, run_as: RunAs) -> bool:
    try:
        info = path.stat()
    except OSError:
        return False
    # As the kernel does: the owner's bits for the owner, else the group's for the group
    # (the only group: its supplementary groups are dropped), else the others' bits.
    if info.st_uid == run_as.uid:
        bit = stat.S_IXUSR
    elif info.st_gid == run_as.gid:
        bit = stat.S_IXGRP
    else:
        bit = stat.S_IXOTH
    return bool(info.st_mode & bit)


def free_port() -> int:
    """Return a TCP port on the loopback interface that is free right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((_HOST, 0))
        port: int = probe.getsockname()[1]
        return port


def log_tail(path: Path, lines: int = _LOG_TAIL_LINES) -> str:
    """Return the last `lines` lines of a log file (empty if it does not exist)."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return ""
    return "\n".join(text.splitlines()[-lines:])


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

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
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
            _HOST,
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
        return f"postgresql://{_SUPERUSER}@{_HOST}:{self.port}/{quote(name, safe='')}"

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
        if self._run_as is not None and _barrier(base, self._run_as) is not None:
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
        return roomy and (self._run_as is None or _barrier(base, self._run_as) is None)

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
            msg = f"initdb failed (exit {result.returncode}) with {binaries.initdb}:\n" + (
                "\n".join(result.stdout.splitlines()[-_LOG_TAIL_LINES:])
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
            "listen_addresses": _HOST,
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
        url = f"postgresql://{_SUPERUSER}@{_HOST}:{port}/postgres"
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
                        f"PostgreSQL did not accept connections on {_HOST}:{port} "
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
        tail = log_tail(self.log_path)
        return f"; last lines of {self.log_path}:\n{tail}" if tail else " (the log is empty)"


def _clean_environment() -> dict[str, str]:
    environment = {
        key: value for key, value in os.environ.items() if not key.startswith(_PG_ENV_PREFIX)
    }
    environment["LC_ALL"] = "C"
    return environment
