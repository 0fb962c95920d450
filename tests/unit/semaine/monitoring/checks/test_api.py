"""The API series: which paths, in which order, and the p95 by nearest rank."""

from __future__ import annotations

from datetime import date

import pytest

from semaine.monitoring.checks.api import endpoint_paths, p95


def test_the_series_takes_turns_over_the_four_reads_going_back_a_week_a_turn() -> None:
    paths = endpoint_paths(date(2026, 1, 6), 8)
    assert paths == [
        "/api/v1/weeks/current",
        "/api/v1/dates/2026-01-06/week",
        "/api/v1/months/2026-01",
        "/api/v1/weeks/2026-W02/entries",
        "/api/v1/weeks/current",
        "/api/v1/dates/2025-12-30/week",
        "/api/v1/months/2025-12",
        "/api/v1/weeks/2026-W01/entries",
    ]


@pytest.mark.parametrize(
    ("samples", "expected"),
    [
        ([], 0.0),
        ([7.0], 7.0),
        ([float(n) for n in range(1, 21)], 19.0),
        ([float(n) for n in range(1, 33)], 31.0),
        ([5.0, 1.0, 3.0], 5.0),
    ],
)
def test_p95_is_the_nearest_rank(samples: list[float], expected: float) -> None:
    assert p95(samples) == expected
