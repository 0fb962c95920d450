"""The database check: its load, its slow statements, its size, its revision, its data.

Connections in use against max_connections, the longest running query, statements slower
on average than the limit (pg_stat_statements), the size of `entries`, the schema revision
and the data invariant: no row whose week does not start on a Monday.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

import anyio.to_thread

from app.db.errors import DatabaseUnreachableError, DriverError
from semaine.environments.monitoring import DatabaseLimits
from semaine.monitoring.checks.base import LimitedCheck, Measured
from semaine.monitoring.checks.database_figures import read_figures
from semaine.records.history import CheckResult, CheckState

if TYPE_CHECKING:
    from semaine.monitoring.checks.base import Target
    from semaine.monitoring.checks.database_figures import DatabaseFigures

NAME = "database"
QUERY_CANCELED = "57014"
"""SQLSTATE of a statement cancelled by statement_timeout: the database is too slow to answer."""


@dataclass(frozen=True)
class DatabaseCheck(LimitedCheck[DatabaseLimits]):
    """Down when unreachable, too slow or a row breaks the week rule; degraded on a limit."""

    name: str = NAME

    def skipped_because(self, target: Target) -> str | None:
        """Skipped without a database URL (--database-url)."""
        return None if target.database_url else "no database URL given (--database-url)"

    async def measure(self, target: Target) -> Measured:
        """Read the figures in a worker thread (abandoned, not waited for, past the deadline)."""
        assert target.database_url is not None  # noqa: S101 - skipped_because said so
        url = target.database_url
        began = time.perf_counter()
        try:
            figures = await anyio.to_thread.run_sync(
                read_figures, url, self.limits, abandon_on_cancel=True
            )
        except DriverError as error:
            state, detail = _failure(error)
            return Measured(_result(state, began, detail, {}))
        measured = self._figures(figures)
        state, detail = self._judge(figures, measured)
        facts = {"schema_revision": figures.revision} if figures.revision else {}
        return Measured(_result(state, began, detail, measured, self._thresholds()), facts)

    def _figures(self, figures: DatabaseFigures) -> dict[str, float]:
        activity = figures.activity
        measured = {
            "connections": activity["connections"],
            "max_connections": activity["max_connections"],
            "connections_percent": round(
                100 * activity["connections"] / max(activity["max_connections"], 1), 1
            ),
            "longest_query_seconds": round(activity["longest_query_seconds"], 1),
            "entries_bytes": activity["entries_bytes"],
            "entries_rows": figures.rules.total_rows,
            "not_monday_rows": figures.rules.not_monday,
        }
        if figures.statements is not None:
            measured["slow_statements"] = figures.statements["slow_statements"]
            measured["slowest_mean_ms"] = round(figures.statements["slowest_mean_ms"], 1)
        return measured

    def _thresholds(self) -> dict[str, float]:
        return {
            "connections_percent": self.limits.connections_percent,
            "longest_query_seconds": self.limits.longest_query_seconds,
            "slowest_mean_ms": self.limits.slow_statement_ms,
            "not_monday_rows": 0,
        }

    def _judge(
        self, figures: DatabaseFigures, measured: dict[str, float]
    ) -> tuple[CheckState, str]:
        broken = figures.rules.problems()
        if broken:
            return "down", "the data breaks the week rule: " + "; ".join(broken)
        over = []
        if measured["connections_percent"] > self.limits.connections_percent:
            over.append(
                f"{measured['connections']:.0f} of {measured['max_connections']:.0f} connections"
                f" in use, over {self.limits.connections_percent:g} %"
            )
        # Judged unrounded: a query 0.04 s old is over a 0.01 s limit though it shows as 0.0.
        longest = figures.activity["longest_query_seconds"]
        if longest > self.limits.longest_query_seconds:
            over.append(f"a query has run {longest:.1f} s")
        if measured.get("slow_statements", 0) > 0:
            over.append(
                f"{measured['slow_statements']:.0f} statements average over"
                f" {self.limits.slow_statement_ms:g} ms"
                f" (slowest {measured['slowest_mean_ms']:.0f} ms)"
            )
        summary = (
            f"schema {figures.revision or 'without revision'},"
            f" {figures.rules.total_rows} entries, {measured['connections']:.0f}"
            f"/{measured['max_connections']:.0f} connections"
        )
        if figures.statements_note:
            summary += f"; {figures.statements_note}"
        if over:
            return "degraded", "; ".join(over) + f" ({summary})"
        return "up", summary


def _failure(error: DriverError) -> tuple[CheckState, str]:
    if isinstance(error, DatabaseUnreachableError):
        return "down", error.what_happened
    if error.sqlstate == QUERY_CANCELED:
        return "down", f"a reading took longer than statement_timeout: {error.what_happened}"
    return "error", f"the database could not be read: {error.what_happened}"


def _result(
    state: CheckState,
    began: float,
    detail: str,
    figures: dict[str, float],
    thresholds: dict[str, float] | None = None,
) -> CheckResult:
    return CheckResult(
        state=state,
        seconds=time.perf_counter() - began,
        detail=" ".join(detail.split()),
        figures=figures,
        thresholds=thresholds or {},
    )
