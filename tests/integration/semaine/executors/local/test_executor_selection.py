"""The local executor reruns only the test files a change affects, and reports them whole.

A small project of two test files, each depending on a module of its own; every run is
`semaine pipeline --only test` with the result cache (`.semaine_cache` in the project).
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

import pytest
from defusedxml import ElementTree

from semaine.cli import main

if TYPE_CHECKING:
    from pathlib import Path

pytestmark = [pytest.mark.slow, pytest.mark.integration]

PROJECT = {
    "pyproject.toml": """\
[project]
name = "selection"
version = "0.0.0"
requires-python = ">=3.11"

[tool.pytest.ini_options]
testpaths = ["tests"]
addopts = ["--import-mode=importlib"]

[tool.coverage.run]
branch = true
parallel = true
source = ["app"]
patch = ["subprocess"]

[tool.semaine.gates]
coverage_total_min_percent = 90.0
coverage_files_min_percent = { "app/weeks.py" = 100.0 }
""",
    "app/__init__.py": '"""The app."""\n',
    "app/weeks.py": "def days() -> int:\n    return 7\n",
    "app/names.py": 'def name(number: int) -> str:\n    return f"week {number}"\n',
    "tests/test_weeks.py": """\
from app.weeks import days


def test_days() -> None:
    assert days() == 7
""",
    "tests/test_names.py": """\
from app.names import name


def test_name() -> None:
    assert name(1) == "week 1"


def test_another_name() -> None:
    assert name(2) == "week 2"
""",
}


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    # The steps inherit this process's environment: the suite's own coverage, when it
    # runs under --cov, must not measure the project's pytest too.
    for name in ("COVERAGE_PROCESS_CONFIG", "COVERAGE_PROCESS_START", "COVERAGE_FILE"):
        monkeypatch.delenv(name, raising=False)
    # An edit of the same size within the same second would reuse a stale .pyc.
    monkeypatch.setenv("PYTHONDONTWRITEBYTECODE", "1")
    root = tmp_path / "project"
    for name, text in PROJECT.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return root


def run(project: Path, reports: Path, *options: str) -> dict[str, Any]:
    status = main(
        ["pipeline", "--only", "test", "--project-dir", str(project),
         "--report-dir", str(reports), *options]
    )  # fmt: skip
    summary: dict[str, Any] = json.loads((reports / "summary.json").read_text(encoding="utf-8"))
    assert status == summary["exit_status"]
    (stage,) = summary["stages"]
    assert stage["name"] == "test"
    return dict(stage)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def junit_cases(reports: Path) -> list[tuple[str, bool]]:
    """Return (test id, failed) of every test case the stage's JUnit report holds."""
    root = ElementTree.fromstring((reports / "test" / "junit.xml").read_text(encoding="utf-8"))
    return sorted(
        (
            f"{case.get('classname')}::{case.get('name')}",
            case.find("failure") is not None or case.find("error") is not None,
        )
        for case in root.iter("testcase")
    )


def coverage(reports: Path) -> tuple[Any, Any]:
    document = json.loads((reports / "test" / "coverage.json").read_text(encoding="utf-8"))
    return document["totals"], document["files"]


ALL_PASSED = [
    ("tests.test_names::test_another_name", False),
    ("tests.test_names::test_name", False),
    ("tests.test_weeks::test_days", False),
]


