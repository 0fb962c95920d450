"""`semaine pipeline --quick` on the tiny project: the tests testmon selects, never the verdict.

The tiny project gets a second module and a check of its own, so that an edit of one
module affects some checks and not others. testmon keeps its data in the copy's root.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import pytest
from defusedxml import ElementTree

from semaine.cli import main
from semaine.pipeline import quick

if TYPE_CHECKING:
    from pathlib import Path

pytestmark = [pytest.mark.slow, pytest.mark.integration]

NAMES = '''\
"""Week names of the tiny app."""


def name(number: int) -> str:
    """Return the name of week `number`."""
    return f"week {number}"
'''
CHECK_NAMES = """\
from app.names import name


def test_name() -> None:
    assert name(1) == "week 1"
"""
EVERY_CHECK = [
    "tests.check_names::test_name",
    "tests.check_weeks::test_label_uses_the_iso_year",
    "tests.check_weeks::test_monday_of_a_sunday_is_six_days_before",
]


@pytest.fixture
def project(tiny_project: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Give the tiny project with app/names.py and its check."""
    # When this suite runs under coverage, its subprocess patch must not trace the
    # project's pytest too: testmon measures with coverage itself.
    for name in ("COVERAGE_PROCESS_CONFIG", "COVERAGE_PROCESS_START", "COVERAGE_FILE"):
        monkeypatch.delenv(name, raising=False)
    (tiny_project / "app" / "names.py").write_text(NAMES, encoding="utf-8")
    (tiny_project / "tests" / "check_names.py").write_text(CHECK_NAMES, encoding="utf-8")
    return tiny_project


def run(project: Path, reports: Path, *verb: str) -> tuple[int, dict[str, Any]]:
    """Run `semaine VERB --quick` on `project`; return its status and summary.json."""
    options = ["--quick", "--project-dir", str(project), "--report-dir", str(reports)]
    status = main([*verb, *options])
    summary: dict[str, Any] = json.loads((reports / "summary.json").read_text(encoding="utf-8"))
    assert status == summary["exit_status"]
    assert summary["quick"] is True
    return status, summary


def stage_of(summary: dict[str, Any]) -> dict[str, Any]:
    """Return the test stage of a summary, its gates by name."""
    (stage,) = [stage for stage in summary["stages"] if stage["name"] == "test"]
    return {**stage, "gates": {gate["gate"]: gate for gate in stage["gates"]}}


def ran(reports: Path) -> list[tuple[str, bool]]:
    """Return (test id, failed) of every test the test stage ran, from its JUnit report."""
    root = ElementTree.fromstring((reports / "test" / "junit.xml").read_text(encoding="utf-8"))
    return sorted(
        (
            f"{case.get('classname')}::{case.get('name')}",
            case.find("failure") is not None or case.find("error") is not None,
        )
        for case in root.iter("testcase")
    )


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    # Another size: a bytecode cache is stale by size or by second, not by content.
    assert len(old) != len(new)
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_quick_runs_everything_first_then_only_what_an_edit_affects(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, first = run(project, tmp_path / "r1", "pipeline")
    assert status == 0
    assert [stage["name"] for stage in first["stages"]] == ["lint", "typecheck", "test"]
    assert {stage["verdict"] for stage in first["stages"]} == {"pass"}
    assert ran(tmp_path / "r1") == [(name, False) for name in EVERY_CHECK]
    gates = stage_of(first)["gates"]
    assert gates["affected tests"]["outcome"] == "pass"
    assert quick.FIRST_RUN in gates["affected tests"]["detail"]
    assert (gates["coverage"]["outcome"], gates["coverage"]["detail"]) == (
        "skipped",
        quick.NOT_JUDGED,
    )
    assert not (tmp_path / "r1" / "test" / "coverage.json").exists()
    assert (project / ".testmondata").is_file()
    # It says what it is wherever a result is read.
    assert first["note"] == quick.NOTE
    markdown = (tmp_path / "r1" / "summary.md").read_text(encoding="utf-8")
    assert markdown.startswith("## Quick run: ✅ pass (exit status 0), not the pipeline's verdict")
    output = capsys.readouterr()
    assert quick.NOTE in output.err
    assert "quick run verdict (not the pipeline's): pass; exit status 0" in output.out

    edit(project / "app" / "names.py", 'return f"week {number}"', 'return "week " + str(number)')
    status, edited = run(project, tmp_path / "r2", "test")
    assert status == 0
    assert ran(tmp_path / "r2") == [("tests.check_names::test_name", False)]
    assert stage_of(edited)["gates"]["affected tests"]["detail"] == "1 passed, 0 skipped"

    status, unchanged = run(project, tmp_path / "r3", "test")
    assert status == 0
    assert ran(tmp_path / "r3") == []
    affected = stage_of(unchanged)["gates"]["affected tests"]
    assert (affected["outcome"], affected["detail"]) == (
        "pass",
        "no test is affected by the changes since the last quick run",
    )


def test_a_failing_affected_test_fails_the_quick_run_until_it_is_fixed(
    project: Path, tmp_path: Path
) -> None:
    assert run(project, tmp_path / "r1", "test")[0] == 0

    edit(project / "app" / "weeks.py", 'f"{year}-W{week:02d}"', 'f"{year}-week{week:02d}"')
    status, broken = run(project, tmp_path / "r2", "test")
    assert status == 1
    assert broken["verdict"] == "fail"
    # testmon tracks functions: the check of monday() never ran label(), the edited one.
    assert ran(tmp_path / "r2") == [("tests.check_weeks::test_label_uses_the_iso_year", True)]
    affected = stage_of(broken)["gates"]["affected tests"]
    assert affected["outcome"] == "fail"
    assert "tests.check_weeks::test_label_uses_the_iso_year" in affected["detail"]
    markdown = (tmp_path / "r2" / "summary.md").read_text(encoding="utf-8")
    assert markdown.startswith("## Quick run: ❌ fail (exit status 1)")

    # Nothing changed since, but testmon runs a failed test again: it still fails.
    status, _ = run(project, tmp_path / "r3", "test")
    assert status == 1
    assert ran(tmp_path / "r3") == [("tests.check_weeks::test_label_uses_the_iso_year", True)]
