"""The week pages in Debian's headless Chromium, against `python -m app serve`."""

from __future__ import annotations

import datetime as dt
import os
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from app.weeks import Week
from semaine.probes.chromium import CHROMIUM, chromium_available, launch_options
from tests.paths import ROOT
from tests.served_app import served_app_blocking

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path


pytestmark = [pytest.mark.browser, pytest.mark.integration, pytest.mark.slow]

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def server(module_database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Run the real server process on a free loopback port, once per module; yield its URL."""
    log_path = tmp_path_factory.mktemp("server") / "server.log"
    with served_app_blocking(ROOT, module_database_url, log_path) as base:
        yield base


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Yield Debian's Chromium, driven headless by Playwright, once per module."""
    if not chromium_available():
        message = f"{CHROMIUM} is not installed: run scripts/setup (apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(message)  # in CI a missing browser is a broken setup, not a skip
        pytest.skip(message)
    with sync_playwright() as driver:
        chromium = driver.chromium.launch(**launch_options())
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def chromium_page(browser: Browser) -> Iterator[Page]:
    """Yield a fresh page (its own context: no cookies or history shared between tests)."""
    context = browser.new_context()
    try:
        yield context.new_page()
    finally:
        context.close()


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
    expect(today_item).to_contain_text("Day total: 1 h 5 min")
    expect(page.locator("#week-total")).to_have_text("1 h 5 min")
    expect(page.locator("ol.days > li")).to_have_count(7)

    page.get_by_role("link", name="Next week").click()
    following = current.next()
    page.wait_for_url(f"{server}/weeks/{following.label}")
    expect(heading).to_have_text(f"Week {following.iso_week}, {following.iso_year}")
    expect(page.locator('li[aria-current="date"]')).to_have_count(0)
    expect(page.get_by_text("Browser standup")).to_have_count(0)

    page.get_by_role("link", name="Previous week").click()
    page.wait_for_url(f"{server}/weeks/{current.label}")
    page.get_by_role("link", name="Previous week").click()
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
