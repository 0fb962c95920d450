"""What the history says about each moment: up, degraded, down, unknown, or a gap; uptime.

A run's state holds from its start for as long as it vouches for the service
(`schedule.vouched_until`). Uptime counts only observed time: up and degraded are
available, down is not; a run whose check could not run ("error") is unknown, and time
no run vouched for is a gap. Neither counts as uptime nor as downtime: both lower the
coverage shown beside the figure, and the worst case counts them as down.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from semaine.dashboard.schedule import vouched_until

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from datetime import datetime, timedelta

    from semaine.records import MonitorRun
    from semaine.records.history import CheckState

SpanState = Literal["up", "degraded", "down", "unknown", "gap"]
SEVERITY: dict[SpanState, int] = {"gap": 0, "unknown": 1, "up": 2, "degraded": 3, "down": 4}
"""Which state a bucket shows when it holds several: the worst that happened in it."""
_SPAN_STATE: dict[CheckState, SpanState] = {
    "up": "up",
    "degraded": "degraded",
    "down": "down",
    "error": "unknown",
}


@dataclass(frozen=True)
class Span:
    """A stretch of time and what was known about it."""

    start: datetime
    end: datetime
    state: SpanState


def spans(
    runs: Sequence[MonitorRun],
    now: datetime,
    state_of: Callable[[MonitorRun], CheckState | None],
) -> list[Span]:
    """Return the history as spans (oldest first), gaps included, up to `now`."""
    found: list[Span] = []
    for index, run in enumerate(runs):
        following = runs[index + 1].started_at if index + 1 < len(runs) else None
        end = vouched_until(run.started_at, following, now)
        state = state_of(run)
        found.append(Span(run.started_at, end, "unknown" if state is None else _SPAN_STATE[state]))
        resumes = min(following, now) if following is not None else now
        if end < resumes:
            found.append(Span(end, resumes, "gap"))
    return found


def overall_state(run: MonitorRun) -> CheckState:
    """Return the run's own state (every check together)."""
    return run.state


def check_state(name: str) -> Callable[[MonitorRun], CheckState | None]:
    """Return a reader of one check's state in a run (None when the run lacks it)."""

    def state_of(run: MonitorRun) -> CheckState | None:
        result = run.checks.get(name)
        return None if result is None else result.state

    return state_of


@dataclass(frozen=True)
class Uptime:
    """Seconds of a window in each state, and the figures made of them."""

    window: float
    up: float = 0.0
    degraded: float = 0.0
    down: float = 0.0
    unknown: float = 0.0

    @property
    def observed(self) -> float:
        """Seconds some run vouched for with a known state."""
        return self.up + self.degraded + self.down

    @property
    def percent(self) -> float | None:
        """Available share of the observed time; None when nothing was observed."""
        return (self.up + self.degraded) / self.observed * 100 if self.observed else None

    @property
    def coverage(self) -> float:
        """Observed share of the window, in percent."""
        return self.observed / self.window * 100 if self.window else 0.0

    @property
    def worst_case(self) -> float:
        """Available share of the whole window, as if every gap and unknown were down."""
        return (self.up + self.degraded) / self.window * 100 if self.window else 0.0

    def meets(self, target_percent: float) -> bool | None:
        """Tell whether the observed uptime reaches the target; None when nothing was observed."""
        return None if self.percent is None else self.percent >= target_percent


def uptime(found: Sequence[Span], start: datetime, end: datetime) -> Uptime:
    """Return the seconds of [start, end) spent in each state."""
    seconds = dict.fromkeys(("up", "degraded", "down", "unknown"), 0.0)
    for span in found:
        overlap = (min(span.end, end) - max(span.start, start)).total_seconds()
        if overlap > 0 and span.state != "gap":
            seconds[span.state] += overlap
    return Uptime(window=(end - start).total_seconds(), **seconds)


@dataclass(frozen=True)
class Bucket:
    """A slice of a strip: its time, the worst state seen in it, and seconds by state."""

    start: datetime
    end: datetime
    state: SpanState
    seconds: dict[SpanState, float]


def buckets(found: Sequence[Span], start: datetime, end: datetime, size: timedelta) -> list[Bucket]:
    """Cut [start, end) into buckets of `size`, each with the worst state seen in it."""
    result: list[Bucket] = []
    first = 0
    bucket_start = start
    while bucket_start < end:
        bucket_end = min(bucket_start + size, end)
        while first < len(found) and found[first].end <= bucket_start:
            first += 1
        seconds: dict[SpanState, float] = {}
        for span in found[first:]:
            if span.start >= bucket_end:
                break
            overlap = (min(span.end, bucket_end) - max(span.start, bucket_start)).total_seconds()
            if overlap > 0:
                seconds[span.state] = seconds.get(span.state, 0.0) + overlap
        observed = sum(seconds.values())
        gap = (bucket_end - bucket_start).total_seconds() - observed
        if gap > 0:
            seconds["gap"] = seconds.get("gap", 0.0) + gap
        worst = max(seconds, key=lambda state: SEVERITY[state])
        result.append(Bucket(bucket_start, bucket_end, worst, seconds))
        bucket_start = bucket_end
    return result
