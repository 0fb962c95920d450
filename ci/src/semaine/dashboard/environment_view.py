"""One environment's part of the page: its checks now, uptime, API figures, incidents."""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from semaine.dashboard import timeline
from semaine.dashboard.charts import Bar, figure_chart, strip_bars
from semaine.dashboard.formatting import figure, figure_label, local_time
from semaine.dashboard.incidents import Incident, incidents, overlapping
from semaine.dashboard.schedule import deadline
from semaine.dashboard.series import FigureSeries, figure_series, thresholded_figures

if TYPE_CHECKING:
    from datetime import datetime

    from markupsafe import Markup

    from semaine.dashboard.inputs import History
    from semaine.records import MonitorRun

UPTIME_TARGET_PERCENT = 99.9
WINDOWS = (("24 h", timedelta(hours=24)), ("7 d", timedelta(days=7)), ("30 d", timedelta(days=30)))
"""The uptime windows, each ending now; the longest also bounds incidents and deliveries."""
LONGEST_WINDOW = WINDOWS[-1][1]
STRIP_WINDOW = timedelta(days=7)
STRIP_BUCKET = timedelta(hours=1)
CHART_WINDOW = timedelta(days=7)
API_CHECK = "api"
"""The check whose thresholded figures (p95, error rate) are charted."""
ALL_CHECKS = "every check"


@dataclass(frozen=True)
class UptimeRow:
    """Uptime of one check (or of every check together) over each window."""

    name: str
    figures: list[timeline.Uptime]


@dataclass(frozen=True)
class Chart:
    """A chart of one figure and its text alternative."""

    label: str
    unit: str
    svg: Markup
    summary: str
    series: FigureSeries


@dataclass(frozen=True)
class EnvironmentView:
    """What the page shows of one environment."""

    name: str
    latest: MonitorRun
    stale_since: datetime | None
    unreadable_lines: int
    uptime: list[UptimeRow]
    strip: list[Bar]
    strip_summary: str
    charts: list[Chart]
    incidents: list[Incident]


def environment_view(history: History, now: datetime) -> EnvironmentView:
    """Compute everything the page shows of one environment's history at `now`."""
    runs = [run for run in history.runs if run.started_at <= now] or history.runs[:1]
    latest = runs[-1]
    overdue = deadline(latest.started_at)
    # The windows need the runs since the longest began, and the one before (it may vouch
    # for the window's first minutes); incidents need every run (one may be long open).
    first = bisect_left(runs, now - LONGEST_WINDOW, key=lambda run: run.started_at)
    scope = runs[max(first - 1, 0) :]
    recent = runs[first:]
    names = sorted({name for run in recent for name in run.checks}) or sorted(latest.checks)
    everything = timeline.spans(scope, now, timeline.overall_state)
    strip = timeline.buckets(everything, _strip_start(now), now, STRIP_BUCKET)
    return EnvironmentView(
        name=history.environment,
        latest=latest,
        stale_since=overdue if overdue < now else None,
        unreadable_lines=history.unreadable_lines,
        uptime=[
            _uptime_row(ALL_CHECKS, everything, now),
            *(
                _uptime_row(name, timeline.spans(scope, now, timeline.check_state(name)), now)
                for name in names
            ),
        ],
        strip=strip_bars(strip),
        strip_summary=_strip_summary(strip),
        charts=[
            _chart(scope, figure_name, now)
            for figure_name in thresholded_figures(recent, API_CHECK)
        ],
        incidents=overlapping(incidents(runs), now - LONGEST_WINDOW),
    )


def _strip_start(now: datetime) -> datetime:
    """Start the strip on a whole hour, so that it ends with the hour now is in."""
    hour = now.replace(minute=0, second=0, microsecond=0)
    return hour - STRIP_WINDOW + (STRIP_BUCKET if now > hour else timedelta(0))


def _uptime_row(name: str, found: list[timeline.Span], now: datetime) -> UptimeRow:
    return UptimeRow(name, [timeline.uptime(found, now - window, now) for _, window in WINDOWS])


def _strip_summary(found: list[timeline.Bucket]) -> str:
    counts = {state: sum(b.state == state for b in found) for state in timeline.SEVERITY}
    shown = ", ".join(f"{state} {count}" for state, count in counts.items() if count)
    return f"{len(found)} hours, by the worst state in each: {shown}"


def _chart(runs: list[MonitorRun], name: str, now: datetime) -> Chart:
    series = figure_series(runs, API_CHECK, name, now - CHART_WINDOW, now)
    label, unit = figure_label(name)
    over = series.over_threshold
    gaps = sum(point.value is None for point in series.points)
    summary = (
        f"{label} of the {API_CHECK} check over the last {CHART_WINDOW.days} days, "
        f"{len(series.values)} runs: latest {figure(series.latest, unit)}, "
        f"highest {figure(series.worst, unit)}, mean {figure(series.mean, unit)}; "
        f"threshold {figure(series.threshold, unit)}, exceeded in {len(over)} run(s)"
        + (f" (last at {local_time(over[-1].at)})" if over else "")
        + f"; {gaps} gaps or missing values."
    )
    return Chart(label, unit, figure_chart(series, label, unit, summary), summary, series)
