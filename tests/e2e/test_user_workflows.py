"""The user's workflows in Debian's headless Chromium, on a database seeded with real-looking weeks.

One server and one browser for the module; each test opens its own browser context.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from playwright.sync_api import Browser, Page, expect

from app.pages.rendering import duration
from app.weeks import Week
from tests.e2e.conftest import PHONE, TODAY, WIDE
from tests.e2e.seeding import LONG_TITLE, day_minutes

if TYPE_CHECKING:
    from collections.abc import Iterator

pytestmark = [pytest.mark.browser, pytest.mark.integration, pytest.mark.slow]

CURRENT = Week.from_date(TODAY)
# Scroll width beyond the viewport: 0 when nothing sticks out sideways.
_OVERFLOW = "document.documentElement.scrollWidth - document.documentElement.clientWidth"


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    """Yield a page 390 px wide, as on a phone."""
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)  # type: ignore[arg-type]
    try:
        yield context.new_page()
    finally:
        context.close()


def test_add_change_and_delete_an_entry_on_sunday(server: str, chromium_page: Page) -> None:
    page = chromium_page
    page.goto(f"{server}/")
    page.wait_for_url(f"{server}/weeks/{CURRENT.label}")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Week {CURRENT.iso_week}, {CURRENT.iso_year}"
    )
    days = page.locator("ol.days > li")
    expect(days).to_have_count(7)
    expect(days.first).to_contain_text("Sprint planning")
    # Seven columns side by side, all within a 1280 x 900 window, Monday first.
    boxes = [days.nth(i).bounding_box() for i in range(7)]
    lefts = [box["x"] for box in boxes if box]
    assert lefts == sorted(lefts)
    assert all(
        box["x"] + box["width"] <= WIDE["width"] and box["y"] < WIDE["height"]
        for box in boxes
        if box
    )
    expect(page.locator('li[aria-current="date"]')).to_have_count(1)

    sunday = CURRENT.sunday
    before = day_minutes(server, sunday)
    page.get_by_label("Date", exact=True).fill(sunday.isoformat())
    # Spaces pass the browser's `required` check, not the rules.
    page.get_by_label("Title", exact=True).fill("   ")
    page.get_by_label("Minutes", exact=True).fill("60")
    page.get_by_role("button", name="Add the entry").click()
    expect(page.locator("#new-title-error")).to_contain_text("visible character")
    expect(page.get_by_label("Minutes", exact=True)).to_have_value("60")

    page.get_by_label("Title", exact=True).fill("Sunday long run")
    page.get_by_role("button", name="Add the entry").click()
    page.wait_for_url(f"{server}/weeks/{CURRENT.label}#entry-*")
    sunday_column = page.locator(f'li.day[aria-labelledby="d-{sunday.isoformat()}"]')
    expect(sunday_column).to_contain_text("Sunday long run")
    expect(sunday_column).to_contain_text(f"Day total: {duration(before + 60)}")

    page.get_by_role("link", name="Sunday long run").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Change an entry")
    page.get_by_label("Title", exact=True).fill("Sunday longer run")
    page.get_by_label("Minutes", exact=True).fill("95")
    page.get_by_role("button", name="Save the changes").click()
    page.wait_for_url(f"{server}/weeks/{CURRENT.label}#entry-*")
    expect(sunday_column).to_contain_text("Sunday longer run")
    expect(sunday_column).to_contain_text(f"Day total: {duration(before + 95)}")

    page.get_by_role("link", name="Sunday longer run").click()
    page.get_by_role("button", name="Delete this entry").click()
    page.wait_for_url(f"{server}/weeks/{CURRENT.label}")
    expect(page.get_by_text("Sunday longer run")).to_have_count(0)
    expect(sunday_column).to_contain_text(f"Day total: {duration(before)}")


def test_jump_to_2026_w53_and_cross_the_year_by_keyboard(server: str, chromium_page: Page) -> None:
    page = chromium_page
    page.goto(f"{server}/weeks/{CURRENT.label}")
    go_to = page.get_by_label("Go to a date, week or month")
    go_to.fill("2026-W54")
    go_to.press("Enter")
    expect(page.locator("#go-to-error")).to_contain_text("2026 has 53 ISO weeks")
    page.get_by_label("Go to a date, week or month").fill("2026-W53")
    page.get_by_role("button", name="Go").click()
    page.wait_for_url(f"{server}/weeks/2026-W53")
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text("Week 53, 2026")
    expect(page.locator(".summary")).to_contain_text(
        "Monday 28 December 2026 to Sunday 3 January 2027"
    )
    expect(page.locator("ol.days time").first).to_have_attribute("datetime", "2026-12-28")
    expect(page.locator("ol.days time").last).to_have_attribute("datetime", "2027-01-03")
    expect(page.locator('li.day[aria-labelledby="d-2027-01-01"]')).to_contain_text("Standup")

    page.keyboard.press("j")
    page.wait_for_url(f"{server}/weeks/2027-W01")
    expect(heading).to_have_text("Week 1, 2027")
    page.keyboard.press("ArrowLeft")
    page.wait_for_url(f"{server}/weeks/2026-W53")
    page.keyboard.press("k")
    page.wait_for_url(f"{server}/weeks/2026-W52")
    expect(heading).to_have_text("Week 52, 2026")
    page.locator("a[rel=next]").click()
    page.wait_for_url(f"{server}/weeks/2026-W53")
    page.keyboard.press("t")
    page.wait_for_url(f"{server}/weeks/{CURRENT.label}")


def test_open_a_month_and_follow_a_week(server: str, chromium_page: Page) -> None:
    page = chromium_page
    page.goto(f"{server}/months/2027-01")
    expect(page.get_by_role("heading", level=1)).to_have_text("January 2027")
    first_row = page.locator("table.month tbody tr").first
    expect(first_row.locator("td.out")).to_have_count(4)  # 28-31 December, dimmed
    first_row.get_by_role("link").click()
    page.wait_for_url(f"{server}/weeks/2026-W53")
    expect(page.get_by_role("heading", level=1)).to_have_text("Week 53, 2026")
    page.get_by_role("link", name="December 2026").click()
    page.wait_for_url(f"{server}/months/2026-12")
    expect(page.locator("table.month tbody tr").last.get_by_role("link")).to_have_attribute(
        "href", "/weeks/2026-W53"
    )


def test_a_200_character_title_never_scrolls_sideways(
    server: str, phone: Page, chromium_page: Page
) -> None:
    for page in (phone, chromium_page):
        page.goto(f"{server}/weeks/2026-W53")
        title = page.get_by_role("link", name=LONG_TITLE)
        expect(title).to_be_visible()
        assert page.evaluate(_OVERFLOW) == 0
        box = title.bounding_box()
        width = page.viewport_size["width"] if page.viewport_size else 0
        assert box is not None
        assert box["x"] + box["width"] <= width
    phone.goto(f"{server}/months/2027-01")
    assert phone.evaluate(_OVERFLOW) == 0
    # One column on a phone: Tuesday sits below Monday, not beside it.
    phone.goto(f"{server}/weeks/2026-W53")
    monday, tuesday = (phone.locator("ol.days > li").nth(i).bounding_box() for i in (0, 1))
    assert monday is not None
    assert tuesday is not None
    assert tuesday["y"] > monday["y"] + monday["height"] - 1
    assert tuesday["x"] == monday["x"]
