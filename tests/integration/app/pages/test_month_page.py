"""GET /months/{yyyy-mm}: the Monday-first grid of ISO weeks, each linking to its week page."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pytest

from app.weeks import Week, weeks_in_year
from tests.integration.app.pages.markup import Outline, today

if TYPE_CHECKING:
    import httpx

pytestmark = pytest.mark.integration

_ROW = re.compile(r"<tr>(.*?)</tr>", re.DOTALL)
_CELL = re.compile(r'<td class="([^"]*)"[^>]*><time datetime="([0-9-]+)">')


def _rows(html: str) -> list[tuple[str, list[tuple[str, bool]]]]:
    """Return each body row: its week link, and its days with whether they are dimmed."""
    body = html.split("<tbody>", 1)[1]
    rows = []
    for row in _ROW.findall(body):
        week = re.search(r'href="/weeks/([0-9]{4}-W[0-9]{2})"', row)
        assert week is not None, row
        cells = [(day, "out" in classes.split()) for classes, day in _CELL.findall(row)]
        rows.append((week[1], cells))
    return rows


def test_a_month_is_monday_first_with_week_numbers(shared_client: httpx.Client) -> None:
    response = shared_client.get("/months/2026-11")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    page = Outline(response.text)
    assert page.h1 == ["November 2026"]
    headers = re.findall(r'<th scope="col">(\w+)</th>', response.text)
    assert headers == ["Week", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    rows = _rows(response.text)
    assert [week for week, _ in rows] == [f"2026-W{n}" for n in range(44, 50)]
    assert rows[0][1][0] == ("2026-10-26", True)
    assert rows[0][1][6] == ("2026-11-01", False)
    assert rows[-1][1][0] == ("2026-11-30", False)
    assert rows[-1][1][6] == ("2026-12-06", True)
    for week, cells in rows:
        assert [day for day, _ in cells] == [d.isoformat() for d in Week.parse(week).days]
    assert ("/months/2026-10", "Previous month (October 2026)") in page.links
    assert ("/months/2026-12", "Next month (December 2026)") in page.links


def test_2026_w53_straddles_december_and_january(shared_client: httpx.Client) -> None:
    december = _rows(shared_client.get("/months/2026-12").text)
    january_html = shared_client.get("/months/2027-01").text
    january = _rows(january_html)
    # The same week closes December and opens January, dimmed where it leaves each month.
    assert december[-1][0] == january[0][0]
    assert [day for day, _ in december[-1][1]] == [day for day, _ in january[0][1]]
    assert [out for _, out in december[-1][1]] == [not out for _, out in january[0][1]]
    week, cells = january[0]
    assert week == "2026-W53"
    assert cells[0] == ("2026-12-28", True)
    assert cells[3] == ("2026-12-31", True)
    assert cells[4] == ("2027-01-01", False)
    assert cells[6] == ("2027-01-03", False)
    # The row's week is named with its own ISO year, not the month's.
    assert ("/weeks/2026-W53", "Week 53 2026") in Outline(january_html).links


@pytest.mark.parametrize("year", [2020, 2026])
def test_a_53_week_year_ends_with_w53(shared_client: httpx.Client, year: int) -> None:
    assert weeks_in_year(year) == 53
    rows = _rows(shared_client.get(f"/months/{year}-12").text)
    week, cells = rows[-1]
    assert week == f"{year}-W53"
    assert cells[0][0] == f"{year}-12-28"
    assert cells[6][0] == f"{year + 1}-01-03"
    assert _rows(shared_client.get(f"/months/{year + 1}-01").text)[0][0] == f"{year}-W53"


def test_a_52_week_year_hands_its_last_days_to_next_years_w01(shared_client: httpx.Client) -> None:
    rows = _rows(shared_client.get("/months/2025-12").text)
    assert [week for week, _ in rows][-2:] == ["2025-W52", "2026-W01"]
    assert rows[-1][1][0] == ("2025-12-29", False)
    assert rows[-1][1][6] == ("2026-01-04", True)


def test_each_week_links_to_its_page(shared_client: httpx.Client) -> None:
    page = Outline(shared_client.get("/months/2027-01").text)
    for week in ("2026-W53", "2027-W01", "2027-W04"):
        assert any(href == f"/weeks/{week}" for href, _ in page.links), week
    week_page = shared_client.get("/weeks/2026-W53").text
    links = Outline(week_page).links
    assert ("/months/2026-12", "December 2026") in links
    assert ("/months/2027-01", "January 2027") in links


def test_today_is_marked_in_the_current_month(shared_client: httpx.Client) -> None:
    day = today()
    page = Outline(shared_client.get(f"/months/{day:%Y-%m}").text)
    (marked,) = page.having("td", aria_current="date")
    assert "today" in (marked.get("class") or "")


@pytest.mark.parametrize(("month", "missing"), [("0001-01", "Previous"), ("9999-11", "Next")])
def test_the_limits_have_no_link_beyond(
    shared_client: httpx.Client, month: str, missing: str
) -> None:
    response = shared_client.get(f"/months/{month}")
    assert response.status_code == 200
    assert not [t for _, t in Outline(response.text).links if t.startswith(missing)]


@pytest.mark.parametrize(
    ("month", "words"),
    [("2026-13", "months run 01..12"), ("2026-1", "did you mean 2026-01"), ("9999-12", "range")],
)
def test_a_bad_month_is_an_html_400(shared_client: httpx.Client, month: str, words: str) -> None:
    response = shared_client.get(f"/months/{month}")
    assert response.status_code == 400
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert Outline(response.text).h1 == ["Not a month"]
    assert words in response.text
