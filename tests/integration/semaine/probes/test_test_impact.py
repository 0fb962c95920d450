"""A partial test run merged into an earlier whole run reports what a whole run reports.

Each test: an earlier whole run of the small project (pytest, then `map`), an edit,
the test files `select_tests` picks run alone, `merge`; then a fresh whole run of the
edited project, whose coverage, JUnit and impact reports the merged ones must equal.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pytest
from defusedxml import ElementTree

from semaine.executors.local.result_cache import source_manifest
from semaine.executors.local.test_selection import select_tests
from semaine.pipeline.parsers.junit import parse_junit
from semaine.probes import test_impact

if TYPE_CHECKING:
    from pathlib import Path

pytestmark = pytest.mark.integration

RunPytest = Callable[..., subprocess.CompletedProcess[str]]
COVERAGE_FIELDS = ("executed_lines", "missing_lines", "executed_branches", "missing_branches")


def whole_run(project: Path, report: Path, run_pytest: RunPytest) -> None:
    run = run_pytest(project, report)
    assert run.returncode == 0, run.stdout + run.stderr
    impact(project, "map", "--report", str(report))


def impact(project: Path, *argv: str) -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(project)  # the stage runs it from the project's root
        assert test_impact.main(argv) == 0


class Partial:
    """The small project after a whole run, then edited, run partially and merged."""

    def __init__(self, project: Path, folder: Path, run_pytest: RunPytest) -> None:
        self.project = project
        self.folder = folder
        self.run_pytest = run_pytest
        self.earlier = folder / "earlier"
        whole_run(project, self.earlier, run_pytest)
        self.before = source_manifest(project)

    def edit(self, name: str, old: str, new: str) -> None:
        path = self.project / name
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {name}"
        path.write_text(text.replace(old, new), encoding="utf-8")

    def run_affected(self, expected_returncode: int = 0) -> tuple[str, ...]:
        """Run the test files the edits affect, merge, and return them."""
        document = json.loads((self.earlier / "test-impact.json").read_text(encoding="utf-8"))
        after = source_manifest(self.project)
        selection = select_tests(self.project, document, self.before, after)
        assert selection is not None
        report = self.folder / "partial"
        report.mkdir()
        if selection.rerun:
            run = self.run_pytest(self.project, report, *selection.rerun)
            assert run.returncode == expected_returncode, run.stdout + run.stderr
        # The executor hands the merge a copy of the earlier reports (the cache keeps its own).
        previous = shutil.copytree(self.earlier, self.folder / "previous")
        selection_file = self.folder / "selection.json"
        document = {
            "previous": str(previous),
            "rerun": list(selection.rerun),
            "changed": list(selection.changed),
        }
        selection_file.write_text(json.dumps(document), encoding="utf-8")
        impact(self.project, "merge", "--report", str(report), "--selection", str(selection_file))
        return selection.rerun

    def fresh(self) -> Path:
        """Run the whole edited project afresh and return its reports."""
        report = self.folder / "fresh"
        run = self.run_pytest(self.project, report)
        assert run.returncode in {0, 1}, run.stdout + run.stderr
        impact(self.project, "map", "--report", str(report))
        return report


@pytest.fixture
def partial(small_project: Path, tmp_path: Path, run_pytest: RunPytest) -> Partial:
    """Give the small project after an earlier whole run (in place: paths are absolute)."""
    return Partial(small_project, tmp_path, run_pytest)


@pytest.fixture
def partial_without_branches(small_project: Path, tmp_path: Path, run_pytest: RunPytest) -> Partial:
    """Give the small project, measured by line only, after an earlier whole run."""
    pyproject = small_project / "pyproject.toml"
    text = pyproject.read_text(encoding="utf-8")
    pyproject.write_text(text.replace("branch = true", "branch = false"), encoding="utf-8")
    return Partial(small_project, tmp_path, run_pytest)


def coverage_of(report: Path) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    document = json.loads((report / "coverage.json").read_text(encoding="utf-8"))
    files = {
        name: {field: entry.get(field) for field in COVERAGE_FIELDS}
        for name, entry in document["files"].items()
    }
    return document["totals"], files


def junit_cases(report: Path) -> list[tuple[str, str, str]]:
    """Return (classname, name, outcome) of every test case of the JUnit report."""
    root = ElementTree.fromstring((report / "junit.xml").read_text(encoding="utf-8"))
    cases = []
    for case in root.iter("testcase"):
        failed = case.find("failure") is not None or case.find("error") is not None
        cases.append((case.get("classname", ""), case.get("name", ""), "fail" if failed else ""))
    return sorted(cases)


def assert_reports_equal(merged: Path, fresh: Path) -> None:
    assert coverage_of(merged) == coverage_of(fresh)
    assert junit_cases(merged) == junit_cases(fresh)
    assert parse_junit(merged / "junit.xml") == parse_junit(fresh / "junit.xml")
    merged_impact = json.loads((merged / "test-impact.json").read_text(encoding="utf-8"))
    fresh_impact = json.loads((fresh / "test-impact.json").read_text(encoding="utf-8"))
    assert merged_impact == fresh_impact


def test_the_map_names_what_each_test_file_and_shared_fixture_executed(
    partial: Partial,
) -> None:
    document = json.loads((partial.earlier / "test-impact.json").read_text(encoding="utf-8"))
    assert document == {
        "format": 1,
        "root": str(partial.project.resolve()),
        "sources": [
            "pkg/__init__.py",
            "pkg/alpha.py",
            "pkg/beta.py",
            "pkg/delta.py",
            "pkg/gamma.py",
        ],
        "tests": {
            "tests/test_alpha.py": {
                # pkg/__init__.py: imported by the subprocess, under the test file's context
                "executed": ["pkg/__init__.py", "pkg/alpha.py"],
                "fixtures": ["tests/test_alpha.py::limit"],
            },
            "tests/test_beta.py": {
                "executed": ["pkg/beta.py"],
                "fixtures": ["::settings", "tests::store"],
            },
        },
        "fixtures": {
            "::settings": ["pkg/delta.py"],
            "tests/test_alpha.py::limit": ["pkg/alpha.py"],
            "tests::store": ["pkg/beta.py"],
        },
    }


def test_a_source_edit_reruns_its_test_file_and_the_merge_equals_a_whole_run(
    partial: Partial,
) -> None:
    partial.edit(
        "pkg/alpha.py",
        "        return 2 * number",
        "        twice = number * 2\n        return twice",
    )
    assert partial.run_affected() == ("tests/test_alpha.py",)
    merged = partial.folder / "partial"
    assert_reports_equal(merged, partial.fresh())
    run = parse_junit(merged / "junit.xml")
    assert (run.tests, run.failures, run.errors, run.skipped) == (4, 0, 0, 0)
    assert len(junit_cases(merged)) == 4  # each test once: the reused ones and the rerun ones


def test_a_rerun_test_file_that_now_fails_shows_failed_after_the_merge(partial: Partial) -> None:
    partial.edit("tests/test_beta.py", 'shout("b") == "B!"', 'shout("b") == "b"')
    assert partial.run_affected(expected_returncode=1) == ("tests/test_beta.py",)
    merged = partial.folder / "partial"
    run = parse_junit(merged / "junit.xml")
    assert (run.tests, run.failures, run.errors) == (4, 1, 0)
    assert run.failed == ("tests.test_beta::test_shout_twice",)
    assert_reports_equal(merged, partial.fresh())


def test_an_edit_no_test_reaches_runs_nothing_and_keeps_the_unexecuted_file_reported(
    partial: Partial,
) -> None:
    partial.edit("pkg/gamma.py", "return 2", "return 3")
    assert partial.run_affected() == ()
    merged = partial.folder / "partial"
    assert "pkg/gamma.py" in coverage_of(merged)[1]
    assert_reports_equal(merged, partial.fresh())


def test_a_shared_fixture_no_test_uses_any_more_no_longer_counts(partial: Partial) -> None:
    partial.edit("tests/test_beta.py", "def test_shout(store):", "def test_shout():")
    partial.edit("tests/test_beta.py", 'assert store["ready"]', "assert True")
    partial.edit("tests/test_beta.py", "(store, settings):", "(settings):")
    assert partial.run_affected() == ("tests/test_beta.py",)
    merged = partial.folder / "partial"
    assert 6 in coverage_of(merged)[1]["pkg/beta.py"]["missing_lines"]  # make_store's body
    assert_reports_equal(merged, partial.fresh())


def test_line_coverage_merges_as_branch_coverage_does(partial_without_branches: Partial) -> None:
    partial = partial_without_branches
    partial.edit("pkg/alpha.py", "        return 2 * number", "        return number + number")
    partial.edit("pkg/gamma.py", "return 2", "return 3")
    assert partial.run_affected() == ("tests/test_alpha.py",)
    merged = partial.folder / "partial"
    assert "num_branches" not in coverage_of(merged)[0]  # measured by line only
    assert_reports_equal(merged, partial.fresh())
