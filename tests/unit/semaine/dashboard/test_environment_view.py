"""One environment's view: a 7-day strip of whole hours, the API charts, a late monitor."""

from __future__ import annotations

from datetime import timedelta

import pytest

from semaine.dashboard.environment_view import environment_view
from semaine.dashboard.inputs import History
from tests.dashboard_histories import MONDAY, every, run

START = MONDAY + timedelta(hours=7)


def history(hours: float = 3) -> History:
    times = every(START, START + timedelta(hours=hours), timedelta(minutes=15))
    return History("production", [run(at) for at in times])


@pytest.mark.parametrize("minutes", [0, 1, 59])
def test_the_strip_is_seven_days_of_whole_hours_ending_now(minutes: int) -> None:
    now = START + timedelta(hours=3, minutes=minutes)
    view = environment_view(history(), now)
    assert len(view.strip) == 7 * 24
    assert view.strip[-1].state == "up"
    assert view.strip[0].state == "gap"


def test_the_api_figures_with_thresholds_are_charted() -> None:
    view = environment_view(history(), START + timedelta(hours=3))
    assert [chart.label for chart in view.charts] == ["p95", "error rate"]
    assert view.charts[0].summary.startswith("p95 of the api check over the last 7 days, 12 runs")


def test_a_late_monitor_is_stale_from_the_deadline_of_its_last_run() -> None:
    on_time = environment_view(history(), START + timedelta(hours=3, minutes=5))
    assert on_time.stale_since is None
    late = environment_view(history(), START + timedelta(hours=4))
    assert late.stale_since == START + timedelta(hours=3, minutes=7.5)


def test_runs_after_now_are_left_out() -> None:
    view = environment_view(history(hours=5), START + timedelta(hours=2))
    assert view.latest.started_at == START + timedelta(hours=2)  # a run at now is in


def test_runs_older_than_the_longest_window_count_only_for_its_first_minutes() -> None:
    old = [run(START - timedelta(days=60), "down"), run(START - timedelta(days=31), "down")]
    recent = history().runs
    view = environment_view(History("production", old + recent), START + timedelta(hours=3))
    every_check = view.uptime[0]
    assert [figure.down for figure in every_check.figures] == [0.0, 0.0, 0.0]
    now = START + timedelta(hours=3)
    # A Saturday run 5 min before the 30-day window: it vouches until its next hourly
    # slot plus 30 min, so for the window's first 30 min.
    edge = History("production", [run(now - timedelta(days=30, minutes=5), "down"), *recent])
    (_, _, month) = environment_view(edge, now).uptime[0].figures
    assert month.down == 30 * 60.0
