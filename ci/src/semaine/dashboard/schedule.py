"""When the monitor is expected to run, and so how long one run vouches for the service.

The schedule is monitoring.yml's: every 15 minutes 08:00-19:00 Monday to Friday,
Europe/Paris, hourly otherwise. A run vouches for the service from its start until the
next scheduled slot plus a grace of half that slot's interval (scheduled runs are often
late), or until the next run if that comes first. Time nobody vouched for is a gap.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

SCHEDULE_TIMEZONE = ZoneInfo("Europe/Paris")
OFFICE_DAYS = frozenset(range(5))
"""Monday (0) to Friday (4)."""
OFFICE_START = time(8)
OFFICE_END = time(19)
OFFICE_INTERVAL = timedelta(minutes=15)
OTHER_INTERVAL = timedelta(hours=1)
GRACE_SHARE = 0.5
"""How late a run may start, as a share of its slot's interval, before its slot shows a gap."""


def in_office_hours(moment: datetime) -> bool:
    """Tell whether `moment` falls in the 15-minute part of the schedule."""
    local = moment.astimezone(SCHEDULE_TIMEZONE)
    return local.weekday() in OFFICE_DAYS and OFFICE_START <= local.time() < OFFICE_END


def interval_at(moment: datetime) -> timedelta:
    """Return the schedule's interval at `moment`: 15 minutes in office hours, else an hour."""
    return OFFICE_INTERVAL if in_office_hours(moment) else OTHER_INTERVAL


def next_slot(moment: datetime) -> datetime:
    """Return the first scheduled time strictly after `moment`."""
    # Paris is a whole number of hours from UTC: quarters and hours agree in both.
    utc = moment.astimezone(UTC)
    candidate = utc.replace(minute=utc.minute - utc.minute % 15, second=0, microsecond=0)
    while True:
        candidate += OFFICE_INTERVAL
        if candidate.minute == 0 or in_office_hours(candidate):
            return candidate


@lru_cache(maxsize=16_384)  # each run's deadline is asked once per check and per chart
def deadline(started_at: datetime) -> datetime:
    """Return when a run started at `started_at` stops vouching: its next slot plus the grace."""
    slot = next_slot(started_at)
    return slot + interval_at(slot) * GRACE_SHARE


def vouched_until(started_at: datetime, next_run: datetime | None, now: datetime) -> datetime:
    """Return when a run's word on the service ends: its deadline, the next run, or now."""
    ends = [deadline(started_at), now]
    if next_run is not None:
        ends.append(next_run)
    return max(started_at, min(ends))
