"""API performance: a few dozen requests spread over the US1.6 endpoints, their p95 and errors."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from app.weeks import Week
from semaine.environments.monitoring import ApiPerformance
from semaine.monitoring.checks.base import LimitedCheck, Measured
from semaine.records.history import CheckResult, CheckState

if TYPE_CHECKING:
    from collections.abc import Sequence

    from semaine.monitoring.checks.base import Target
    from semaine.monitoring.probe import Answer

NAME = "api"


def endpoint_paths(today: date, count: int) -> list[str]:
    """Return `count` paths in turn over the four US1.6 reads, a week further back each turn."""
    paths = []
    for index in range(count):
        day = today - timedelta(weeks=index // 4)
        paths.append(
            (
                "/api/v1/weeks/current",
                f"/api/v1/dates/{day.isoformat()}/week",
                f"/api/v1/months/{day:%Y-%m}",
                f"/api/v1/weeks/{Week.from_date(day).label}/entries",
            )[index % 4]
        )
    return paths


def p95(milliseconds: Sequence[float]) -> float:
    """Return the 95th percentile by the nearest-rank method (0 for no sample)."""
    if not milliseconds:
        return 0.0
    ordered = sorted(milliseconds)
    return ordered[math.ceil(0.95 * len(ordered)) - 1]


@dataclass(frozen=True)
class ApiCheck(LimitedCheck[ApiPerformance]):
    """Down when the error rate passes its limit; degraded when the p95 does."""

    name: str = NAME

    async def measure(self, target: Target) -> Measured:
        """Send the series one request after another (the latency one user sees)."""
        began = time.perf_counter()
        answers = [
            await target.prober.get(path, self.limits.request_timeout_seconds)
            for path in endpoint_paths(target.today, self.limits.requests)
        ]
        failed = [answer for answer in answers if answer.status != 200]  # noqa: PLR2004 - HTTP OK
        timed = [answer.milliseconds for answer in answers if answer.status is not None]
        figures = {
            "requests": len(answers),
            "errors": len(failed),
            "error_rate_percent": round(100 * len(failed) / len(answers), 2),
        }
        if timed:  # no answer at all has no latency: a 0 ms p95 would be a false figure
            figures["p95_ms"] = round(p95(timed), 1)
            figures["max_ms"] = round(max(timed), 1)
        thresholds = {
            "p95_ms": self.limits.p95_ms,
            "error_rate_percent": self.limits.error_rate_percent,
        }
        state, detail = self._judge(figures, failed)
        result = CheckResult(
            state=state,
            seconds=time.perf_counter() - began,
            detail=detail,
            figures=figures,
            thresholds=thresholds,
        )
        return Measured(result)

    def _judge(self, figures: dict[str, float], failed: list[Answer]) -> tuple[CheckState, str]:
        latency = f"p95 {figures['p95_ms']:.0f} ms" if "p95_ms" in figures else "none answered"
        summary = (
            f"{figures['requests']:.0f} requests: {latency},"
            f" {figures['errors']:.0f} errors ({figures['error_rate_percent']:g} %)"
        )
        if figures["error_rate_percent"] > self.limits.error_rate_percent:
            first = failed[0]
            why = first.failure or f"answered {first.status}"
            limit = f"over {self.limits.error_rate_percent:g} %"
            return "down", f"{summary}, {limit}; e.g. GET {first.path} {why}"
        if figures.get("p95_ms", 0.0) > self.limits.p95_ms:
            return "degraded", f"{summary}; p95 over {self.limits.p95_ms:g} ms"
        return "up", summary
