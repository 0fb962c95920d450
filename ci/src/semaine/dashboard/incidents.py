"""Incidents as the monitor recorded them: opened, worsened, resolved; with their durations.

One incident per (check, opened_at): a run that ran twice or late repeats an event, it
never makes a second incident. An incident without a resolution is ongoing.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import datetime, timedelta

    from semaine.records import MonitorRun
    from semaine.records.history import CheckState

SEVERITY: dict[CheckState, int] = {"up": 0, "error": 1, "degraded": 2, "down": 3}


@dataclass(frozen=True)
class Incident:
    """One incident of one check: when, how bad, its issue, and what the check said."""

    environment: str
    check: str
    opened_at: datetime
    worst_state: CheckState
    detail: str = ""
    issue_url: str | None = None
    resolved_at: datetime | None = None

    @property
    def ongoing(self) -> bool:
        """Tell whether the incident is not resolved yet."""
        return self.resolved_at is None

    def duration(self, now: datetime) -> timedelta:
        """Return how long the incident lasted, or has lasted until `now`."""
        return (self.resolved_at or now) - self.opened_at


def incidents(runs: Sequence[MonitorRun]) -> list[Incident]:
    """Return the incidents the runs recorded: ongoing first, then the latest opened first."""
    found: dict[tuple[str, datetime], Incident] = {}
    for run in runs:
        for event in run.incidents:
            key = (event.check, event.opened_at)
            result = run.checks.get(event.check)
            known = found.get(key) or Incident(
                environment=run.environment,
                check=event.check,
                opened_at=event.opened_at,
                worst_state=event.state,
                detail=result.detail if result is not None else "",
            )
            if SEVERITY[event.state] > SEVERITY[known.worst_state]:
                known = replace(known, worst_state=event.state)
            if event.issue_url and not known.issue_url:
                known = replace(known, issue_url=event.issue_url)
            if event.event == "resolved":
                known = replace(known, resolved_at=event.resolved_at or run.started_at)
            found[key] = known
    return sorted(found.values(), key=lambda i: (not i.ongoing, -i.opened_at.timestamp()))


def overlapping(found: Sequence[Incident], start: datetime) -> list[Incident]:
    """Return the incidents ongoing at or after `start`."""
    return [i for i in found if i.resolved_at is None or i.resolved_at >= start]
