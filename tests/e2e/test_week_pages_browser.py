"""The week pages in Debian's headless Chromium, against `python -m app serve` (seeded)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import httpx
import pytest
from playwright.sync_api import Page, expect

from app.pages.rendering import duration
from app.weeks import Week
from tests.e2e.seeding import day_minutes, week_minutes

if TYPE_CHECKING:
    from pathlib import Path


pytestmark = [pytest.mark.browser, pytest.mark.integration, pytest.mark.slow]

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def test_browse_weeks_from_home(server: str, chromium_page: Page, tmp_path: Path) -> None:
    page = chromium_page
    today = dt.datetime.now(ZoneInfo("Europe/Paris")).date()
    current = Week.from_date(today)
    for title, minutes in [("Browser standup", 15), ("Browser review", 50)]:
        created = httpx.post(
            f"{server}/api/v1/entries",
            json={"date": today.isoformat(), "title": title, "minutes": minutes},
        )
        assert created.status_code == 201

    page.goto(f"{server}/")
    assert page.url == f"{server}/weeks/{current.label}"
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text(f"Week {current.iso_week}, {current.iso_year}")
    today_item = page.locator('li[aria-current="date"]')
    expect(today_item).to_contain_text("Browser standup")
    expect(today_item).to_contain_text("Browser review")
    # The page's totals are the API's, the seeded entries of the week included.
    expect(today_item).to_contain_text(f"Day total: {duration(day_minutes(server, today))}")
    expect(page.locator("#week-total")).to_have_text(duration(week_minutes(server, current)))
    expect(page.locator("ol.days > li")).to_have_count(7)

    page.locator("a[rel=next]").click()
    following = current.next()
    page.wait_for_url(f"{server}/weeks/{following.label}")
    expect(heading).to_have_text(f"Week {following.iso_week}, {following.iso_year}")
    expect(page.locator('li[aria-current="date"]')).to_have_count(0)
    expect(page.get_by_text("Browser standup")).to_have_count(0)

    page.locator("a[rel=prev]").click()
    page.wait_for_url(f"{server}/weeks/{current.label}")
    page.locator("a[rel=prev]").click()
    page.wait_for_url(f"{server}/weeks/{current.previous().label}")

    page.get_by_role("link", name="Today").click()
    page.wait_for_url(f"{server}/weeks/{current.label}")
    expect(page.locator('li[aria-current="date"]')).to_have_count(1)

    shot = tmp_path / "week.png"
    page.screenshot(path=str(shot), full_page=True)
    data = shot.read_bytes()
    assert data.startswith(PNG_SIGNATURE)
    assert len(data) > 1000


def test_a_bad_week_url_explains_itself(server: str, chromium_page: Page) -> None:
    page = chromium_page
    response = page.goto(f"{server}/weeks/2026-48")
    assert response is not None
    assert response.status == 400
    expect(page.get_by_role("heading", level=1)).to_have_text("Not a week")
    page.get_by_role("link", name="Go to the current week").click()
    expect(page.locator('li[aria-current="date"]')).to_have_count(1)
