"""Deployment records and the monitor's history: written, read back, damaged lines survived."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from semaine.records import (
    CheckResult,
    DeploymentRecord,
    MonitorRun,
    StepTiming,
    append_monitor_run,
    read_deployment_records,
    read_monitor_runs,
    write_deployment_record,
)
from semaine.records.history import history_file

if TYPE_CHECKING:
    from pathlib import Path

START = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


def _run(minutes: int, state: str = "up") -> MonitorRun:
    return MonitorRun.model_validate(
        {
            "environment": "production",
            "started_at": START + timedelta(minutes=minutes),
            "seconds": 1.5,
            "state": state,
            "checks": {"healthz": CheckResult.model_validate({"state": state, "seconds": 0.1})},
        }
    )


def test_a_record_is_written_as_json_and_text_and_read_back(tmp_path: Path) -> None:
    record = DeploymentRecord(
        kind="rollback",
        environment="production",
        actor="octocat",
        started_at=START,
        finished_at=START + timedelta(seconds=42),
        from_release="v12",
        to_release="v11",
        reason="p95 over 500 ms",
        rollback_type="application",
        steps=[StepTiming(name="release", seconds=40.0)],
        outcome="succeeded",
    )
    path = write_deployment_record(tmp_path, record)
    assert path.parent.name == "deployments"
    text = path.with_suffix(".txt").read_text(encoding="utf-8")
    assert "rollback production: succeeded in 42.0 s" in text
    assert "reason: p95 over 500 ms" in text
    assert read_deployment_records(tmp_path) == [record]
    assert record.seconds == 42.0


def test_history_appends_and_skips_a_torn_line(tmp_path: Path) -> None:
    append_monitor_run(tmp_path, _run(15, "down"))
    with history_file(tmp_path, "production").open("a", encoding="utf-8") as stream:
        stream.write('{"environment": "production", "started_')  # a run killed mid-write
        stream.write("\n")
    append_monitor_run(tmp_path, _run(0))
    runs = read_monitor_runs(tmp_path, "production")
    assert [run.state for run in runs] == ["up", "down"]
    assert read_monitor_runs(tmp_path, "staging") == []


def test_a_run_appended_after_a_torn_line_is_kept(tmp_path: Path) -> None:
    append_monitor_run(tmp_path, _run(15, "down"))
    with history_file(tmp_path, "production").open("a", encoding="utf-8") as stream:
        stream.write('{"environment": "production", "started_')  # killed mid-write, no newline
    append_monitor_run(tmp_path, _run(0))
    assert [run.state for run in read_monitor_runs(tmp_path, "production")] == ["up", "down"]


def test_a_run_says_which_checks_were_skipped_and_why(tmp_path: Path) -> None:
    run = _run(0).model_copy(update={"skipped": {"tls": "http:// URL: no TLS certificate"}})
    append_monitor_run(tmp_path, run)
    assert read_monitor_runs(tmp_path, "production")[0].skipped == run.skipped
