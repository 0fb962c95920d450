"""Maintenance windows: whether a moment falls inside one, across midnight and summer time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from semaine.environments.monitoring import WEEKDAYS

if TYPE_CHECKING:
    from collections.abc import Iterable

    from semaine.environments import MaintenanceWindow


def active_window(
    windows: Iterable[MaintenanceWindow], moment: datetime
) -> MaintenanceWindow | None:
    """Return the first window `moment` (aware) falls in, or None."""
    for window in windows:
        if in_window(window, moment):
            return window
    return None


def in_window(window: MaintenanceWindow, moment: datetime) -> bool:
    """Tell whether `moment` is within `window`: started on a listed day, not yet over.

    The window starts at its wall-clock time in its timezone and lasts its duration in
    real minutes, so a window across a change of summer time is as long as any other.
    A window may start on the day before `moment` (it crosses midnight).
    """
    zone = ZoneInfo(window.timezone)
    local = moment.astimezone(zone)
    for day in (local.date() - timedelta(days=1), local.date()):
        if WEEKDAYS[day.weekday()] not in window.every:
            continue
        start = datetime.combine(day, window.start, tzinfo=zone).astimezone(UTC)
        if start <= moment < start + timedelta(minutes=window.duration_minutes):
            return True
    return False


def describe(window: MaintenanceWindow) -> str:
    """Say when a window is, for reports: `23:00 Europe/Paris for 30 min (monday, friday)`."""
    days = "every day" if len(window.every) == len(WEEKDAYS) else ", ".join(window.every)
    return f"{window.start:%H:%M} {window.timezone} for {window.duration_minutes} min ({days})"
