"""The test-context plugin in a real pytest session: coverage labelled by test file."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pytest
from coverage import CoverageData

if TYPE_CHECKING:
    import subprocess
    from collections.abc import Callable
    from pathlib import Path

pytestmark = pytest.mark.integration


def contexts_by_line(data: CoverageData, project: Path, name: str) -> dict[int, set[str]]:
    found = data.contexts_by_lineno(str(project / name))
    return {line: set(contexts) for line, contexts in found.items()}


def test_coverage_is_labelled_by_test_file_shared_fixture_and_subprocess(
    small_project: Path,
    tmp_path: Path,
    run_pytest: Callable[..., subprocess.CompletedProcess[str]],
) -> None:
    report = tmp_path / "report"
    # One process (the test stage's xdist workers: tests/integration/semaine/executors/local).
    run = run_pytest(small_project, report)
    assert run.returncode == 0, run.stdout + run.stderr

    data = CoverageData(str(report / ".coverage"))
    data.read()
    labels = data.measured_contexts() - {""}  # "": collection, outside any test
    assert labels == {
        "tests/test_alpha.py",
        "tests/test_beta.py",
        "fixture tests::store",
        "fixture tests/test_alpha.py::limit",
        "fixture ::settings",  # a fixture of the root's conftest.py: an empty base id
    }

    alpha = contexts_by_line(data, small_project, "pkg/alpha.py")
    # `return 0` runs only in the subprocess that test_alpha.py starts after setting up
    # its fixture: the subprocess carries the test file's context, not the fixture's.
    assert alpha[4] == {"tests/test_alpha.py"}
    assert alpha[3] == {"tests/test_alpha.py", "fixture tests/test_alpha.py::limit"}

    beta = contexts_by_line(data, small_project, "pkg/beta.py")
    assert beta[2] == {"tests/test_beta.py"}  # shout(), in the tests
    assert beta[6] == {"fixture tests::store"}  # make_store(), by the fixture only
    assert contexts_by_line(data, small_project, "pkg/delta.py")[2] == {"fixture ::settings"}

    test_map = json.loads((report / "test-map.json").read_text(encoding="utf-8"))
    assert test_map == {
        "tests/test_alpha.py": ["tests/test_alpha.py::limit"],
        "tests/test_beta.py": ["::settings", "tests::store"],
    }


def test_a_session_started_inside_an_xdist_worker_still_writes_its_map(
    small_project: Path,
    tmp_path: Path,
    run_pytest: Callable[..., subprocess.CompletedProcess[str]],
) -> None:
    # A pipeline run by a test of an xdist worker inherits the worker's variables; the
    # plugin, not measuring anything here, still writes the map of its own session.
    report = tmp_path / "report"
    run = run_pytest(small_project, report, coverage=False, PYTEST_XDIST_WORKER="gw3")
    assert run.returncode == 0, run.stdout + run.stderr
    test_map = json.loads((report / "test-map.json").read_text(encoding="utf-8"))
    assert set(test_map) == {"tests/test_alpha.py", "tests/test_beta.py"}
