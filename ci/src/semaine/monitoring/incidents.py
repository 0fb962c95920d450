"""When an incident opens, worsens or resolves: counted over runs, never over wall time.

A check's run counts when the run was outside maintenance and the check had a definite
state (up, degraded, down; `error`, a check that could not run, counts for neither). An
incident opens after `incident_after_failed_runs` failing runs in a row, and resolves
after `resolve_after_passed_runs` passing runs in a row: one blip pages nobody, and a
flapping service, which never strings enough runs together, pages once or not at all.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Literal

from semaine.monitoring.states import FAILING, SEVERITY, worst

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import datetime

    from semaine.environments import Monitoring
    from semaine.records.history import CheckState, MonitorRun

Event = Literal["opened", "worsened", "resolved"]


@dataclass(frozen=True)
class OpenIncident:
    """An incident not yet resolved: its check, its worst state so far, since when, its issue."""

    check: str
    state: CheckState
    opened_at: datetime
    issue_url: str | None = None


@dataclass(frozen=True)
class Transition:
    """What this run changes about one check's incident."""

    check: str
    event: Event
    state: CheckState
    opened_at: datetime
    resolved_at: datetime | None = None

    @property
    def duration_seconds(self) -> float:
        """How long the incident lasted (0 until it resolves)."""
        return (
            0.0 if self.resolved_at is None else (self.resolved_at - self.opened_at).total_seconds()
        )


def replay(runs: Sequence[MonitorRun]) -> dict[str, OpenIncident]:
    """Return the incidents the history leaves open, by check, from its recorded events."""
    found: dict[str, OpenIncident] = {}
    for run in runs:
        for event in run.incidents:
            known = found.get(event.check)
            if event.event == "resolved":
                found.pop(event.check, None)
            elif event.event == "opened" or known is None:
                found[event.check] = OpenIncident(
                    event.check, event.state, event.opened_at, event.issue_url
                )
            else:
                found[event.check] = replace(
                    known, state=event.state, issue_url=event.issue_url or known.issue_url
                )
    return found


def resolved_issues(runs: Sequence[MonitorRun]) -> dict[str, datetime]:
    """Return when each resolved incident's issue was resolved, by issue URL."""
    return {
        event.issue_url: event.resolved_at or run.started_at
        for run in runs
        for event in run.incidents
        if event.event == "resolved" and event.issue_url
    }


def counted(runs: Sequence[MonitorRun], check: str) -> list[tuple[datetime, CheckState]]:
    """Return (run start, state) of each run that counts for `check`, oldest first."""
    return [
        (run.started_at, run.checks[check].state)
        for run in runs
        if not run.in_maintenance and check in run.checks and run.checks[check].state != "error"
    ]


def transition(
    runs: Sequence[MonitorRun], check: str, incident: OpenIncident | None, monitoring: Monitoring
) -> Transition | None:
    """Return what the last of `runs` (this run) changes for `check`'s incident, if anything."""
    this_run = runs[-1]
    result = this_run.checks.get(check)
    if this_run.in_maintenance or result is None or result.state == "error":
        return None
    history = counted(runs, check)
    if incident is None:
        needed = monitoring.incident_after_failed_runs
        tail = [state for _, state in history[-needed:]]
        if len(tail) < needed or not all(state in FAILING for state in tail):
            return None
        return Transition(check, "opened", worst(tail), _streak_start(history))
    if SEVERITY[result.state] > SEVERITY[incident.state] and result.state in FAILING:
        return Transition(check, "worsened", result.state, incident.opened_at)
    needed = monitoring.resolve_after_passed_runs
    tail = [state for _, state in history[-needed:]]
    if len(tail) == needed and all(state == "up" for state in tail):
        return Transition(check, "resolved", "up", incident.opened_at, this_run.started_at)
    return None


def _streak_start(history: list[tuple[datetime, CheckState]]) -> datetime:
    """When the trailing run of failures began: the incident's start."""
    start = history[-1][0]
    for started_at, state in reversed(history):
        if state not in FAILING:
            break
        start = started_at
    return start
