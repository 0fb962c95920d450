"""What a check is: a name, a deadline, one measurement; and what a measurement gives back."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Generic, Protocol, TypeVar

if TYPE_CHECKING:
    from datetime import date, datetime

    from semaine.environments import Monitoring
    from semaine.monitoring.probe import Prober
    from semaine.records.history import CheckResult


@dataclass(frozen=True)
class Target:
    """What the checks look at: the service's URL (through a prober), its database, its day."""

    base_url: str
    prober: Prober
    monitoring: Monitoring
    now: datetime
    """When the run started (aware, UTC)."""
    today: date
    """The service's today (its time zone), which the API and pages are asked about."""
    database_url: str | None = None


@dataclass(frozen=True)
class Measured:
    """One attempt's result, and the facts it learnt (release, schema revision)."""

    result: CheckResult
    facts: dict[str, str] = field(default_factory=dict)


class Check(Protocol):
    """One check: measured once per attempt, cut at `timeout_seconds` (a hang is a failure)."""

    @property
    def name(self) -> str:
        """The check's name: its key in reports, history and labels."""

    @property
    def timeout_seconds(self) -> float:
        """The longest one attempt may take."""

    def skipped_because(self, target: Target) -> str | None:
        """Say why this check cannot apply to `target` (then it is not run), else None."""

    async def measure(self, target: Target) -> Measured:
        """Measure once; return the state with its figures against thresholds."""


class Limits(Protocol):
    """A check's limits: at least the longest one attempt may take."""

    @property
    def timeout_seconds(self) -> float:
        """The longest one attempt may take."""


LimitsT = TypeVar("LimitsT", bound=Limits)


@dataclass(frozen=True)
class LimitedCheck(Generic[LimitsT]):
    """Base of a check set by its limits: their deadline is its own; it applies to any target."""

    limits: LimitsT

    @property
    def timeout_seconds(self) -> float:
        """The deadline its limits set."""
        return self.limits.timeout_seconds

    def skipped_because(self, _target: Target) -> str | None:
        """Return None: the check applies to every target (a check that may not says why)."""
        return None
