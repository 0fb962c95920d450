"""The four states of a check or a run, which of them fail, and the run's exit status."""

from __future__ import annotations

from typing import TYPE_CHECKING

from semaine.exit_status import ExitStatus

if TYPE_CHECKING:
    from collections.abc import Iterable

    from semaine.records.history import CheckState

FAILING: frozenset[CheckState] = frozenset({"degraded", "down"})
"""States that count towards an incident (error: the check could not run, counts for neither)."""
SEVERITY: dict[CheckState, int] = {"up": 0, "error": 1, "degraded": 2, "down": 3}
"""How bad a state is: a failure outranks a check that could not run."""
SYMBOL: dict[CheckState, str] = {"up": "🟢", "degraded": "🟠", "down": "🔴", "error": "⚪"}


def worst(states: Iterable[CheckState]) -> CheckState:
    """Return the worst of `states` (up when there are none)."""
    return max(states, key=SEVERITY.__getitem__, default="up")


def exit_status(state: CheckState, problems: Iterable[str] = ()) -> ExitStatus:
    """0 up, 1 down or degraded, 3 a check could not run or an alert could not be delivered."""
    if state in FAILING:
        return ExitStatus.FAILED
    if state == "error" or any(True for _ in problems):
        return ExitStatus.INCONCLUSIVE
    return ExitStatus.DONE
