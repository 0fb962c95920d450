"""The quick local loop (`semaine pipeline --quick`): what it judges, and how it says so.

A quick run is lint, typecheck and only the tests that pytest-testmon selects: those
affected by the changes since its last run (its data: `.testmondata` in the project
root; without it, every test runs and is recorded). It answers "do the tests my edit
can affect still pass?", fast. It is never the pipeline's verdict: the other tests did
not run and coverage was not measured, so the coverage gate is shown as skipped,
"not judged in --quick". Only a whole run of the suite (`semaine pipeline`) judges it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from semaine.pipeline.gates import GateResult, Outcome, failed, inconclusive
from semaine.pipeline.parsers import ReportError
from semaine.pipeline.parsers.errors import read_optional_text
from semaine.pipeline.parsers.junit import parse_junit
from semaine.pipeline.thresholds import GATES

if TYPE_CHECKING:
    from pathlib import Path

    from semaine.pipeline.thresholds import Thresholds

NOTE = (
    "Quick run (--quick): only the tests affected by the changes since the last quick run "
    "ran (pytest-testmon), without coverage. Not the pipeline's verdict: `semaine pipeline` "
    "runs the whole suite and judges its coverage."
)
"""What a quick run is, in every summary it writes."""
TESTS_GATE = "affected tests"
COVERAGE_GATE = "coverage"
NOT_JUDGED = "not judged in --quick: `semaine pipeline` measures it on a whole run"
FIRST_RUN = "first quick run here (no .testmondata): every test ran and was recorded"
PACKAGES_CHANGED = "the installed packages changed since the last quick run: every test ran"
_TESTMON_LINE = "testmon:"


def test(reports: Path, thresholds: Thresholds) -> tuple[GateResult, ...]:
    """Judge the tests testmon selected (JUnit) and show coverage as not judged."""
    not_judged = GateResult(COVERAGE_GATE, Outcome.SKIPPED, detail=NOT_JUDGED)
    try:
        return (_affected_tests(reports, thresholds), not_judged)
    except ReportError as error:
        return (failed(TESTS_GATE, str(error)), not_judged)


def _affected_tests(reports: Path, thresholds: Thresholds) -> GateResult:
    run = parse_junit(reports / "junit.xml")
    if run.tests and run.tests == run.skipped:
        return inconclusive(TESTS_GATE, f"every affected test was skipped ({run.skipped})")
    if run.tests == 0:
        # pytest exits 5 when it collects nothing, which fails the stage; testmon makes
        # that 0 only when it deselected tests itself, as unaffected.
        detail = "no test is affected by the changes since the last quick run"
    else:
        detail = f"{run.passed} passed, {run.skipped} skipped"
        if run.failed:
            detail += f"; failed: {'; '.join(run.failed)}"
    said = testmon_said(reports / "pytest.txt")
    return GATES["failed_tests_max"].check(
        TESTS_GATE,
        run.failures + run.errors,
        thresholds,
        detail=f"{detail} ({said})" if said else detail,
    )


def testmon_said(pytest_output: Path) -> str:
    """Return why testmon ran every test (first run, new packages), from pytest's header."""
    text = read_optional_text(pytest_output)
    header = next((line for line in text.splitlines() if line.startswith(_TESTMON_LINE)), "")
    if "new DB" in header:
        return FIRST_RUN
    if "packages installed" in header:
        return PACKAGES_CHANGED
    return ""