def test_a_change_reruns_the_affected_test_files_and_reports_the_whole_suite(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = run(project, tmp_path / "r1")
    assert first["verdict"] == "pass"
    assert first["partial_run"] is None
    assert first["cached_from"] is None

    edit(project / "app" / "names.py", 'return f"week {number}"', 'return "week " + str(number)')
    capsys.readouterr()
    partial = run(project, tmp_path / "r2")
    assert partial["verdict"] == "pass"
    assert partial["cached_from"] is None
    assert partial["partial_run"].startswith(
        "1 of 2 test files affected by 1 changed file ran; the other 1 kept their results"
    )
    output = capsys.readouterr()
    assert re.search(r"test +pass \(affected tests only\)", output.err)
    assert "test: 1 of 2 test files affected" in output.out  # the gate table
    assert "Only the tests a change affects ran" in (
        (tmp_path / "r2" / "summary.md").read_text(encoding="utf-8")
    )
    assert junit_cases(tmp_path / "r2") == ALL_PASSED
    log = (tmp_path / "r2" / "test" / "output.log").read_text(encoding="utf-8")
    assert "tests/test_names.py" in log
    assert "tests/test_weeks.py" not in log

    # A change of the configuration can affect any test: the whole suite runs. The
    # comment changes no behaviour: its coverage is what a whole run of the edited
    # project reports, which the merged report must equal.
    edit(project / "pyproject.toml", "[tool.coverage.run]", "# measured\n[tool.coverage.run]")
    whole = run(project, tmp_path / "r3")
    assert whole["verdict"] == "pass"
    assert whole["partial_run"] is None
    assert junit_cases(tmp_path / "r3") == ALL_PASSED
    assert coverage(tmp_path / "r2") == coverage(tmp_path / "r3")

    edit(project / "tests" / "test_weeks.py", "== 7", "== 8")
    failing = run(project, tmp_path / "r4")
    assert failing["verdict"] == "fail"
    assert failing["partial_run"].startswith("1 of 2 test files affected by 1 changed file")
    tests_gate = next(gate for gate in failing["gates"] if gate["gate"] == "tests")
    assert tests_gate["outcome"] == "fail"
    assert "tests.test_weeks::test_days" in tests_gate["findings"]
    assert junit_cases(tmp_path / "r4") == [
        ("tests.test_names::test_another_name", False),
        ("tests.test_names::test_name", False),
        ("tests.test_weeks::test_days", True),
    ]


def newest_cached_reports(project: Path) -> Path:
    entries = (project / ".semaine_cache" / "test").glob("[!.]*")
    return max(entries, key=lambda entry: entry.stat().st_mtime) / "reports"


def test_a_refused_pass_or_a_moved_project_runs_whole_and_a_failed_merge_fails(
    project: Path, tmp_path: Path
) -> None:
    assert run(project, tmp_path / "r1")["verdict"] == "pass"
    # The stored pass, judged again, now fails (as after a stricter evaluation): the
    # same sources must run for real, not be merged from that very pass.
    failure = '<testcase classname="tests.test_weeks" name="test_days"><failure/></testcase>'
    (newest_cached_reports(project) / "junit.xml").write_text(
        f'<testsuite tests="1" failures="1">{failure}</testsuite>', encoding="utf-8"
    )
    again = run(project, tmp_path / "r2")
    assert again["verdict"] == "pass"
    assert again["cached_from"] is None
    assert again["partial_run"] is None
    assert junit_cases(tmp_path / "r2") == ALL_PASSED

    # Moved (its cache with it), the project's earlier coverage data names files where it
    # was: the whole suite runs.
    moved = project.rename(tmp_path / "moved")
    edit(moved / "app" / "names.py", 'return f"week {number}"', 'return "week " + str(number)')
    whole = run(moved, tmp_path / "r3")
    assert whole["verdict"] == "pass"
    assert whole["partial_run"] is None
    assert junit_cases(tmp_path / "r3") == ALL_PASSED

    (newest_cached_reports(moved) / ".coverage").write_text("not coverage data", "utf-8")
    edit(moved / "app" / "names.py", 'return "week "', 'return "week" + " "')
    broken = run(moved, tmp_path / "r4")
    assert broken["verdict"] == "fail"
    assert broken["partial_run"] is not None
    outcomes = {gate["gate"]: gate["outcome"] for gate in broken["gates"]}
    assert outcomes.get("merge with the earlier run") == "fail"
