"""Uptime counts observed time only: gaps and unknown runs are neither up nor down."""

from __future__ import annotations

from datetime import timedelta

import pytest

from semaine.dashboard.timeline import (
    Span,
    buckets,
    check_state,
    overall_state,
    spans,
    uptime,
)
from tests.dashboard_histories import MONDAY, api_check, every, run

OFFICE = MONDAY + timedelta(hours=7)
"""Monday 08:00 in Paris: 15-minute slots until 18:00 UTC."""
MINUTE = 60.0


def test_a_dropped_run_is_a_gap_not_uptime() -> None:
    times = [OFFICE + timedelta(minutes=m) for m in (0, 15, 45, 60)]  # 30 dropped
    found = spans([run(t) for t in times], OFFICE + timedelta(minutes=75), overall_state)
    gaps = [span for span in found if span.state == "gap"]
    assert gaps == [Span(OFFICE + timedelta(minutes=37.5), OFFICE + timedelta(minutes=45), "gap")]
    figures = uptime(found, OFFICE, OFFICE + timedelta(minutes=75))
    assert figures.up == 67.5 * MINUTE
    assert figures.percent == 100.0
    assert figures.coverage == pytest.approx(90.0)
    assert figures.worst_case == pytest.approx(90.0)


def test_down_time_counts_against_uptime_and_the_target() -> None:
    states = ["up"] * 3 + ["down"] + ["up"] * 4
    times = every(OFFICE, OFFICE + timedelta(hours=2), timedelta(minutes=15))
    found = spans([run(t, s) for t, s in zip(times, states, strict=True)], times[-1], overall_state)
    figures = uptime(found, OFFICE, times[-1])
    assert figures.down == 15 * MINUTE
    assert figures.percent == pytest.approx(100 * 90 / 105)
    assert figures.meets(99.9) is False


def test_degraded_is_available_and_an_error_is_unknown() -> None:
    times = every(OFFICE, OFFICE + timedelta(hours=1), timedelta(minutes=15))
    runs = [
        run(times[0]),
        run(times[1], api=api_check(p95_ms=900)),
        run(times[2], "error"),
        run(times[3]),
    ]
    found = spans(runs, OFFICE + timedelta(hours=1), overall_state)
    figures = uptime(found, OFFICE, OFFICE + timedelta(hours=1))
    assert (figures.up, figures.degraded, figures.unknown) == (
        30 * MINUTE,
        15 * MINUTE,
        15 * MINUTE,
    )
    assert figures.percent == 100.0
    assert figures.coverage == pytest.approx(75.0)
    assert figures.meets(99.9) is True


def test_the_time_since_the_last_run_is_a_gap_when_the_monitor_stopped() -> None:
    last = OFFICE
    now = OFFICE + timedelta(hours=2)
    found = spans([run(last)], now, overall_state)
    assert found[-1] == Span(OFFICE + timedelta(minutes=22.5), now, "gap")
    assert uptime(found, OFFICE, now).coverage == pytest.approx(100 * 22.5 / 120)


def test_time_before_the_first_run_is_not_observed() -> None:
    found = spans([run(OFFICE)], OFFICE + timedelta(minutes=15), overall_state)
    figures = uptime(
        found, OFFICE - timedelta(hours=23, minutes=45), OFFICE + timedelta(minutes=15)
    )
    assert figures.observed == 15 * MINUTE
    assert figures.coverage == pytest.approx(100 * 15 / (24 * 60))
    assert figures.percent == 100.0


def test_nothing_observed_has_no_uptime_and_no_verdict() -> None:
    figures = uptime([], OFFICE, OFFICE + timedelta(hours=1))
    assert figures.percent is None
    assert figures.meets(99.9) is None
    assert figures.coverage == 0.0


def test_one_check_uptime_reads_that_check_and_a_missing_check_is_unknown() -> None:
    times = every(OFFICE, OFFICE + timedelta(minutes=45), timedelta(minutes=15))
    runs = [run(times[0]), run(times[1], api=api_check(error_rate_percent=5)), run(times[2])]
    runs[2] = runs[2].model_copy(update={"checks": {"healthz": runs[2].checks["healthz"]}})
    end = OFFICE + timedelta(minutes=45)
    api = uptime(spans(runs, end, check_state("api")), OFFICE, end)
    assert (api.up, api.down, api.unknown) == (15 * MINUTE, 15 * MINUTE, 15 * MINUTE)
    healthz = uptime(spans(runs, end, check_state("healthz")), OFFICE, end)
    assert healthz.percent == 100.0


def test_buckets_show_the_worst_state_and_gaps() -> None:
    times = [OFFICE + timedelta(minutes=m) for m in (0, 15, 30, 45)]
    runs = [run(times[0]), run(times[1], "down"), run(times[2]), run(times[3])]
    end = OFFICE + timedelta(hours=3)
    found = buckets(spans(runs, end, overall_state), OFFICE, end, timedelta(hours=1))
    assert [bucket.state for bucket in found] == ["down", "up", "gap"]
    assert found[0].seconds == {"up": 45 * MINUTE, "down": 15 * MINUTE}
    assert found[1].seconds == {"up": 7.5 * MINUTE, "gap": 52.5 * MINUTE}
    assert found[2].seconds == {"gap": 60 * MINUTE}
