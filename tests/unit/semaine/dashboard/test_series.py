"""The API check's figures over time: a None point at each gap, thresholds kept per run."""

from __future__ import annotations

from datetime import timedelta

from semaine.dashboard.series import figure_series, thresholded_figures
from tests.dashboard_histories import MONDAY, api_check, run

OFFICE = MONDAY + timedelta(hours=7)


def minutes(value: float) -> timedelta:
    return timedelta(minutes=value)


def test_p95_series_breaks_at_a_gap_and_keeps_each_value() -> None:
    p95 = {0: 100.0, 15: 140.0, 60: 620.0, 75: 90.0}  # 30 and 45 dropped
    runs = [run(OFFICE + minutes(m), api=api_check(p95_ms=v)) for m, v in p95.items()]
    series = figure_series(runs, "api", "p95_ms", OFFICE, OFFICE + minutes(90))
    assert [(point.at, point.value) for point in series.points] == [
        (OFFICE, 100.0),
        (OFFICE + minutes(15), 140.0),
        (OFFICE + minutes(37.5), None),
        (OFFICE + minutes(60), 620.0),
        (OFFICE + minutes(75), 90.0),
    ]
    assert series.values == [100.0, 140.0, 620.0, 90.0]
    assert (series.latest, series.worst, series.mean) == (90.0, 620.0, 237.5)
    assert series.threshold == 500.0
    assert [point.at for point in series.over_threshold] == [OFFICE + minutes(60)]


def test_the_window_leaves_out_older_runs() -> None:
    runs = [run(OFFICE + minutes(m), api=api_check(p95_ms=m + 1)) for m in (0, 15, 30)]
    series = figure_series(runs, "api", "p95_ms", OFFICE + minutes(10), OFFICE + minutes(40))
    assert series.values == [16.0, 31.0]


def test_a_run_without_the_figure_is_a_break_and_a_changed_threshold_applies_from_then() -> None:
    lowered = api_check(p95_ms=450).model_copy(update={"thresholds": {"p95_ms": 400.0}})
    runs = [
        run(OFFICE, api=api_check(p95_ms=450)),
        run(OFFICE + minutes(15), api=lowered),
        run(OFFICE + minutes(30), "error", api=api_check().model_copy(update={"figures": {}})),
    ]
    series = figure_series(runs, "api", "p95_ms", OFFICE, OFFICE + minutes(40))
    assert [point.value for point in series.points] == [450.0, 450.0, None]
    assert [point.at for point in series.over_threshold] == [OFFICE + minutes(15)]


def test_only_figures_with_a_threshold_are_charted() -> None:
    assert thresholded_figures([run(OFFICE)], "api") == ["p95_ms", "error_rate_percent"]
    assert thresholded_figures([run(OFFICE)], "healthz") == []
    assert thresholded_figures([run(OFFICE)], "absent") == []
