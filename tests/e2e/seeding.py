"""Realistic entries for the browser tests: a working week around today and the year's end."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import httpx

from app.weeks import Week

if TYPE_CHECKING:
    from collections.abc import Iterator

# (weekday 0 = Monday, title, minutes): a plausible week of someone's work.
WEEK_PLAN = (
    (0, "Standup", 15),
    (0, "Sprint planning", 90),
    (0, "Review pull request #482: ISO week labels", 45),
    (1, "Standup", 15),
    (1, "Pair programming on the month grid", 120),
    (2, "Standup", 15),
    (2, "Customer call: Acme invoicing", 50),
    (2, "Write release notes", 30),
    (3, "Standup", 15),
    (3, "Incident review", 60),
    (4, "Standup", 15),
    (4, "Demo and retrospective", 75),
    (5, "Read: ISO 8601-1:2019, section 4.2", 40),
    (6, "Plan next week", 20),
)
LONG_TITLE = "https://example.org/" + "a" * 180  # 200 characters, no space to break at


def planned(weeks: Iterator[Week] | list[Week]) -> list[dict[str, object]]:
    """Return the API bodies of WEEK_PLAN's entries in each week."""
    return [
        {"date": (week.monday + dt.timedelta(days=day)).isoformat(), "title": title, "minutes": n}
        for week in weeks
        for day, title, n in WEEK_PLAN
    ]


def seed(base_url: str, today: dt.date) -> int:
    """Add the plan to the weeks around today and 2026-W52..2027-W01, and LONG_TITLE."""
    current = Week.from_date(today)
    weeks = sorted(
        {current.previous(), current, current.next()}
        | {Week(2026, 52), Week(2026, 53), Week(2027, 1)}
    )
    bodies = [*planned(weeks), {"date": "2026-12-30", "title": LONG_TITLE, "minutes": 5}]
    with httpx.Client(base_url=base_url, timeout=30) as client:
        for body in bodies:
            client.post("/api/v1/entries", json=body).raise_for_status()
    return len(bodies)


def day_minutes(base_url: str, day: dt.date) -> int:
    """Return a day's total minutes as the API counts them."""
    week = Week.from_date(day)
    body = httpx.get(f"{base_url}/api/v1/weeks/{week.label}/entries", timeout=30).json()
    (found,) = [listed for listed in body["days"] if listed["date"] == day.isoformat()]
    return int(found["total_minutes"])


def week_minutes(base_url: str, week: Week) -> int:
    """Return a week's total minutes as the API counts them."""
    body = httpx.get(f"{base_url}/api/v1/weeks/{week.label}/entries", timeout=30).json()
    return int(body["total_minutes"])
