"""Deployments, promotions and rollbacks: the success rate against 98 %, rollbacks against 10 min.

Success rate: deploys and promotions that succeeded, over those attempted (refused ones
changed nothing and are left out; rolled back ones failed). Rollback time: each rollback
record's wall time; one that failed or took longer than the limit misses it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import datetime

    from semaine.records import DeploymentRecord

SUCCESS_TARGET_PERCENT = 98.0
ROLLBACK_LIMIT = timedelta(minutes=10)
RELEASES = frozenset({"deploy", "promote"})


@dataclass(frozen=True)
class SuccessRate:
    """Deploys and promotions attempted in a window, and how many succeeded."""

    succeeded: int
    attempted: int

    @property
    def percent(self) -> float | None:
        """The succeeded share, in percent; None when nothing was attempted."""
        return self.succeeded / self.attempted * 100 if self.attempted else None

    def meets(self, target_percent: float = SUCCESS_TARGET_PERCENT) -> bool | None:
        """Tell whether the rate reaches the target; None when nothing was attempted."""
        return None if self.percent is None else self.percent >= target_percent


def in_window(
    records: Sequence[DeploymentRecord], start: datetime, end: datetime
) -> list[DeploymentRecord]:
    """Return the records started in [start, end], latest first."""
    chosen = [record for record in records if start <= record.started_at <= end]
    return sorted(chosen, key=lambda record: record.started_at, reverse=True)


def success_rate(records: Sequence[DeploymentRecord]) -> SuccessRate:
    """Return the success rate of the deploys and promotions among `records`."""
    attempted = [r for r in records if r.kind in RELEASES and r.outcome != "refused"]
    return SuccessRate(sum(r.outcome == "succeeded" for r in attempted), len(attempted))


@dataclass(frozen=True)
class RollbackTime:
    """One rollback, how long it took, and whether it restored service within the limit."""

    record: DeploymentRecord

    @property
    def seconds(self) -> float:
        """Wall time of the rollback."""
        return self.record.seconds

    @property
    def within_limit(self) -> bool:
        """Tell whether it succeeded in less than the limit."""
        return self.record.outcome == "succeeded" and self.seconds < ROLLBACK_LIMIT.total_seconds()


def rollback_times(records: Sequence[DeploymentRecord]) -> list[RollbackTime]:
    """Return the rollbacks among `records` that were attempted (refused ones changed nothing)."""
    return [RollbackTime(r) for r in records if r.kind == "rollback" and r.outcome != "refused"]
