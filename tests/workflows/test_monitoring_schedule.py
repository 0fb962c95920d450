"""The monitoring schedule, expanded with croniter, is exactly the seed's office-hours rule.

Every 15 minutes from 08:00 to 19:00 (the runs at 08:00 ... 18:45 and 19:00; from 19:00
on, hourly), Monday to Friday in Paris; hourly otherwise; never two runs at one time;
across the changes to summer time (2027-03-28) and back (2026-10-25, 2027-10-31). The
dashboard's own copy of the schedule (semaine.dashboard.schedule, which judges gaps)
expects exactly these runs.
"""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from croniter import croniter

from semaine.dashboard.schedule import interval_at, next_slot
from tests.workflows.workflow_files import load

PARIS = ZoneInfo("Europe/Paris")
QUARTER = timedelta(minutes=15)
WEEK = timedelta(days=7)
OFFICE = (time(8, 0), time(18, 45))
"""The first and last quarter-hour of office hours; 19:00 is the first hourly run after."""


def schedule() -> list[dict[str, str]]:
    """Return the monitoring workflow's schedule entries."""
    entries = load("monitoring.yml").triggers["schedule"]
    assert isinstance(entries, list)
    return entries


def runs(start: datetime, end: datetime) -> list[datetime]:
    """Expand every cron entry in its own time zone (UTC when none, as GitHub does)."""
    found: list[datetime] = []
    for entry in schedule():
        zone = ZoneInfo(entry.get("timezone", "UTC"))
        ticks = croniter(entry["cron"], start.astimezone(zone) - timedelta(seconds=1))
        while (tick := ticks.get_next(datetime)) < end:
            found.append(tick.astimezone(UTC))
    return sorted(found)


def expected(start: datetime, end: datetime) -> list[datetime]:
    """Return the runs the rule asks for, stated without cron: each quarter-hour it keeps."""
    wanted = []
    moment = start.astimezone(UTC)
    while moment < end:
        local = moment.astimezone(PARIS)
        office = local.weekday() < 5 and OFFICE[0] <= local.time() <= OFFICE[1]
        if office or local.minute == 0:
            wanted.append(moment)
        moment += QUARTER
    return wanted


def monday(day: str) -> datetime:
    """Return 00:00 in Paris of the Monday of the week holding `day` (YYYY-MM-DD)."""
    date = datetime.fromisoformat(day).date()
    return datetime.combine(date - timedelta(days=date.weekday()), time(0), tzinfo=PARIS)


WEEKS = {
    "an ordinary week": monday("2026-06-17"),
    "the week that ends with the change to summer time": monday("2027-03-28"),
    "the first week of summer time": monday("2027-03-29"),
    "the week that ends with the return to winter time, 2026": monday("2026-10-25"),
    "the week that ends with the return to winter time, 2027": monday("2027-10-31"),
    "a week from Saturday across the change to summer time": datetime(2027, 3, 27, tzinfo=PARIS),
    "a week from Saturday across the return to winter time": datetime(2026, 10, 24, tzinfo=PARIS),
}


@pytest.mark.parametrize("start", list(WEEKS.values()), ids=list(WEEKS))
def test_a_whole_week_runs_exactly_as_the_rule_says(start: datetime) -> None:
    # The end is a week of real time later: 167 or 169 hours when the clocks change.
    end = start.astimezone(UTC) + WEEK
    found = runs(start, end)
    assert len(found) == len(set(found)), "two runs at one time"
    assert found == expected(start, end)


def test_a_week_has_the_counted_runs() -> None:
    # 5 days x (11 h x 4 quarters + the 13 hourly runs 00:00-07:00 and 19:00-23:00) + 2 x 24.
    found = runs(WEEKS["an ordinary week"], WEEKS["an ordinary week"] + WEEK)
    assert len(found) == 5 * (11 * 4 + 13) + 2 * 24


@pytest.mark.parametrize(
    ("local", "gap_minutes"),
    [
        ("2026-06-15T07:00", 60),  # Monday: the last hourly run before office hours
        ("2026-06-15T08:00", 15),
        ("2026-06-15T18:45", 15),  # ... the last quarter: 19:00 comes 15 minutes later
        ("2026-06-15T19:00", 60),
        ("2026-06-19T18:45", 15),  # Friday
        ("2026-06-20T08:00", 60),  # Saturday: hourly all day
        ("2027-03-28T01:00", 60),  # 01:00 CET, then 03:00 CEST: one hour of real time
        ("2026-10-25T02:00", 60),  # 02:00 CEST, then 02:00 CET
    ],
)
def test_the_next_run_comes_when_the_rule_says(local: str, gap_minutes: int) -> None:
    moment = datetime.fromisoformat(local).replace(tzinfo=PARIS)
    if local == "2026-10-25T02:00":
        moment = moment.replace(fold=0)  # the first 02:00, in summer time
    following = runs(moment, moment.astimezone(UTC) + timedelta(hours=2))
    assert following[0] == moment.astimezone(UTC)
    assert following[1] - following[0] == timedelta(minutes=gap_minutes)


def test_the_entries_never_fire_at_the_same_minute() -> None:
    # The hourly entry fires at minute 0 only, the office-hours one never does.
    hourly, office = (entry["cron"].split()[0] for entry in schedule())
    assert hourly == "0"
    assert "0" not in office.split(",")


def instants(wall_clock: datetime, zone: ZoneInfo) -> set[datetime]:
    """Return the real times a wall-clock time names in `zone`: none in a gap, two in a fold."""
    found = set()
    for fold in (0, 1):
        aware = wall_clock.replace(tzinfo=zone, fold=fold)
        if aware.astimezone(UTC).astimezone(zone).replace(tzinfo=None) == wall_clock:
            found.add(aware.astimezone(UTC))
    return found


@pytest.mark.parametrize("start", list(WEEKS.values()), ids=list(WEEKS))
def test_no_tick_names_a_skipped_or_repeated_time(start: datetime) -> None:
    # croniter skips a time the clocks jump over; GitHub documents that it runs it at the
    # next valid time instead (02:30 -> 03:00), which would be a second run at 03:00. What a
    # repeated time (02:00 in October) does is undocumented. So no entry may name either.
    for entry in schedule():
        zone = ZoneInfo(entry.get("timezone", "UTC"))
        wall_clock = croniter(entry["cron"], start.astimezone(zone).replace(tzinfo=None))
        end = (start + WEEK).astimezone(zone).replace(tzinfo=None)
        while (tick := wall_clock.get_next(datetime)) < end:
            assert len(instants(tick, zone)) == 1, f"{entry['cron']} at {tick} in {zone}"


@pytest.mark.parametrize("start", list(WEEKS.values()), ids=list(WEEKS))
def test_the_dashboard_expects_the_runs_the_workflow_makes(start: datetime) -> None:
    # The dashboard cannot read the workflow (it renders in the Dagger module runtime,
    # from the history alone), so its schedule is code and this test keeps the two equal:
    # from any time, its next slot is the cron entries' next run, and the interval it
    # grants each slot is the time to the run after it.
    ticks = runs(start, start.astimezone(UTC) + WEEK + timedelta(hours=2))
    for tick, following in itertools.pairwise(ticks):
        for moment in (tick - timedelta(seconds=1), tick, tick + timedelta(minutes=7)):
            expected_next = tick if moment < tick else following
            if moment < following:
                assert next_slot(moment) == expected_next, moment.astimezone(PARIS)
        assert interval_at(tick) == following - tick, tick.astimezone(PARIS)
