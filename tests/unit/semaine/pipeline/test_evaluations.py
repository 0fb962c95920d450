"""Each stage's evaluation on recorded reports: pass, fail and inconclusive where due."""

import json
import shutil
from dataclasses import replace
from pathlib import Path

from semaine.pipeline import evaluations
from semaine.pipeline.gates import GateResult, Outcome
from semaine.pipeline.thresholds import FLOOR
from tests.paths import TOOL_OUTPUTS

RECORDED = TOOL_OUTPUTS


def reports(folder: Path, files: dict[str, str]) -> Path:
    """Copy recorded outputs into a report folder under the names the stage writes."""
    folder.mkdir()
    for name, recorded in files.items():
        shutil.copy(RECORDED / recorded, folder / name)
    return folder


def outcomes(results: tuple[GateResult, ...]) -> dict[str, Outcome]:
    return {result.gate: result.outcome for result in results}


def test_lint_clean_passes_and_dirty_fails(tmp_path: Path) -> None:
    clean = reports(
        tmp_path / "clean",
        {"ruff.json": "ruff-clean.json", "ruff-format.json": "ruff-format-clean.json"},
    )
    assert set(outcomes(evaluations.lint(clean, FLOOR)).values()) == {Outcome.PASS}
    dirty = reports(
        tmp_path / "dirty",
        {"ruff.json": "ruff-dirty.json", "ruff-format.json": "ruff-format-dirty.json"},
    )
    results = evaluations.lint(dirty, FLOOR)
    assert outcomes(results) == {"ruff check": Outcome.FAIL, "ruff format": Outcome.FAIL}
    assert results[1].findings[0].endswith("pkg/mod.py")


def test_lint_counts_findings_by_rule_and_names_the_first_readably(tmp_path: Path) -> None:
    # The findings that made lint fail (S602, S307: 7th and 8th of 8) were cut off.
    dirty = reports(
        tmp_path / "dirty",
        {"ruff.json": "ruff-dirty.json", "ruff-format.json": "ruff-format-dirty.json"},
    )
    check, _ = evaluations.lint(dirty, FLOOR)
    assert check.detail.startswith("8 findings: ")
    for rule in ("ANN001", "ANN201", "D100", "D103", "F841", "I001", "S307", "S602"):
        assert f"1 {rule}" in check.detail
    assert len(check.findings) == 8
    assert check.findings[6].endswith(
        "pkg/mod.py:4 S602 `subprocess` call with `shell=True` identified, security issue"
    )


def test_findings_beyond_the_listed_ones_are_counted_and_pointed_to(tmp_path: Path) -> None:
    finding = (RECORDED / "ruff-dirty.json").read_text(encoding="utf-8")
    many = json.loads(finding) * 5
    (tmp_path / "ruff.json").write_text(json.dumps(many), encoding="utf-8")
    shutil.copy(RECORDED / "ruff-format-clean.json", tmp_path / "ruff-format.json")
    check, _ = evaluations.lint(tmp_path, FLOOR)
    assert check.detail.startswith("40 findings: 5 ANN001, ")
    assert len(check.findings) == evaluations.LISTED + 1
    assert check.findings[-1] == f"and {40 - evaluations.LISTED} more in ruff.json"


def test_lint_without_reports_fails_never_passes(tmp_path: Path) -> None:
    results = evaluations.lint(tmp_path, FLOOR)
    assert outcomes(results) == {"ruff check": Outcome.FAIL, "ruff format": Outcome.FAIL}
    assert "not written" in results[0].detail


def test_typecheck(tmp_path: Path) -> None:
    shutil.copy(RECORDED / "mypy-dirty.xml", tmp_path / "mypy.xml")
    [result] = evaluations.typecheck(tmp_path, FLOOR)
    assert (result.outcome, result.measured) == (Outcome.FAIL, 2)
    shutil.copy(RECORDED / "mypy-crash.xml", tmp_path / "mypy.xml")
    [crash] = evaluations.typecheck(tmp_path, FLOOR)
    assert crash.outcome is Outcome.FAIL
    assert "crashed" in crash.detail
    shutil.copy(RECORDED / "mypy-clean.xml", tmp_path / "mypy.xml")
    assert evaluations.typecheck(tmp_path, FLOOR)[0].outcome is Outcome.PASS


def test_security_offline_audit_is_inconclusive(tmp_path: Path) -> None:
    shutil.copy(RECORDED / "bandit-clean.json", tmp_path / "bandit.json")
    shutil.copy(RECORDED / "pip-audit-skipped.json", tmp_path / "pip-audit.json")
    results = outcomes(evaluations.security(tmp_path, FLOOR))
    assert results == {
        "bandit (severity >= medium)": Outcome.PASS,
        "vulnerable dependencies": Outcome.INCONCLUSIVE,
    }


