"""Fixtures of the local executor's tests: the tiny project, private dirs, installation caches."""

import shutil
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from semaine.executors.local import postgres_as_root
from tests.paths import TINY_PROJECT

TINY = TINY_PROJECT


@pytest.fixture
def tiny_project(tmp_path: Path) -> Path:
    """Give a fresh copy of tests/fixtures/projects/tiny (the executor may break or cache it)."""
    return Path(shutil.copytree(TINY, tmp_path / "tiny"))


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
    monkeypatch.setattr(postgres_as_root, "INSTALL_CACHE_DIRS", (cache,))
    yield cache
    shutil.rmtree(cache)
