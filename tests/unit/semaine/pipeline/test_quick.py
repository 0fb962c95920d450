"""What a quick run's test stage judges: the tests testmon selected, never coverage."""

import shutil
from pathlib import Path

import pytest

from semaine.pipeline import quick
from semaine.pipeline.gates import Outcome
from semaine.pipeline.thresholds import FLOOR
from tests.paths import TOOL_OUTPUTS

# pytest's JUnit report when testmon deselected every test (recorded with pytest-xdist).
NONE_SELECTED = (
    '<?xml version="1.0" encoding="utf-8"?><testsuites name="pytest tests">'
    '<testsuite name="pytest" errors="0" failures="0" skipped="0" tests="0" time="7.726" />'
    "</testsuites>"
)
ALL_SKIPPED = (
    '<testsuite tests="2" skipped="2"><testcase name="a"/><testcase name="b"/></testsuite>'
)
# The header lines testmon 2.2 writes into pytest's output.
FIRST_RUN = "testmon: new DB, environment: default\n"
PACKAGES_CHANGED = (
    "testmon: The packages installed in your Python environment have been changed. "
    "All tests have to be re-executed. environment: default\n"
)
LATER_RUN = (
    "testmon: changed files: tests/check_weeks.py, unchanged files: 3, environment: default\n"
)


def judged(
    folder: Path, junit: str | None = None, header: str = LATER_RUN
) -> dict[str, tuple[Outcome, str]]:
    if junit is not None:
        (folder / "junit.xml").write_text(junit, encoding="utf-8")
    (folder / "pytest.txt").write_text(f"== test session starts ==\n{header}rootdir: x\n", "utf-8")
    return {gate.gate: (gate.outcome, gate.detail) for gate in quick.test(folder, FLOOR)}


def test_the_selected_tests_pass_and_coverage_is_not_judged(tmp_path: Path) -> None:
    shutil.copy(TOOL_OUTPUTS / "junit-pass.xml", tmp_path / "junit.xml")
    gates = judged(tmp_path)
    assert list(gates) == ["affected tests", "coverage"]
    outcome, detail = gates["affected tests"]
    assert outcome is Outcome.PASS
    assert " passed, " in detail
    assert gates["coverage"] == (Outcome.SKIPPED, quick.NOT_JUDGED)
    assert quick.NOT_JUDGED.startswith("not judged in --quick")


def test_a_failing_selected_test_fails_and_is_named(tmp_path: Path) -> None:
    shutil.copy(TOOL_OUTPUTS / "junit-fail.xml", tmp_path / "junit.xml")
    outcome, detail = judged(tmp_path)["affected tests"]
    assert outcome is Outcome.FAIL
    assert "failed: " in detail


def test_no_affected_test_passes_and_says_so(tmp_path: Path) -> None:
    outcome, detail = judged(tmp_path, NONE_SELECTED)["affected tests"]
    assert outcome is Outcome.PASS
    assert detail == "no test is affected by the changes since the last quick run"


def test_only_skipped_tests_is_inconclusive(tmp_path: Path) -> None:
    outcome, detail = judged(tmp_path, ALL_SKIPPED)["affected tests"]
    assert outcome is Outcome.INCONCLUSIVE
    assert "skipped (2)" in detail


def test_a_missing_report_fails_never_passes(tmp_path: Path) -> None:
    gates = judged(tmp_path)
    assert gates["affected tests"][0] is Outcome.FAIL
    assert gates["coverage"][0] is Outcome.SKIPPED


@pytest.mark.parametrize(
    ("header", "said"),
    [
        (FIRST_RUN, quick.FIRST_RUN),
        (PACKAGES_CHANGED, quick.PACKAGES_CHANGED),
        (LATER_RUN, ""),
    ],
)
def test_why_every_test_ran_is_in_the_detail(tmp_path: Path, header: str, said: str) -> None:
    shutil.copy(TOOL_OUTPUTS / "junit-pass.xml", tmp_path / "junit.xml")
    _, detail = judged(tmp_path, header=header)["affected tests"]
    assert quick.testmon_said(tmp_path / "pytest.txt") == said
    assert detail.endswith(f"({said})") is bool(said)


def test_without_pytest_output_nothing_is_said(tmp_path: Path) -> None:
    assert quick.testmon_said(tmp_path / "absent.txt") == ""
