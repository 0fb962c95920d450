"""How each stage's reports become gate results (pure: report folder + thresholds in)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from semaine.pipeline.gates import Comparison, GateResult, Outcome, check, failed, inconclusive
from semaine.pipeline.parsers import ReportError
from semaine.pipeline.parsers.bandit import parse_bandit_json
from semaine.pipeline.parsers.coverage import parse_coverage_json
from semaine.pipeline.parsers.junit import parse_junit
from semaine.pipeline.parsers.locust import parse_locust_stats
from semaine.pipeline.parsers.mypy import parse_mypy_junit
from semaine.pipeline.parsers.page_timing import parse_page_timing
from semaine.pipeline.parsers.pip_audit import parse_pip_audit_json, service_unreachable
from semaine.pipeline.parsers.rehearsal import parse_rehearsal
from semaine.pipeline.parsers.ruff import parse_ruff_json

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from semaine.pipeline.thresholds import Thresholds

LISTED = 5
"""How many offending items a gate's detail names."""


def guarded(
    gate: str,
    judge: Callable[[], tuple[GateResult, ...]],
    *,
    missing: Outcome = Outcome.FAIL,
) -> tuple[GateResult, ...]:
    """Run `judge`; a missing or unreadable report becomes a `missing` outcome, never a pass."""
    try:
        return judge()
    except ReportError as error:
        return (GateResult(gate, missing, detail=str(error)),)


def _listing(items: tuple[object, ...]) -> str:
    shown = "; ".join(str(item) for item in items[:LISTED])
    more = len(items) - LISTED
    return f"{shown}; and {more} more" if more > 0 else shown


def lint(reports: Path, thresholds: Thresholds) -> tuple[GateResult, ...]:
    """Judge ruff check's and ruff format's JSON reports."""

    def ruff_check() -> tuple[GateResult, ...]:
        findings = parse_ruff_json(reports / "ruff.json")
        limit = thresholds.lint_findings_max
        return (
            check(
                "ruff check",
                len(findings),
                Comparison.AT_MOST,
                limit,
                unit="findings",
                detail=_listing(findings),
            ),
        )

    def ruff_format() -> tuple[GateResult, ...]:
        files = tuple(
            sorted({item.filename for item in parse_ruff_json(reports / "ruff-format.json")})
        )
        limit = thresholds.unformatted_files_max
        detail = f"would reformat: {_listing(files)}" if files else ""
        return (
            check(
                "ruff format", len(files), Comparison.AT_MOST, limit, unit="files", detail=detail
            ),
        )

    return guarded("ruff check", ruff_check) + guarded("ruff format", ruff_format)


def typecheck(reports: Path, thresholds: Thresholds) -> tuple[GateResult, ...]:
    """Judge mypy's JUnit report."""

    def judge() -> tuple[GateResult, ...]:
        report = parse_mypy_junit(reports / "mypy.xml")
        if report.crashed:
            return (failed("mypy", f"mypy crashed: {_listing(report.errors)}"),)
        limit = thresholds.type_errors_max
        errors = report.errors
        return (
            check(
                "mypy",
                len(errors),
                Comparison.AT_MOST,
                limit,
                unit="errors",
                detail=_listing(errors),
            ),
        )

    return guarded("mypy", judge)


def security(reports: Path, thresholds: Thresholds) -> tuple[GateResult, ...]:
    """Judge bandit's and pip-audit's reports."""

    def bandit() -> tuple[GateResult, ...]:
        report = parse_bandit_json(reports / "bandit.json")
        severity = thresholds.bandit_severity_min
        findings = tuple(item for item in report.findings if item.at_least(severity))
        gate = f"bandit (severity >= {severity})"
        result = check(
            gate,
            len(findings),
            Comparison.AT_MOST,
            thresholds.bandit_findings_max,
            unit="findings",
            detail=_listing(findings),
        )
        if result.outcome is Outcome.PASS and report.errors:
            return (inconclusive(gate, f"files bandit could not scan: {_listing(report.errors)}"),)
        return (result,)

    return guarded("bandit", bandit) + _dependencies(reports, thresholds)


def _dependencies(reports: Path, thresholds: Thresholds) -> tuple[GateResult, ...]:
    gate = "vulnerable dependencies"
    try:
        audit = parse_pip_audit_json(reports / "pip-audit.json")
    except ReportError as error:
        log = _read_optional(reports / "pip-audit.log")
        unreachable = service_unreachable(log)
        if unreachable:
            return (inconclusive(gate, f"vulnerability service unreachable: {unreachable}"),)
        return (failed(gate, f"pip-audit wrote no usable report: {error.reason}"),)
    limit = thresholds.vulnerable_dependencies_max
    vulnerable = check(
        gate,
        len(audit.vulnerabilities),
        Comparison.AT_MOST,
        limit,
        unit="vulnerabilities",
        detail=_listing(audit.vulnerabilities),
    )
    if vulnerable.outcome is Outcome.FAIL:
        return (vulnerable,)
    if audit.skipped:
        total = len(audit.skipped) + audit.audited
        detail = f"{len(audit.skipped)} of {total} dependencies not audited: "
        detail += _listing(audit.skipped)
        return (inconclusive(gate, detail),)
    if audit.audited == 0:
        return (inconclusive(gate, "no dependency was audited"),)
    return (vulnerable,)


