"""When stages run, for both executors: the timing stages alone and last.

A stage whose gates measure time (`Stage.timed`) must not share the machine or the
engine with another stage: it would measure their load, not its own. Every other stage
runs first, concurrently (each executor bounds the CPU-heavy ones); then each timing
stage runs by itself. A `Timeline` records what actually overlapped, for the summary.
"""

from __future__ import annotations

import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import anyio

if TYPE_CHECKING:
    from collections.abc import Callable, Coroutine, Iterator, Sequence

    from semaine.pipeline.stage import Stage


def phases(stages: Sequence[Stage]) -> tuple[tuple[Stage, ...], ...]:
    """Return the phases of a run: every untimed stage at once, then each timed one alone."""
    untimed = tuple(stage for stage in stages if not stage.timed)
    timed = tuple((stage,) for stage in stages if stage.timed)
    return ((untimed,) if untimed else ()) + timed


async def run_in_phases(
    stages: Sequence[Stage], run: Callable[[Stage], Coroutine[Any, Any, None]]
) -> None:
    """Call `run` on every stage, phase by phase: a phase starts when the last one ended."""
    for phase in phases(stages):
        async with anyio.create_task_group() as group:
            for stage in phase:
                group.start_soon(run, stage)


@dataclass
class Timeline:
    """When each stage ran, on one clock, to tell which stages overlapped."""

    clock: Callable[[], float] = time.monotonic
    spans: dict[str, tuple[float, float]] = field(default_factory=dict)

    @contextmanager
    def running(self, stage: str) -> Iterator[None]:
        """Record the span of `stage` around the block that runs it."""
        began = self.clock()
        try:
            yield
        finally:
            self.spans[stage] = (began, self.clock())

    def overlapping(self, stage: str) -> tuple[str, ...]:
        """Return the stages whose span overlapped that of `stage` (none if it did not run)."""
        if stage not in self.spans:
            return ()
        began, ended = self.spans[stage]
        return tuple(
            sorted(
                other
                for other, (start, end) in self.spans.items()
                if other != stage and start < ended and began < end
            )
        )
