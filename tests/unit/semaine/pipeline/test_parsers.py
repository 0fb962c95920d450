"""The report parsers on real outputs recorded by tests/fixtures/record_tool_outputs.py."""

from collections import Counter
from pathlib import Path

import pytest

from semaine.pipeline.parsers import ReportError
from semaine.pipeline.parsers.bandit import parse_bandit_json
from semaine.pipeline.parsers.coverage import parse_coverage_json
from semaine.pipeline.parsers.junit import parse_junit
from semaine.pipeline.parsers.locust import parse_locust_json, percentile
from semaine.pipeline.parsers.mypy import parse_mypy_junit
from semaine.pipeline.parsers.page_timing import parse_page_timing
from semaine.pipeline.parsers.pip_audit import parse_pip_audit_json, service_unreachable
from semaine.pipeline.parsers.rehearsal import parse_rehearsal
from semaine.pipeline.parsers.ruff import parse_ruff_json
from tests.paths import TOOL_OUTPUTS

RECORDED = TOOL_OUTPUTS


def test_ruff_clean_has_no_finding() -> None:
    assert parse_ruff_json(RECORDED / "ruff-clean.json") == ()


def test_ruff_dirty_lists_each_finding_with_its_code() -> None:
    findings = parse_ruff_json(RECORDED / "ruff-dirty.json")
    codes = {finding.code for finding in findings}
    assert {"S602", "S307", "ANN001"} <= codes
    assert all(
        finding.filename.endswith("mod.py") for finding in findings if finding.code == "S307"
    )


def test_ruff_format_dirty_names_the_file() -> None:
    findings = parse_ruff_json(RECORDED / "ruff-format-dirty.json")
    assert [finding.code for finding in findings] == ["unformatted"]
    assert findings[0].filename.endswith("pkg/mod.py")
    assert parse_ruff_json(RECORDED / "ruff-format-clean.json") == ()


def test_mypy_clean_and_dirty() -> None:
    assert parse_mypy_junit(RECORDED / "mypy-clean.xml").errors == ()
    dirty = parse_mypy_junit(RECORDED / "mypy-dirty.xml")
    assert len(dirty.errors) == 2
    assert not dirty.crashed
    assert "[no-untyped-def]" in dirty.errors[0]


def test_mypy_config_error_is_a_crash() -> None:
    report = parse_mypy_junit(RECORDED / "mypy-crash.xml")
    assert report.crashed
    assert "no_such_plugin" in report.errors[0]


def test_bandit_findings_and_severities() -> None:
    report = parse_bandit_json(RECORDED / "bandit-dirty.json")
    severities = sorted(finding.severity for finding in report.findings)
    assert severities == ["high", "low", "medium"]
    assert sum(finding.at_least("medium") for finding in report.findings) == 2
    assert parse_bandit_json(RECORDED / "bandit-clean.json").findings == ()


def test_bandit_scan_errors_are_kept() -> None:
    report = parse_bandit_json(RECORDED / "bandit-syntax-error.json")
    assert report.findings == ()
    assert "syntax error" in report.errors[0]


def test_pip_audit_unreachable_pypi_skips_every_dependency() -> None:
    audit = parse_pip_audit_json(RECORDED / "pip-audit-skipped.json")
    assert audit.audited == 0
    assert len(audit.skipped) == 2
    assert audit.vulnerabilities == ()


def test_pip_audit_skip_reasons_are_kept_apart_from_the_dependency() -> None:
    audit = parse_pip_audit_json(RECORDED / "pip-audit-not-found.json")
    assert (audit.audited, len(audit.skipped)) == (0, 129)
    first = audit.skipped[0]
    assert (first.name, first.version) == ("alembic", "1.20.1")
    assert {item.reason for item in audit.skipped} == {
        "Dependency not found on PyPI and could not be audited"
    }


def test_pip_audit_vulnerabilities(tmp_path: Path) -> None:
    report = tmp_path / "audit.json"
    report.write_text(
        '{"dependencies": [{"name": "jinja2", "version": "3.1.2", "vulns": '
        '[{"id": "GHSA-h5c8-rqwp-cp95", "fix_versions": ["3.1.3"], "aliases": []}]},'
        '{"name": "idna", "version": "3.7", "vulns": []}], "fixes": []}',
        encoding="utf-8",
    )
    audit = parse_pip_audit_json(report)
    assert audit.audited == 2
    assert [str(item) for item in audit.vulnerabilities] == [
        "jinja2 3.1.2: GHSA-h5c8-rqwp-cp95 (fixed in 3.1.3)"
    ]


