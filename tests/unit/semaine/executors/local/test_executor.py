"""How much the local executor runs at once by default."""

from __future__ import annotations

import pytest

from semaine.executors.local import executor
from semaine.executors.local.executor import default_parallelism


@pytest.mark.parametrize(
    ("cores", "expected"), [(None, (2, 2)), (1, (2, 2)), (2, (3, 2)), (16, (17, 8))]
)
def test_typecheck_and_test_run_side_by_side_on_any_machine(
    cores: int | None, expected: tuple[int, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(executor.os, "cpu_count", lambda: cores)
    assert default_parallelism() == expected
