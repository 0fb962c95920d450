"""States: the worst wins, and each maps to its exit status."""

from __future__ import annotations

import pytest

from semaine.exit_status import ExitStatus
from semaine.monitoring.states import exit_status, worst


def test_the_worst_state_wins() -> None:
    assert worst([]) == "up"
    assert worst(["up", "error"]) == "error"
    assert worst(["error", "degraded", "up"]) == "degraded"
    assert worst(["degraded", "down", "error"]) == "down"


@pytest.mark.parametrize(
    ("state", "problems", "expected"),
    [
        ("up", [], ExitStatus.DONE),
        ("degraded", [], ExitStatus.FAILED),
        ("down", ["Slack: not delivered"], ExitStatus.FAILED),
        ("error", [], ExitStatus.INCONCLUSIVE),
        ("up", ["GitHub: rate limited"], ExitStatus.INCONCLUSIVE),
    ],
)
def test_exit_status(state: str, problems: list[str], expected: ExitStatus) -> None:
    assert exit_status(state, problems) == expected  # type: ignore[arg-type]
