"""The schedule's slots (15 min in Paris office hours, else hourly) and how long a run vouches."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from semaine.dashboard.schedule import (
    deadline,
    in_office_hours,
    interval_at,
    next_slot,
    vouched_until,
)


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


@pytest.mark.parametrize(
    ("moment", "office"),
    [
        ("2026-11-30T06:59:59", False),  # Monday 07:59:59 in Paris (CET, UTC+1)
        ("2026-11-30T07:00:00", True),  # 08:00
        ("2026-11-30T17:59:59", True),  # 18:59:59
        ("2026-11-30T18:00:00", False),  # 19:00
        ("2026-11-28T10:00:00", False),  # Saturday
        ("2026-07-06T06:00:00", True),  # Monday 08:00 in summer (CEST, UTC+2)
        ("2026-07-06T17:00:00", False),  # 19:00 in summer
    ],
)
def test_office_hours_are_paris_weekdays_eight_to_seven(moment: str, *, office: bool) -> None:
    assert in_office_hours(utc(moment)) is office
    assert interval_at(utc(moment)) == timedelta(minutes=15 if office else 60)


@pytest.mark.parametrize(
    ("moment", "slot"),
    [
        ("2026-11-30T07:00:00", "2026-11-30T07:15:00"),  # on a slot: the next one
        ("2026-11-30T07:03:10", "2026-11-30T07:15:00"),  # a late run
        ("2026-11-30T06:10:00", "2026-11-30T07:00:00"),  # 07:10 Paris: hourly until 08:00
        ("2026-11-30T17:50:00", "2026-11-30T18:00:00"),  # 18:50: the 19:00 hourly slot
        ("2026-11-30T18:00:00", "2026-11-30T19:00:00"),  # 19:00: hourly from now on
        ("2026-11-27T17:45:00", "2026-11-27T18:00:00"),  # Friday evening
        ("2026-11-28T09:20:00", "2026-11-28T10:00:00"),  # Saturday: hourly all day
    ],
)
def test_next_slot_follows_the_schedule(moment: str, slot: str) -> None:
    assert next_slot(utc(moment)) == utc(slot)


def test_slots_across_the_changes_of_summer_time() -> None:
    # 2026-03-29: Paris goes to UTC+2, office hours start at 06:00 UTC the next Monday.
    assert next_slot(utc("2026-03-30T05:40:00")) == utc("2026-03-30T06:00:00")
    assert next_slot(utc("2026-03-30T06:00:00")) == utc("2026-03-30T06:15:00")
    # 2026-10-25: back to UTC+1, office hours start at 07:00 UTC the next Monday.
    assert next_slot(utc("2026-10-26T06:00:00")) == utc("2026-10-26T07:00:00")
    assert next_slot(utc("2026-10-26T07:00:00")) == utc("2026-10-26T07:15:00")


def test_a_run_vouches_until_its_next_slot_plus_half_an_interval() -> None:
    office = utc("2026-11-30T09:00:00")
    assert deadline(office) == utc("2026-11-30T09:22:30")
    night = utc("2026-11-30T22:00:00")
    assert deadline(night) == utc("2026-11-30T23:30:00")


def test_the_next_run_or_now_ends_a_run_earlier() -> None:
    start = utc("2026-11-30T09:00:00")
    far = utc("2026-12-01T00:00:00")
    assert vouched_until(start, utc("2026-11-30T09:15:40"), far) == utc("2026-11-30T09:15:40")
    assert vouched_until(start, None, utc("2026-11-30T09:05:00")) == utc("2026-11-30T09:05:00")
    assert vouched_until(start, None, far) == utc("2026-11-30T09:22:30")
    # A dropped 09:15 run: 09:00 vouches until 09:22:30, the rest up to 09:30 is a gap.
    assert vouched_until(start, utc("2026-11-30T09:30:00"), far) == utc("2026-11-30T09:22:30")
