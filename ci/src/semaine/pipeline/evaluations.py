"""How each stage's reports become gate results (pure: report folder + thresholds in)."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace
from typing import TYPE_CHECKING

from semaine.pipeline.gates import GateResult, Outcome, failed, inconclusive
from semaine.pipeline.lighthouse import lighthouse
from semaine.pipeline.parsers import ReportError
from semaine.pipeline.parsers.bandit import parse_bandit_json
from semaine.pipeline.parsers.coverage import parse_coverage_json
from semaine.pipeline.parsers.errors import read_optional_text
from semaine.pipeline.parsers.junit import parse_junit
from semaine.pipeline.parsers.locust import parse_locust_json
from semaine.pipeline.parsers.mypy import parse_mypy_junit
from semaine.pipeline.parsers.page_timing import parse_page_timing
from semaine.pipeline.parsers.pip_audit import (
    AuditReport,
    parse_pip_audit_json,
    service_unreachable,
)
from semaine.pipeline.parsers.rehearsal import parse_rehearsal
from semaine.pipeline.parsers.ruff import parse_ruff_json
from semaine.pipeline.thresholds import GATES

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Sequence
    from pathlib import Path

    from semaine.pipeline.thresholds import Thresholds

LISTED = 10
"""How many offending items a gate names, one a line (its report has them all)."""

_NOT_FOUND = "not found on PyPI"
"""pip-audit's skip reason when PyPI's JSON API answers 404 for a dependency."""
_MYPY_CODE = re.compile(r"\[([a-z0-9-]+)\]\s*$")


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


def counted(number: int, noun: str) -> str:
    """Return `3 findings`, `1 finding`: a count and its noun."""
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def by_kind(kinds: Iterable[str]) -> str:
    """Return how many items of each kind, most frequent first: `2 S602, 1 D100`."""
    ranked = sorted(Counter(kinds).items(), key=lambda item: (-item[1], item[0]))
    return ", ".join(f"{count} {kind}" for kind, count in ranked)


def listed(items: Sequence[object], report: str) -> tuple[str, ...]:
    """Return the first LISTED items as lines, and where the others are."""
    shown = tuple(str(item) for item in items[:LISTED])
    more = len(items) - LISTED
    return (*shown, f"and {more} more in {report}") if more > 0 else shown


def _summed_up(items: Sequence[object], noun: str, kinds: Iterable[str]) -> str:
    if not items:
        return ""
    return f"{counted(len(items), noun)}: {by_kind(kinds)}"


def lint(reports: Path, thresholds: Thresholds) -> tuple[GateResult, ...]:
    """Judge ruff check's and ruff format's JSON reports."""

    def ruff_check() -> tuple[GateResult, ...]:
        findings = parse_ruff_json(reports / "ruff.json")
        result = GATES["lint_findings_max"].check(
            "ruff check",
            len(findings),
            thresholds,
            detail=_summed_up(findings, "finding", (item.code for item in findings)),
        )
        return (replace(result, findings=listed(findings, "ruff.json")),)

    def ruff_format() -> tuple[GateResult, ...]:
        files = tuple(
            sorted({item.filename for item in parse_ruff_json(reports / "ruff-format.json")})
        )
        detail = f"{counted(len(files), 'file')} to reformat (ruff format)" if files else ""
        result = GATES["unformatted_files_max"].check(
            "ruff format", len(files), thresholds, detail=detail
        )
        return (replace(result, findings=listed(files, "ruff-format.json")),)

    return guarded("ruff check", ruff_check) + guarded("ruff format", ruff_format)


def typecheck(reports: Path, thresholds: Thresholds) -> tuple[GateResult, ...]:
    """Judge mypy's JUnit report."""

    def judge() -> tuple[GateResult, ...]:
        report = parse_mypy_junit(reports / "mypy.xml")
        errors = report.errors
        if report.crashed:
            crash = failed("mypy", "mypy crashed (its own error, not a type error)")
            return (replace(crash, findings=listed(errors, "mypy.xml")),)
        codes = (
            match.group(1) if (match := _MYPY_CODE.search(line)) else "misc" for line in errors
        )
        result = GATES["type_errors_max"].check(
            "mypy", len(errors), thresholds, detail=_summed_up(errors, "error", codes)
        )
        return (replace(result, findings=listed(errors, "mypy.txt")),)

    return guarded("mypy", judge)


def security(reports: Path, thresholds: Thresholds) -> tuple[GateResult, ...]:
    """Judge bandit's and pip-audit's reports."""

    def bandit() -> tuple[GateResult, ...]:
        report = parse_bandit_json(reports / "bandit.json")
        severity = thresholds.bandit_severity_min
        findings = tuple(item for item in report.findings if item.at_least(severity))
        gate = f"bandit (severity >= {severity})"
        result = GATES["bandit_findings_max"].check(
            gate,
            len(findings),
            thresholds,
            detail=_summed_up(findings, "finding", (item.test_id for item in findings)),
        )
        if result.outcome is Outcome.PASS and report.errors:
            unscanned = inconclusive(
                gate, f"{counted(len(report.errors), 'file')} bandit could not scan"
            )
            return (replace(unscanned, findings=listed(report.errors, "bandit.json")),)
        return (replace(result, findings=listed(findings, "bandit.json")),)

    return guarded("bandit", bandit) + _dependencies(reports, thresholds)


