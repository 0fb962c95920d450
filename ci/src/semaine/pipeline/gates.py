"""Gate outcomes and results: the vocabulary every stage verdict is written in."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable


class Outcome(enum.Enum):
    """What a gate, a stage or a whole run concluded."""

    PASS = "pass"  # noqa: S105 - an outcome name, not a password
    FAIL = "fail"
    INCONCLUSIVE = "inconclusive"
    SKIPPED = "skipped"

    @property
    def severity(self) -> int:
        """Rank used to pick the worst outcome (higher is worse)."""
        return _SEVERITY[self]


# SKIPPED ranks below PASS: a skipped stage never spoils a verdict, it is only shown.
_SEVERITY = {
    Outcome.SKIPPED: 0,
    Outcome.PASS: 1,
    Outcome.INCONCLUSIVE: 2,
    Outcome.FAIL: 3,
}


def worst(outcomes: Iterable[Outcome], *, default: Outcome = Outcome.PASS) -> Outcome:
    """Return the worst of `outcomes` (`default` when there are none)."""
    return max(outcomes, key=lambda outcome: outcome.severity, default=default)


class Comparison(enum.Enum):
    """How a measured value is compared with its threshold."""

    AT_MOST = "<="
    BELOW = "<"
    AT_LEAST = ">="

    def holds(self, measured: float, threshold: float) -> bool:
        """Tell whether `measured` satisfies this comparison against `threshold`."""
        if self is Comparison.AT_MOST:
            return measured <= threshold
        if self is Comparison.BELOW:
            return measured < threshold
        return measured >= threshold


@dataclass(frozen=True)
class GateResult:
    """One gate's outcome, with what was measured and what it was held to."""

    gate: str
    outcome: Outcome
    measured: float | None = None
    threshold: float | None = None
    comparison: Comparison | None = None
    unit: str = ""
    detail: str = ""
    findings: tuple[str, ...] = ()
    """The first offending items, one a line (`path:line rule message`); `detail` counts all."""
    notes: tuple[str, ...] = ()
    """What else the gate measured, one a line, shown whatever its outcome (e.g. Lighthouse's
    score of each page and preset, and the titles of the audits that lost points)."""

    @property
    def requirement(self) -> str:
        """The threshold as text, e.g. `< 500 ms` (empty when the gate has none)."""
        if self.threshold is None or self.comparison is None:
            return ""
        return requirement_text(self.comparison, self.threshold, self.unit)

    @property
    def measurement(self) -> str:
        """The measured value as text (empty when nothing could be measured)."""
        if self.measured is None:
            return ""
        return f"{figure(self.measured)} {self.unit}".rstrip()


def requirement_text(comparison: Comparison, threshold: float, unit: str = "") -> str:
    """Return a threshold as the gate table shows it, e.g. `< 500 ms`."""
    return f"{comparison.value} {figure(threshold)} {unit}".rstrip()


def figure(value: float) -> str:
    """Return a number as the gate table shows it: whole, 1 decimal, or 3 digits below 1."""
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.3g}" if abs(value) < 1 else f"{value:.1f}"


def check(  # noqa: PLR0913 - a gate result is these six facts; unit and detail are keywords
    gate: str,
    measured: float,
    comparison: Comparison,
    threshold: float,
    *,
    unit: str = "",
    detail: str = "",
) -> GateResult:
    """Compare `measured` with `threshold` and return a pass or fail result."""
    outcome = Outcome.PASS if comparison.holds(measured, threshold) else Outcome.FAIL
    return GateResult(gate, outcome, measured, threshold, comparison, unit, detail)


def failed(gate: str, detail: str) -> GateResult:
    """Return a failed gate that has no measurement (e.g. a command that failed)."""
    return GateResult(gate, Outcome.FAIL, detail=detail)


def passed(gate: str, detail: str = "") -> GateResult:
    """Return a passed gate that has no measurement (e.g. a command that succeeded)."""
    return GateResult(gate, Outcome.PASS, detail=detail)


def inconclusive(gate: str, detail: str) -> GateResult:
    """Return a gate that could not be checked, with the reason."""
    return GateResult(gate, Outcome.INCONCLUSIVE, detail=detail)