def test_pip_audit_log_tells_an_unreachable_service() -> None:
    log = (RECORDED / "pip-audit-unreachable.log").read_text(encoding="utf-8")
    assert "api.osv.dev" in (service_unreachable(log) or "")
    assert service_unreachable("No known vulnerabilities found") is None


def test_junit_counts() -> None:
    failing = parse_junit(RECORDED / "junit-fail.xml")
    assert (failing.tests, failing.failures, failing.passed) == (2, 1, 1)
    assert failing.failed == ("test_mod::test_broken",)
    assert parse_junit(RECORDED / "junit-pass.xml").failed == ()


def test_coverage_total_and_per_file() -> None:
    partial = parse_coverage_json(RECORDED / "coverage-fail.json")
    assert partial.total_percent < 90
    assert partial.files_percent["pkg/mod.py"] < 90
    assert partial.files_percent["pkg/__init__.py"] == 100
    assert parse_coverage_json(RECORDED / "coverage-pass.json").total_percent == 100


def test_locust_final_figures_summed_over_endpoints() -> None:
    fast = parse_locust_json(RECORDED / "locust-fast.json")
    slow = parse_locust_json(RECORDED / "locust-slow.json")
    assert fast.aggregated.requests == sum(endpoint.requests for endpoint in fast.endpoints)
    assert fast.aggregated.requests > 200
    assert fast.aggregated.p95_ms is not None
    assert fast.aggregated.p95_ms < 500
    assert slow.aggregated.p95_ms is not None
    assert slow.aggregated.p95_ms >= 600
    assert [endpoint.name for endpoint in slow.endpoints] == ["/api/week"]


def test_locust_percentile_counts_from_the_slowest_as_locust_does() -> None:
    # 100 requests: 94 at 2 ms, 5 at 40 ms, 1 at 900 ms; the 95th is the last at 40 ms.
    times = Counter({2.0: 94, 40.0: 5, 900.0: 1})
    assert percentile(times, 100, 0.95) == 40.0
    assert percentile(times, 100, 0.99) == 900.0
    assert percentile(times, 100, 0.5) == 2.0
    assert percentile(Counter(), 0, 0.95) is None


def test_locust_with_no_request_has_no_p95(tmp_path: Path) -> None:
    report = tmp_path / "locust.json"
    report.write_text("[]", encoding="utf-8")
    stats = parse_locust_json(report)
    assert (stats.aggregated.requests, stats.aggregated.p95_ms) == (0, None)
    report.write_text('[{"name": "/api/week"}]', encoding="utf-8")
    with pytest.raises(ReportError, match="num_requests"):
        parse_locust_json(report)


def test_page_timing_report() -> None:
    timings = parse_page_timing(RECORDED / "page-timing.json")
    assert timings.page_load_ms > 0
    assert len(timings.navigations) == 8
    assert all(navigation.ok for navigation in timings.navigations)


def test_rehearsal_report(tmp_path: Path) -> None:
    report = tmp_path / "rehearsal.json"
    report.write_text('{"rows": 10000, "duration_seconds": 3.2, "ok": true}', encoding="utf-8")
    assert parse_rehearsal(report).seconds == 3.2
    report.write_text('{"rows": 10000}', encoding="utf-8")
    with pytest.raises(ReportError, match="duration_seconds"):
        parse_rehearsal(report)


@pytest.mark.parametrize(
    "parse",
    [
        parse_ruff_json,
        parse_mypy_junit,
        parse_bandit_json,
        parse_pip_audit_json,
        parse_junit,
        parse_coverage_json,
        parse_locust_json,
        parse_page_timing,
        parse_rehearsal,
    ],
)
def test_missing_report_is_a_report_error(parse: object, tmp_path: Path) -> None:
    with pytest.raises(ReportError, match="not written"):
        parse(tmp_path / "absent")  # type: ignore[operator]


@pytest.mark.parametrize(
    "parse", [parse_ruff_json, parse_bandit_json, parse_pip_audit_json, parse_page_timing]
)
def test_json_of_another_shape_is_a_report_error(parse: object, tmp_path: Path) -> None:
    report = tmp_path / "other.json"
    report.write_text('{"something": "else"}', encoding="utf-8")
    with pytest.raises(ReportError):
        parse(report)  # type: ignore[operator]
