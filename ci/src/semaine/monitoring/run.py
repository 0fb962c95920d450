"""One monitor run: measure every check, count runs, alert on transitions, record, report."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import anyio

from app.weeks import DEFAULT_TIME_ZONE
from semaine.monitoring.checks import checks_of
from semaine.monitoring.checks.base import Target
from semaine.monitoring.escalation import Alerting, escalate
from semaine.monitoring.maintenance import active_window
from semaine.monitoring.probe import Prober
from semaine.monitoring.report import write_report
from semaine.monitoring.retest import checked
from semaine.monitoring.states import exit_status, worst
from semaine.records.history import MonitorRun, append_monitor_run, read_monitor_runs

if TYPE_CHECKING:
    from pathlib import Path

    from semaine.environments import Environment
    from semaine.exit_status import ExitStatus
    from semaine.records.history import CheckResult


@dataclass(frozen=True)
class MonitorSettings:
    """What one run watches, where it keeps its history and report, whom it alerts."""

    environment: Environment
    base_url: str
    state_dir: Path
    report_dir: Path
    database_url: str | None = None
    alerting: Alerting = field(default_factory=Alerting)


@dataclass(frozen=True)
class Measurements:
    """Every check's result (after retests), the checks skipped, what the checks learnt."""

    results: dict[str, CheckResult]
    skipped: dict[str, str]
    facts: dict[str, str]


def monitor(
    settings: MonitorSettings, now: datetime | None = None
) -> tuple[MonitorRun, ExitStatus]:
    """Run once: measure, decide and send alerts, append to the history, write the report."""
    started = now or datetime.now(UTC)
    began = time.perf_counter()
    history = read_monitor_runs(settings.state_dir, settings.environment.name)
    measured = anyio.run(measure, settings, started)
    monitoring = settings.environment.monitoring
    run = MonitorRun(
        environment=settings.environment.name,
        started_at=started,
        seconds=0.0,
        release=measured.facts.get("release"),
        schema_revision=measured.facts.get("schema_revision"),
        state=worst(result.state for result in measured.results.values()),
        checks=measured.results,
        in_maintenance=active_window(monitoring.maintenance, started) is not None,
        skipped=measured.skipped,
    )
    escalated = escalate(history, run, settings.environment, settings.alerting, settings.base_url)
    run = run.model_copy(
        update={
            "incidents": escalated.events,
            "problems": escalated.problems,
            "seconds": round(time.perf_counter() - began, 3),
        }
    )
    append_monitor_run(settings.state_dir, run)
    write_report(settings.report_dir, settings.base_url, run, escalated.deliveries)
    return run, exit_status(run.state, run.problems)


async def measure(settings: MonitorSettings, started: datetime) -> Measurements:
    """Measure each check in turn (one at a time: each one's timings stay its own)."""
    monitoring = settings.environment.monitoring
    results: dict[str, CheckResult] = {}
    skipped: dict[str, str] = {}
    facts: dict[str, str] = {}
    async with Prober(settings.base_url) as prober:
        target = Target(
            base_url=settings.base_url,
            prober=prober,
            monitoring=monitoring,
            now=started,
            today=started.astimezone(ZoneInfo(DEFAULT_TIME_ZONE)).date(),
            database_url=settings.database_url,
        )
        for check in checks_of(monitoring):
            reason = check.skipped_because(target)
            if reason is not None:
                skipped[check.name] = reason
                continue
            outcome = await checked(
                check,
                target,
                retests=monitoring.retests,
                pause_seconds=monitoring.retest_pause_seconds,
            )
            results[check.name] = outcome.result
            for key, value in outcome.facts.items():
                facts.setdefault(key, value)
    return Measurements(results, skipped, facts)
