"""Fixtures of the local executor's tests: the tiny project, private dirs, installation caches."""

import shutil
import stat
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from semaine.executors.local import postgres_as_root
from semaine.executors.local.environment import command_environment, tools_directory
from tests.paths import TINY_PROJECT

TINY = TINY_PROJECT


@pytest.fixture(scope="session")
def tiny_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Give a copy of the tiny project whose mypy cache is warm: copies start from it."""
    template = Path(shutil.copytree(TINY, tmp_path_factory.mktemp("tiny-template") / "tiny"))
    # A cold mypy checks typeshed's stdlib first (~1.5 CPU-s, ~15x a warm run) in every
    # copy that runs the typecheck stage: a developer's checkout has a warm cache. Files a
    # test edits change size or content, so mypy checks them again all the same.
    mypy = tools_directory(template) / "mypy"
    subprocess.run(
        [str(mypy)],
        cwd=template,
        env=command_environment(template),
        capture_output=True,
        check=True,
    )
    return template


def _copy_of_tiny(template: Path, directory: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    # Its stages' `pytest -n auto` has 3 checks to run: one xdist worker, not one per core
    # (each worker is a Python process loading every plugin, ~0.4 CPU-s).
    monkeypatch.setenv("PYTEST_XDIST_AUTO_NUM_WORKERS", "1")
    return Path(shutil.copytree(template, directory / "tiny"))


@pytest.fixture
def tiny_project(tiny_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Give a fresh copy of tests/fixtures/projects/tiny (the executor may break or cache it)."""
    return _copy_of_tiny(tiny_template, tmp_path, monkeypatch)


@pytest.fixture(scope="module")
def module_tiny_project(
    tiny_template: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Path]:
    """Give a copy of the tiny project shared by a module's tests (they only read what it makes)."""
    with pytest.MonkeyPatch.context() as monkeypatch:
        yield _copy_of_tiny(tiny_template, tmp_path_factory.mktemp("module-tiny"), monkeypatch)


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
