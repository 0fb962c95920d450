"""Maintenance windows: their timezone, their days, across midnight and summer time."""

from __future__ import annotations

from datetime import UTC, datetime, time

from semaine.environments import MaintenanceWindow
from semaine.monitoring.maintenance import active_window, describe, in_window


def window(start: str, minutes: int, every: list[str] | None = None) -> MaintenanceWindow:
    fields: dict[str, object] = {"start": start, "duration_minutes": minutes}
    if every is not None:
        fields["every"] = every
    return MaintenanceWindow.model_validate(fields)


def test_a_window_is_in_its_own_timezone() -> None:
    nightly = window("23:00", 30)
    # 23:10 in Paris in winter is 22:10 UTC.
    assert in_window(nightly, datetime(2026, 1, 14, 22, 10, tzinfo=UTC))
    assert not in_window(nightly, datetime(2026, 1, 14, 23, 10, tzinfo=UTC))
    assert not in_window(nightly, datetime(2026, 1, 14, 22, 30, tzinfo=UTC)), "ends after 30 min"


def test_a_window_crossing_midnight_counts_from_its_start_day() -> None:
    sunday_night = window("23:30", 60, ["sunday"])
    # Monday 2026-01-19 00:15 in Paris: the Sunday window is still open.
    assert in_window(sunday_night, datetime(2026, 1, 18, 23, 15, tzinfo=UTC))
    # Monday 23:45 in Paris: not a Sunday start.
    assert not in_window(sunday_night, datetime(2026, 1, 19, 22, 45, tzinfo=UTC))


def test_a_window_across_a_change_of_summer_time_lasts_its_real_minutes() -> None:
    # 2026-03-29: Paris goes from 02:00 CET to 03:00 CEST. A 01:30 window of 120 min
    # starts at 00:30 UTC and ends at 02:30 UTC (04:30 local), not at 03:30 local.
    early = window("01:30", 120)
    assert in_window(early, datetime(2026, 3, 29, 2, 20, tzinfo=UTC))
    assert not in_window(early, datetime(2026, 3, 29, 2, 31, tzinfo=UTC))


def test_the_first_active_window_is_returned() -> None:
    windows = [window("09:00", 10, ["saturday"]), window("12:00", 60)]
    noon = datetime(2026, 6, 10, 10, 30, tzinfo=UTC)  # 12:30 in Paris (CEST)
    assert active_window(windows, noon) == windows[1]
    assert active_window(windows, datetime(2026, 6, 10, 14, 0, tzinfo=UTC)) is None
    assert windows[1].start == time(12, 0)
    assert describe(windows[0]) == "09:00 Europe/Paris for 10 min (saturday)"
    assert describe(windows[1]) == "12:00 Europe/Paris for 60 min (every day)"
