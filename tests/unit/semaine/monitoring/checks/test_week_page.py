"""Reading a week page: its navigation links by rel, its days in order."""

from __future__ import annotations

from datetime import date

from semaine.monitoring.checks.week_page import label_of, read_week_page

PAGE = """<!doctype html><html><body>
<nav aria-label="Weeks"><ul class="week-nav">
<li><a href="/weeks/2026-W47" rel="prev">Previous week</a></li>
<li><a href="/weeks/2026-W48" aria-current="page">Today</a></li>
<li><a href="/weeks/2026-W49" rel="next">Next week</a></li>
</ul></nav>
<main><a href="/weeks/2020-W01">not navigation</a><ol class="days">
<li><h2><time datetime="2026-11-23">Monday</time></h2></li>
<li><h2><time datetime="2026-11-24">Tuesday</time></h2></li>
<li><h2><time datetime="not-a-date">?</time></h2></li>
</ol></main></body></html>"""


def test_links_are_read_from_the_navigation_only() -> None:
    page = read_week_page(PAGE)
    assert page.links == {
        "prev": "/weeks/2026-W47",
        "today": "/weeks/2026-W48",
        "next": "/weeks/2026-W49",
    }


def test_days_are_read_in_order_and_unreadable_ones_kept_apart() -> None:
    page = read_week_page(PAGE)
    assert page.days == [date(2026, 11, 23), date(2026, 11, 24)]
    assert page.unreadable_days == ["not-a-date"]


def test_a_week_label_comes_from_a_week_path_only() -> None:
    assert label_of("/weeks/2026-W48") == "2026-W48"
    assert label_of("/docs") == ""
