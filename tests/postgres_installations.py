"""PostgreSQL installations for the throwaway-PostgreSQL tests: the wheel's, the system's, fakes.

As root, PostgreSQL runs as an unprivileged user, which cannot enter a directory that
only its owner may (mode 0700: /root/..., mktemp -d). These helpers put an installation
in such a directory, as a checkout's venv has it, or fake one with shell scripts.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
from pathlib import Path

import pytest

from semaine.executors.local.postgres_binaries import PostgresBinaries

AS_ROOT = os.geteuid() == 0


def pgserver_bindir() -> Path:
    """Return the bin directory of the pgserver wheel's PostgreSQL."""
    spec = importlib.util.find_spec("pgserver")
    assert spec is not None
    assert spec.submodule_search_locations
    return Path(next(iter(spec.submodule_search_locations))) / "pginstall" / "bin"


def fake_binaries(bindir: Path, script: str, mode: int) -> PostgresBinaries:
    """Make initdb, pg_ctl and postgres in `bindir` the same shell `script`, with `mode`."""
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


def private_installation(installation: str, private: Path) -> PostgresBinaries:
    """Put a hard-linked tree of an installation inside `private`, as a venv there has it."""
    if installation == "pgserver":
        bindir = pgserver_bindir().resolve()
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


def _system_bindir() -> Path | None:
    """Return the bin directory of the system's PostgreSQL (not the wheel's), if any."""
    on_path = shutil.which("postgres")
    if on_path is not None:
        return Path(on_path).resolve().parent
    return next(iter(sorted(Path("/usr/lib/postgresql").glob("*/bin"))), None)


def _link_or_copy(source: str, target: str) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)