def test_an_audit_that_reached_no_dependency_says_so_once(tmp_path: Path) -> None:
    # Recorded here: PyPI's JSON API answers "not found" for every locked dependency.
    shutil.copy(RECORDED / "bandit-clean.json", tmp_path / "bandit.json")
    shutil.copy(RECORDED / "pip-audit-not-found.json", tmp_path / "pip-audit.json")
    shutil.copy(RECORDED / "pip-audit-not-found.log", tmp_path / "pip-audit.log")
    _, audit = evaluations.security(tmp_path, FLOOR)
    assert audit.outcome is Outcome.INCONCLUSIVE
    assert audit.detail.startswith("129 of 129 dependencies not audited, every one for the same")
    assert "could not be reached" in audit.detail
    said = "\n".join([audit.detail, *audit.findings])
    assert said.count("not found on PyPI") == 1
    assert "No known vulnerabilities" not in said


def test_a_partly_skipped_audit_counts_each_reason(tmp_path: Path) -> None:
    (tmp_path / "pip-audit.json").write_text(
        json.dumps(
            {
                "dependencies": [
                    {"name": "idna", "version": "3.7", "vulns": []},
                    {
                        "name": "a",
                        "skip_reason": "Dependency not found on PyPI and could"
                        " not be audited: a (1.0)",
                    },
                    {
                        "name": "b",
                        "skip_reason": "Dependency not found on PyPI and could"
                        " not be audited: b (2.0)",
                    },
                ]
            }
        ),
        encoding="utf-8",
    )
    [audit] = evaluations.security(tmp_path, FLOOR)[1:]
    assert audit.outcome is Outcome.INCONCLUSIVE
    assert audit.detail == (
        "2 of 3 dependencies not audited: 2 Dependency not found on PyPI and could not be audited"
    )
    assert audit.findings == ("a 1.0", "b 2.0")


def test_security_unreachable_service_is_inconclusive_and_silent_crash_fails(
    tmp_path: Path,
) -> None:
    shutil.copy(RECORDED / "bandit-dirty.json", tmp_path / "bandit.json")
    shutil.copy(RECORDED / "pip-audit-unreachable.log", tmp_path / "pip-audit.log")
    bandit, audit = evaluations.security(tmp_path, FLOOR)
    assert (bandit.outcome, bandit.measured) == (Outcome.FAIL, 2)
    assert audit.outcome is Outcome.INCONCLUSIVE
    assert "api.osv.dev" in audit.detail
    (tmp_path / "pip-audit.log").write_text("Traceback: something else\n", encoding="utf-8")
    assert evaluations.security(tmp_path, FLOOR)[1].outcome is Outcome.FAIL


def test_security_scan_errors_make_bandit_inconclusive(tmp_path: Path) -> None:
    shutil.copy(RECORDED / "bandit-syntax-error.json", tmp_path / "bandit.json")
    assert evaluations.security(tmp_path, FLOOR)[0].outcome is Outcome.INCONCLUSIVE


def test_security_low_severity_threshold_counts_more(tmp_path: Path) -> None:
    shutil.copy(RECORDED / "bandit-dirty.json", tmp_path / "bandit.json")
    stricter = replace(FLOOR, bandit_severity_min="low")
    assert evaluations.security(tmp_path, stricter)[0].measured == 3


def test_test_stage_failures_and_coverage(tmp_path: Path) -> None:
    shutil.copy(RECORDED / "junit-fail.xml", tmp_path / "junit.xml")
    shutil.copy(RECORDED / "coverage-fail.json", tmp_path / "coverage.json")
    thresholds = replace(
        FLOOR, coverage_files_min_percent={"pkg/mod.py": 100.0, "app/weeks.py": 100.0}
    )
    results = outcomes(evaluations.test(tmp_path, thresholds))
    assert results == {
        "tests": Outcome.FAIL,
        "coverage (total)": Outcome.FAIL,
        "coverage app/weeks.py": Outcome.FAIL,
        "coverage pkg/mod.py": Outcome.FAIL,
    }


def test_test_stage_passes_on_green_reports(tmp_path: Path) -> None:
    shutil.copy(RECORDED / "junit-pass.xml", tmp_path / "junit.xml")
    shutil.copy(RECORDED / "coverage-pass.json", tmp_path / "coverage.json")
    thresholds = replace(FLOOR, coverage_files_min_percent={"pkg/mod.py": 100.0})
    assert set(outcomes(evaluations.test(tmp_path, thresholds)).values()) == {Outcome.PASS}


