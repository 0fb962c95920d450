"""Calendar navigation: today's week page, then its previous, next and today links.

Each page must answer 200 and show seven days, Monday first, the days of the week its
address names (app.weeks is the rule); each link must lead to the neighbouring week.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from app.weeks import CalendarError, Week
from semaine.environments.monitoring import CalendarNavigation
from semaine.monitoring.checks.base import LimitedCheck, Measured
from semaine.monitoring.checks.week_page import label_of, read_week_page
from semaine.records.history import CheckResult

if TYPE_CHECKING:
    from semaine.monitoring.checks.base import Target

NAME = "calendar"
HOME = "/"


class NavigationError(Exception):
    """A page or link is not what the calendar promises; the message says which."""


@dataclass(frozen=True)
class CalendarCheck(LimitedCheck[CalendarNavigation]):
    """Down when a page or link is wrong; degraded when the slowest page passes its limit."""

    name: str = NAME

    async def measure(self, target: Target) -> Measured:
        """Open `/` (redirected to today's week), then follow previous, next and today."""
        began = time.perf_counter()
        timings: dict[str, float] = {}
        try:
            shown = await self._walk(target, timings)
        except NavigationError as error:
            state, detail = "down", str(error)
        else:
            slowest = max(timings.values())
            detail = f"{shown.label} and its neighbours: slowest page {slowest:.0f} ms"
            state = "up"
            if slowest > self.limits.degraded_after_ms:
                state, detail = "degraded", f"{detail}, over {self.limits.degraded_after_ms:g} ms"
        figures = {f"{page}_ms": round(ms, 1) for page, ms in timings.items()}
        if timings:
            figures["slowest_page_ms"] = round(max(timings.values()), 1)
        result = CheckResult.model_validate(
            {
                "state": state,
                "seconds": time.perf_counter() - began,
                "detail": detail,
                "figures": figures,
                "thresholds": {"slowest_page_ms": self.limits.degraded_after_ms},
            }
        )
        return Measured(result)

    async def _walk(self, target: Target, timings: dict[str, float]) -> Week:
        links, shown = await self._page(target, HOME, "week", timings)
        expected = {"prev": shown.previous(), "next": shown.next(), "today": shown}
        for rel, week in expected.items():
            path = links.get(rel)
            if path is None:
                message = f"the {shown.label} page has no {rel} link"
                raise NavigationError(message)
            if label_of(path) != week.label:
                message = f"the {shown.label} page's {rel} link leads to {path}, not {week.label}"
                raise NavigationError(message)
            await self._page(target, path, rel, timings)
        return shown

    async def _page(
        self, target: Target, path: str, role: str, timings: dict[str, float]
    ) -> tuple[dict[str, str], Week]:
        answer = await target.prober.get(
            path, self.limits.request_timeout_seconds, follow_redirects=True
        )
        if answer.status is None:
            message = f"GET {path}: {answer.failure}"
            raise NavigationError(message)
        timings[role] = answer.milliseconds
        if answer.status != 200:  # noqa: PLR2004 - HTTP OK
            message = f"GET {path} answered {answer.status}, expected 200"
            raise NavigationError(message)
        try:
            week = Week.parse(label_of(answer.final_path))
        except CalendarError:
            message = f"GET {path} ended at {answer.final_path}, not a week page"
            raise NavigationError(message) from None
        page = read_week_page(answer.body)
        if page.days != list(week.days):
            shown = ", ".join(day.isoformat() for day in page.days) or "no days"
            message = (
                f"the {week.label} page shows {shown}, not its 7 days from Monday {week.monday}"
            )
            raise NavigationError(message)
        return page.links, week
