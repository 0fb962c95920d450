"""The tiny fixture project, copied fresh for each test of the local executor."""

import shutil
from pathlib import Path

import pytest

from tests.paths import TINY_PROJECT

TINY = TINY_PROJECT


@pytest.fixture
def tiny_project(tmp_path: Path) -> Path:
    """Give a fresh copy of tests/fixtures/projects/tiny (the executor may break or cache it)."""
    return Path(shutil.copytree(TINY, tmp_path / "tiny"))