def test_no_test_ran_is_inconclusive(tmp_path: Path) -> None:
    (tmp_path / "junit.xml").write_text(
        '<testsuites><testsuite name="pytest" tests="0" failures="0" errors="0" skipped="0"/>'
        "</testsuites>",
        encoding="utf-8",
    )
    assert evaluations.test(tmp_path, FLOOR)[0].outcome is Outcome.INCONCLUSIVE


def test_load_fast_passes_slow_fails_few_samples_inconclusive(tmp_path: Path) -> None:
    shutil.copy(RECORDED / "locust-fast.json", tmp_path / "locust.json")
    assert set(outcomes(evaluations.load(tmp_path, FLOOR)).values()) == {Outcome.PASS}
    demanding = replace(FLOOR, load_requests_min=10**9)
    assert set(outcomes(evaluations.load(tmp_path, demanding)).values()) == {Outcome.INCONCLUSIVE}
    shutil.copy(RECORDED / "locust-slow.json", tmp_path / "locust.json")
    assert outcomes(evaluations.load(tmp_path, FLOOR)) == {
        "API p95": Outcome.FAIL,
        "API error rate": Outcome.PASS,
    }


def test_e2e_timings(tmp_path: Path) -> None:
    shutil.copy(RECORDED / "page-timing.json", tmp_path / "page-timing.json")
    shutil.copytree(RECORDED / "lighthouse" / "pass", tmp_path / "lighthouse")
    assert outcomes(evaluations.e2e(tmp_path, FLOOR)) == {
        "page load": Outcome.PASS,
        "navigation": Outcome.PASS,
        # tests/unit/semaine/pipeline/test_lighthouse.py judges these on every recorded case.
        "lighthouse performance": Outcome.PASS,
        "lighthouse accessibility": Outcome.PASS,
        "lighthouse best practices": Outcome.PASS,
        "lighthouse SEO": Outcome.PASS,
    }
    too_fast = replace(FLOOR, navigation_ms_below=0.001, page_load_ms_below=0.001)
    timed = outcomes(evaluations.e2e(tmp_path, too_fast))
    assert (timed["page load"], timed["navigation"]) == (Outcome.FAIL, Outcome.FAIL)
    demanding = replace(FLOOR, navigations_min=100)
    assert outcomes(evaluations.e2e(tmp_path, demanding))["navigation"] is Outcome.INCONCLUSIVE


def test_e2e_judges_no_test_results_the_user_workflows_are_the_test_stages(
    tmp_path: Path,
) -> None:
    shutil.copy(RECORDED / "page-timing.json", tmp_path / "page-timing.json")
    shutil.copy(RECORDED / "junit-fail.xml", tmp_path / "junit.xml")
    results = {result.gate: result for result in evaluations.e2e(tmp_path, FLOOR)}
    assert "browser tests" not in results
    assert results["page load"].outcome is Outcome.PASS


def test_e2e_broken_navigation_fails(tmp_path: Path) -> None:
    (tmp_path / "page-timing.json").write_text(
        '{"page_load_ms": 10, "navigations": [{"action": "next", "url": "u", '
        '"duration_ms": 0, "ok": false}], "errors": []}',
        encoding="utf-8",
    )
    timed = outcomes(evaluations.e2e(tmp_path, FLOOR))
    assert (timed["page load"], timed["navigation"]) == (Outcome.FAIL, Outcome.FAIL)


def test_rehearsal(tmp_path: Path) -> None:
    gate = "rehearsal of 10000 rows"
    assert evaluations.migrations(tmp_path, FLOOR)[0].outcome is Outcome.FAIL
    report = tmp_path / "rehearsal.json"
    report.write_text('{"rows": 10000, "duration_seconds": 2.5}', encoding="utf-8")
    assert outcomes(evaluations.migrations(tmp_path, FLOOR)) == {gate: Outcome.PASS}
    report.write_text('{"rows": 10000, "duration_seconds": 12}', encoding="utf-8")
    assert outcomes(evaluations.migrations(tmp_path, FLOOR)) == {gate: Outcome.FAIL}
    report.write_text('{"rows": 100, "duration_seconds": 0.1}', encoding="utf-8")
    assert outcomes(evaluations.migrations(tmp_path, FLOOR)) == {gate: Outcome.INCONCLUSIVE}
    report.write_text(
        '{"rows": 10000, "migration_seconds": 1, "passed": false,'
        ' "checks": {"rolled_back": false}}',
        encoding="utf-8",
    )
    assert outcomes(evaluations.migrations(tmp_path, FLOOR)) == {gate: Outcome.FAIL}
