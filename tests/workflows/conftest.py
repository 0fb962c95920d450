"""Fixtures of the workflow tests."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from tests.workflows.history_branch import History

if TYPE_CHECKING:
    from pathlib import Path


@pytest.fixture
def history(tmp_path: Path) -> History:
    """Return a bare repository standing in for GitHub's, with no history branch yet."""
    return History(tmp_path)
