"""Calendar navigation against the served week pages: links, Monday first, seven days, time."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from semaine.environments.monitoring import CalendarNavigation
from semaine.monitoring.checks.calendar import CalendarCheck

if TYPE_CHECKING:
    from collections.abc import Callable

    from semaine.monitoring.checks.base import Measured
    from tests.fault_proxy import FaultProxy

pytestmark = pytest.mark.integration


def test_the_week_pages_and_their_links_are_up(
    proxy: FaultProxy, measure: Callable[..., Measured]
) -> None:
    result = measure(CalendarCheck(CalendarNavigation(degraded_after_ms=60_000)), proxy.url).result
    assert result.state == "up", result.detail
    assert set(result.figures) == {"week_ms", "prev_ms", "next_ms", "today_ms", "slowest_page_ms"}
    assert proxy.paths[0] == "/"
    assert len(proxy.paths) == 5, "the redirect, the week, then previous, next and today"


def test_a_slow_page_makes_the_calendar_degraded(
    proxy: FaultProxy, measure: Callable[..., Measured]
) -> None:
    proxy.slow("/weeks/", 0.15)
    result = measure(CalendarCheck(CalendarNavigation(degraded_after_ms=100)), proxy.url).result
    assert result.state == "degraded"
    assert result.figures["slowest_page_ms"] >= 150


def test_a_broken_link_target_is_down(proxy: FaultProxy, measure: Callable[..., Measured]) -> None:
    proxy.fail("/weeks/", 500, times=None)
    result = measure(CalendarCheck(CalendarNavigation()), proxy.url).result
    assert result.state == "down"
    assert "answered 500, expected 200" in result.detail


def test_a_home_leading_elsewhere_than_a_week_is_down(
    proxy: FaultProxy, measure: Callable[..., Measured]
) -> None:
    # The home page sends the browser to the API docs: answered 200, but no week.
    proxy.fail("/", 307, times=1, headers={"location": "/docs"})
    result = measure(CalendarCheck(CalendarNavigation()), proxy.url).result
    assert result.state == "down"
    assert "ended at /docs, not a week page" in result.detail
