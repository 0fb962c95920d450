"""Running PostgreSQL as root: the unprivileged user it runs as, and binaries that user reaches.

PostgreSQL refuses to run as root (initdb, pg_ctl and postgres all check the effective
uid), and CI and the developer machines here run as root. So when `os.geteuid() == 0`
every PostgreSQL process runs as an unprivileged user (`postgres` when the system has
one, else `nobody`). That user must also reach the binaries, and a checkout in a
directory only its owner may enter (`/root/...`, `mktemp -d`) keeps the pgserver wheel's
out of its reach: the installation is then run from a copy in the first of
`INSTALL_CACHE_DIRS` that the user can reach. The private directories stay as they
are: pgserver would chmod every parent o+rx instead.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import os
import pwd
import stat
from pathlib import Path

from semaine.executors.local.postgres_binaries import PostgresBinaries
from semaine.executors.local.postgres_error import PostgresError
from semaine.executors.local.postgres_install_copy import copy_installation

_log = logging.getLogger(__name__)

_UNPRIVILEGED_USERS = ("postgres", "nobody")
INSTALL_CACHE_DIRS = (Path("/var/tmp"), Path("/tmp"))  # noqa: S108 - owner and mode checked (postgres_install_copy)  # nosec B108
"""Where (the first one the unprivileged user can reach) an installation copy is kept."""


@dataclasses.dataclass(frozen=True)
class RunAs:
    """The unprivileged user that PostgreSQL runs as when we are root."""

    name: str
    uid: int
    gid: int


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
    closed = [(path, barrier) for path in paths if (barrier := barrier_to(path, run_as))]
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
        barrier = barrier_to(path, run_as)
        if barrier is not None:
            raise PostgresError(_unreachable(path, barrier, run_as))
    source = f"{binaries.source}, copied to {initdb.parent}"
    _log.info("%s cannot reach %s: running PostgreSQL from %s", run_as.name, paths[0], source)
    return PostgresBinaries(initdb=initdb, pg_ctl=pg_ctl, postgres=postgres, source=source)


def _install_copy(bindir: Path, run_as: RunAs, closed: tuple[Path, Path]) -> Path:
    path, barrier = closed
    for base in INSTALL_CACHE_DIRS:
        if base.is_dir() and barrier_to(base, run_as) is None:
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


def barrier_to(path: Path, run_as: RunAs) -> Path | None:
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
