"""Each step of a delivery, timed, for the record and the figures."""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, Literal

from semaine.records import StepTiming

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator


class Steps:
    """Time steps on `clock`; a step that raises is recorded as failed."""

    def __init__(self, clock: Callable[[], float]) -> None:
        self._clock = clock
        self.timings: list[StepTiming] = []

    @contextlib.contextmanager
    def step(self, name: str) -> Iterator[None]:
        """Time the block as step `name`."""
        start = self._clock()
        outcome: Literal["succeeded", "failed"] = "failed"
        try:
            yield
            outcome = "succeeded"
        finally:
            self.add(name, self._clock() - start, outcome)

    def add(
        self, name: str, seconds: float, outcome: Literal["succeeded", "failed", "skipped"]
    ) -> None:
        """Record a step timed elsewhere (or skipped: 0 s)."""
        self.timings.append(StepTiming(name=name, seconds=max(0.0, seconds), outcome=outcome))

    def fail_last(self) -> None:
        """Mark the last step failed: it ended, but what it found is a failure."""
        if self.timings:
            last = self.timings[-1]
            self.timings[-1] = last.model_copy(update={"outcome": "failed"})
