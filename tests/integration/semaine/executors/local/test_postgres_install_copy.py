"""The content-addressed installation copy: one whole world-readable copy, completed, trusted."""

import stat
import subprocess
import threading
from pathlib import Path

import pytest

from semaine.executors.local.postgres_error import PostgresError
from semaine.executors.local.postgres_install_copy import copy_installation
from tests.postgres_installations import private_installation

pytestmark = pytest.mark.integration


def test_copies_made_at_once_end_as_one_whole_world_readable_copy(
    private_directory: Path, install_cache: Path
) -> None:
    bindir = private_installation("pgserver", private_directory).postgres.parent
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
    bindir = private_installation("pgserver", private_directory).postgres.parent
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
