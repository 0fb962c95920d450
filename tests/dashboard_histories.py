"""Hand-built monitor histories and delivery records for the dashboard's tests and benchmark."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from semaine.records import (
    CheckResult,
    DeploymentRecord,
    IncidentEvent,
    MonitorRun,
    append_monitor_run,
    write_deployment_record,
)

if TYPE_CHECKING:
    from collections.abc import Iterable
    from pathlib import Path

MONDAY = datetime(2026, 11, 23, tzinfo=UTC)
"""A Monday 00:00 UTC (01:00 in Paris): the office day starts at 07:00 UTC."""
P95_LIMIT = 500.0
ERROR_RATE_LIMIT = 0.1


def api_check(
    p95_ms: float = 120.0, error_rate_percent: float = 0.0, state: str | None = None
) -> CheckResult:
    """Return the API check's result with its figures against the seed's thresholds."""
    if state is None:
        state = "degraded" if p95_ms > P95_LIMIT else "up"
        state = "down" if error_rate_percent > ERROR_RATE_LIMIT else state
    return CheckResult.model_validate(
        {
            "state": state,
            "seconds": 2.5,
            "figures": {"p95_ms": p95_ms, "error_rate_percent": error_rate_percent, "requests": 40},
            "thresholds": {"p95_ms": P95_LIMIT, "error_rate_percent": ERROR_RATE_LIMIT},
        }
    )


def run(  # noqa: PLR0913 - a run has this many parts
    at: datetime,
    state: str = "up",
    *,
    environment: str = "production",
    api: CheckResult | None = None,
    detail: str = "",
    incidents: Iterable[IncidentEvent] = (),
    release: str = "v42",
) -> MonitorRun:
    """Return a run at `at` whose healthz check is in `state`, with an API check."""
    checks = {
        "healthz": CheckResult.model_validate({"state": state, "seconds": 0.2, "detail": detail}),
        "api": api or api_check(),
    }
    overall = state if state != "up" else checks["api"].state
    return MonitorRun.model_validate(
        {
            "environment": environment,
            "started_at": at,
            "seconds": 3.0,
            "release": release,
            "schema_revision": "0003_us16_contract",
            "state": overall,
            "checks": checks,
            "incidents": list(incidents),
        }
    )


def every(start: datetime, end: datetime, step: timedelta) -> list[datetime]:
    """Return the times from `start` (included) to `end` (excluded) every `step`."""
    times = []
    moment = start
    while moment < end:
        times.append(moment)
        moment += step
    return times


def opened(check: str, at: datetime, url: str | None = None, state: str = "down") -> IncidentEvent:
    """Return an incident-opened event."""
    return IncidentEvent.model_validate(
        {"check": check, "event": "opened", "state": state, "opened_at": at, "issue_url": url}
    )


def resolved(check: str, since: datetime, at: datetime, url: str | None = None) -> IncidentEvent:
    """Return an incident-resolved event."""
    return IncidentEvent.model_validate(
        {
            "check": check,
            "event": "resolved",
            "state": "up",
            "opened_at": since,
            "resolved_at": at,
            "issue_url": url,
        }
    )


def write_history(folder: Path, runs: Iterable[MonitorRun]) -> Path:
    """Append `runs` to their environments' histories under `folder`; return the folder."""
    for each in runs:
        append_monitor_run(folder, each)
    return folder


def record(  # noqa: PLR0913 - a record has this many parts
    kind: str,
    at: datetime,
    seconds: float,
    outcome: str = "succeeded",
    *,
    environment: str = "production",
    reason: str | None = None,
    detail: str = "",
) -> DeploymentRecord:
    """Return a deploy, promotion or rollback record started at `at`, lasting `seconds`."""
    fields: dict[str, Any] = {
        "kind": kind,
        "environment": environment,
        "actor": "alice",
        "started_at": at,
        "finished_at": at + timedelta(seconds=seconds),
        "from_release": "v41",
        "to_release": "v42",
        "outcome": outcome,
        "reason": reason if reason or kind != "rollback" else "bad release",
        "rollback_type": "application" if kind == "rollback" else None,
        "detail": detail,
    }
    return DeploymentRecord.model_validate(fields)


def write_records(reports: Path, records: Iterable[DeploymentRecord]) -> Path:
    """Write `records` under `reports/deployments/`; return that folder."""
    for each in records:
        write_deployment_record(reports, each)
    return reports / "deployments"


def pipeline_summary(path: Path, *, detail: str = "85.0 % < 90.0 %") -> Path:
    """Write a summary.json shaped as `semaine pipeline` writes it; return its path."""
    gate = {
        "gate": "coverage",
        "outcome": "fail",
        "measured": 85.0,
        "threshold": 90.0,
        "comparison": ">=",
        "unit": "%",
        "detail": detail,
        "findings": [],
    }
    lint = {"gate": "lint findings", "outcome": "pass", "measured": 0, "threshold": 0}
    document = {
        "verdict": "fail",
        "exit_status": 1,
        "accepted_inconclusive": None,
        "quick": False,
        "note": None,
        "executor": "local",
        "stages": [
            {"name": "lint", "verdict": "pass", "duration_s": 3.2, "gates": [lint]},
            {"name": "test", "verdict": "fail", "duration_s": 61.0, "gates": [gate]},
            {
                "name": "build",
                "verdict": "skipped",
                "duration_s": 0,
                "reason": "needs an engine",
                "gates": [],
            },
        ],
    }
    path.write_text(json.dumps(document), encoding="utf-8")
    return path
