"""A check's measured figures over time, against their thresholds, with gaps kept as gaps.

The figures charted are those the check reports with a threshold (the API check's p95
and error rate, whatever the monitor names them). Thresholds are upper limits.
"""

from __future__ import annotations

from dataclasses import dataclass
from statistics import fmean
from typing import TYPE_CHECKING

from semaine.dashboard.schedule import vouched_until

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import datetime

    from semaine.records import MonitorRun


@dataclass(frozen=True)
class Point:
    """One value at one time; None breaks the line (a gap, or no figure in that run)."""

    at: datetime
    value: float | None


@dataclass(frozen=True)
class FigureSeries:
    """One figure of one check over a window, with its threshold and a few summaries."""

    check: str
    figure: str
    points: list[Point]
    thresholds: list[Point]

    @property
    def values(self) -> list[float]:
        """The measured values, gaps left out."""
        return [point.value for point in self.points if point.value is not None]

    @property
    def latest(self) -> float | None:
        """The last measured value."""
        return self.values[-1] if self.values else None

    @property
    def worst(self) -> float | None:
        """The highest measured value."""
        return max(self.values, default=None)

    @property
    def mean(self) -> float | None:
        """The mean of the measured values."""
        return fmean(self.values) if self.values else None

    @property
    def threshold(self) -> float | None:
        """The latest threshold."""
        return self.thresholds[-1].value if self.thresholds else None

    @property
    def over_threshold(self) -> list[Point]:
        """The points above the threshold that applied at their time."""
        limits = {point.at: point.value for point in self.thresholds}
        return [
            point
            for point in self.points
            if point.value is not None
            and (limit := limits.get(point.at)) is not None
            and point.value > limit
        ]


def figure_series(
    runs: Sequence[MonitorRun], check: str, figure: str, start: datetime, now: datetime
) -> FigureSeries:
    """Return `figure` of `check` for the runs in [start, now], a None point at each gap."""
    points: list[Point] = []
    thresholds: list[Point] = []
    for index, run in enumerate(runs):
        if not start <= run.started_at <= now:
            continue
        result = run.checks.get(check)
        points.append(Point(run.started_at, None if result is None else result.figures.get(figure)))
        if result is not None and figure in result.thresholds:
            thresholds.append(Point(run.started_at, result.thresholds[figure]))
        following = runs[index + 1].started_at if index + 1 < len(runs) else None
        end = vouched_until(run.started_at, following, now)
        if following is not None and end < following:
            points.append(Point(end, None))
    return FigureSeries(check, figure, points, thresholds)


def thresholded_figures(runs: Sequence[MonitorRun], check: str) -> list[str]:
    """Return the figures `check` reported with a threshold, in the order first seen."""
    names: dict[str, None] = {}
    for run in runs:
        result = run.checks.get(check)
        if result is not None:
            names.update(
                dict.fromkeys(name for name in result.figures if name in result.thresholds)
            )
    return list(names)