def _read_optional(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def test(reports: Path, thresholds: Thresholds) -> tuple[GateResult, ...]:
    """Judge pytest's JUnit report and coverage's JSON report."""

    def coverage() -> tuple[GateResult, ...]:
        report = parse_coverage_json(reports / "coverage.json")
        total = check(
            "coverage (total)",
            report.total_percent,
            Comparison.AT_LEAST,
            thresholds.coverage_total_min_percent,
            unit="%",
        )
        per_file = tuple(
            _file_coverage(path, report.files_percent.get(path), floor)
            for path, floor in sorted(thresholds.coverage_files_min_percent.items())
        )
        return (total, *per_file)

    return _junit("tests", reports / "junit.xml", thresholds) + guarded(
        "coverage (total)", coverage
    )


def _junit(gate: str, path: Path, thresholds: Thresholds) -> tuple[GateResult, ...]:
    """Judge a pytest JUnit report: failed + errored tests, and no test run is inconclusive."""

    def judge() -> tuple[GateResult, ...]:
        run = parse_junit(path)
        if run.tests - run.skipped == 0:
            return (
                inconclusive(gate, f"no test ran ({run.tests} collected, {run.skipped} skipped)"),
            )
        broken = run.failures + run.errors
        detail = f"{run.passed} passed, {run.skipped} skipped"
        if run.failed:
            detail += f"; failed: {_listing(run.failed)}"
        return (
            check(
                gate,
                broken,
                Comparison.AT_MOST,
                thresholds.failed_tests_max,
                unit="failed",
                detail=detail,
            ),
        )

    return guarded(gate, judge)


def _file_coverage(path: str, measured: float | None, floor: float) -> GateResult:
    gate = f"coverage {path}"
    if measured is None:
        return failed(gate, f"{path} is not in the coverage report (never imported by a test?)")
    return check(gate, measured, Comparison.AT_LEAST, floor, unit="%")


def migrations(reports: Path, thresholds: Thresholds) -> tuple[GateResult, ...]:
    """Judge the data-migration rehearsal (the schema steps are gates of their own)."""
    gate = f"rehearsal of {thresholds.rehearsal_rows_min} rows"

    def judge() -> tuple[GateResult, ...]:
        rehearsal = parse_rehearsal(reports / "rehearsal.json")
        if not rehearsal.ok:
            return (failed(gate, f"the rehearsal failed: {rehearsal.detail}"),)
        if rehearsal.rows < thresholds.rehearsal_rows_min:
            return (inconclusive(gate, f"only {rehearsal.rows} rows rehearsed"),)
        detail = f"{rehearsal.rows} rows"
        return (
            check(
                gate,
                rehearsal.seconds,
                Comparison.BELOW,
                thresholds.rehearsal_seconds_below,
                unit="s",
                detail=detail,
            ),
        )

    return guarded(gate, judge)


def load(reports: Path, thresholds: Thresholds) -> tuple[GateResult, ...]:
    """Judge locust's statistics: p95 latency and error rate, given enough samples."""

    def judge() -> tuple[GateResult, ...]:
        total = parse_locust_stats(reports / "locust_stats.csv").aggregated
        if total.requests < thresholds.load_requests_min or total.p95_ms is None:
            reason = (
                f"only {total.requests} requests (at least {thresholds.load_requests_min} needed)"
            )
            return (inconclusive("API p95", reason), inconclusive("API error rate", reason))
        detail = f"{total.requests} requests, {total.failures} failed"
        return (
            check(
                "API p95",
                total.p95_ms,
                Comparison.BELOW,
                thresholds.load_p95_ms_below,
                unit="ms",
                detail=detail,
            ),
            check(
                "API error rate",
                total.error_rate_percent,
                Comparison.BELOW,
                thresholds.load_error_rate_percent_below,
                unit="%",
                detail=detail,
            ),
        )

    return guarded("API p95", judge)


def e2e(reports: Path, thresholds: Thresholds) -> tuple[GateResult, ...]:
    """Judge the browser tests, then the page-timing probe: page load, slowest navigation."""
    return _junit("browser tests", reports / "junit.xml", thresholds) + _page_timing(
        reports, thresholds
    )


def _page_timing(reports: Path, thresholds: Thresholds) -> tuple[GateResult, ...]:

    def judge() -> tuple[GateResult, ...]:
        timings = parse_page_timing(reports / "page-timing.json")
        broken = tuple(
            f"{item.action} -> {item.url}" for item in timings.navigations if not item.ok
        )
        if timings.errors or broken:
            detail = _listing(timings.errors + broken)
            return (failed("page load", detail), failed("navigation", detail))
        page_load = check(
            "page load",
            timings.page_load_ms,
            Comparison.BELOW,
            thresholds.page_load_ms_below,
            unit="ms",
        )
        count = len(timings.navigations)
        if count < thresholds.navigations_min:
            reason = (
                f"only {count} navigations timed (at least {thresholds.navigations_min} needed)"
            )
            return (page_load, inconclusive("navigation", reason))
        slowest = max(timings.navigations, key=lambda item: item.duration_ms)
        detail = f"slowest of {count}: {slowest.action}"
        return (
            page_load,
            check(
                "navigation",
                slowest.duration_ms,
                Comparison.BELOW,
                thresholds.navigation_ms_below,
                unit="ms",
                detail=detail,
            ),
        )

    return guarded("page load", judge)


def build(_reports: Path, _thresholds: Thresholds) -> tuple[GateResult, ...]:
    """Judge nothing: the image build has no report, its step's exit status is its gate."""
    return ()