def _dependencies(reports: Path, thresholds: Thresholds) -> tuple[GateResult, ...]:
    gate = "vulnerable dependencies"
    try:
        audit = parse_pip_audit_json(reports / "pip-audit.json")
    except ReportError as error:
        log = read_optional_text(reports / "pip-audit.log")
        unreachable = service_unreachable(log)
        if unreachable:
            return (inconclusive(gate, f"vulnerability service unreachable: {unreachable}"),)
        return (failed(gate, f"pip-audit wrote no usable report: {error.reason}"),)
    vulnerabilities = audit.vulnerabilities
    vulnerable = GATES["vulnerable_dependencies_max"].check(
        gate,
        len(vulnerabilities),
        thresholds,
        detail=_summed_up(vulnerabilities, "vulnerability", (v.package for v in vulnerabilities)),
    )
    vulnerable = replace(vulnerable, findings=listed(vulnerabilities, "pip-audit.json"))
    if vulnerable.outcome is Outcome.FAIL:
        return (vulnerable,)
    if audit.skipped:
        return (_not_audited(gate, audit),)
    if audit.audited == 0:
        return (inconclusive(gate, "no dependency was audited"),)
    return (vulnerable,)


def _not_audited(gate: str, audit: AuditReport) -> GateResult:
    skipped = audit.skipped
    reasons = {item.reason for item in skipped}
    detail = f"{len(skipped)} of {len(skipped) + audit.audited} dependencies not audited"
    if audit.audited or len(reasons) > 1:
        detail += f": {by_kind(item.reason for item in skipped)}"
        return replace(inconclusive(gate, detail), findings=listed(skipped, "pip-audit.json"))
    # One reason for every dependency is about the service, not the dependencies: say it once.
    [reason] = reasons
    detail += f', every one for the same reason: "{reason}"'
    if _NOT_FOUND in reason:
        detail += (
            "; the vulnerability service could not be reached (it answered 404 for every "
            "package: no network, or a proxy answering in its place)"
        )
    return inconclusive(gate, detail)


def test(reports: Path, thresholds: Thresholds) -> tuple[GateResult, ...]:
    """Judge pytest's JUnit report and coverage's JSON report."""

    def coverage() -> tuple[GateResult, ...]:
        report = parse_coverage_json(reports / "coverage.json")
        total = GATES["coverage_total_min_percent"].check(
            "coverage (total)", report.total_percent, thresholds
        )
        per_file = tuple(
            _file_coverage(path, report.files_percent.get(path), thresholds)
            for path in sorted(thresholds.coverage_files_min_percent)
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
        detail = f"{run.passed} passed, {run.skipped} skipped, {broken} failed or errored"
        result = GATES["failed_tests_max"].check(gate, broken, thresholds, detail=detail)
        return (replace(result, findings=listed(run.failed, path.name)),)

    return guarded(gate, judge)


def _file_coverage(path: str, measured: float | None, thresholds: Thresholds) -> GateResult:
    gate = f"coverage {path}"
    if measured is None:
        return failed(gate, f"{path} is not in the coverage report (never imported by a test?)")
    return GATES["coverage_files_min_percent"].check(gate, measured, thresholds, entry=path)


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
            GATES["rehearsal_seconds_below"].check(
                gate, rehearsal.seconds, thresholds, detail=detail
            ),
        )

    return guarded(gate, judge)


def load(reports: Path, thresholds: Thresholds) -> tuple[GateResult, ...]:
    """Judge locust's final statistics: p95 latency and error rate, given enough samples."""

    def judge() -> tuple[GateResult, ...]:
        total = parse_locust_json(reports / "locust.json").aggregated
        if total.requests < thresholds.load_requests_min or total.p95_ms is None:
            reason = (
                f"only {total.requests} requests (at least {thresholds.load_requests_min} needed)"
            )
            return (inconclusive("API p95", reason), inconclusive("API error rate", reason))
        detail = f"{total.requests} requests, {total.failures} failed"
        return (
            GATES["load_p95_ms_below"].check("API p95", total.p95_ms, thresholds, detail=detail),
            GATES["load_error_rate_percent_below"].check(
                "API error rate", total.error_rate_percent, thresholds, detail=detail
            ),
        )

    return guarded("API p95", judge)


def e2e(reports: Path, thresholds: Thresholds) -> tuple[GateResult, ...]:
    """Judge the page timings (load, slowest navigation) and Lighthouse."""
    return _page_timing(reports, thresholds) + lighthouse(reports, thresholds)


def _page_timing(reports: Path, thresholds: Thresholds) -> tuple[GateResult, ...]:

    def judge() -> tuple[GateResult, ...]:
        timings = parse_page_timing(reports / "page-timing.json")
        broken = tuple(
            f"{item.action} -> {item.url}" for item in timings.navigations if not item.ok
        )
        if timings.errors or broken:
            problems = timings.errors + broken
            detail = f"{counted(len(problems), 'problem')} loading the pages"
            findings = listed(problems, "page-timing.json")
            return tuple(
                replace(failed(gate, detail), findings=findings)
                for gate in ("page load", "navigation")
            )
        page_load = GATES["page_load_ms_below"].check("page load", timings.page_load_ms, thresholds)
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
            GATES["navigation_ms_below"].check(
                "navigation", slowest.duration_ms, thresholds, detail=detail
            ),
        )

    return guarded("page load", judge)


def build(_reports: Path, _thresholds: Thresholds) -> tuple[GateResult, ...]:
    """Judge nothing: the image build has no report, its step's exit status is its gate."""
    return ()
