"""When stages run, for both executors: what measures time runs alone, after everything else.

A stage whose gates measure time (`Stage.timed`) must not share the machine or the
engine with another stage while it measures: it would measure their load, not its own.
So every stage starts at once (each executor bounds how many, and the CPU-heavy ones);
a timed stage prepares beside the others (its services, and its steps before the first
one that `measures`: a seed, the schema checks), then waits for its `Turns.turn`: every
other stage done or prepared, and the timed stages declared before it done measuring.
Its measuring steps then have the machine to themselves. A `Timeline` records when each
stage was busy, to tell which stages overlapped (for a timed stage: its measuring steps).
"""

from __future__ import annotations

import time
from contextlib import AsyncExitStack, asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import anyio

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Callable, Coroutine, Iterator, Sequence

    from semaine.pipeline.stage import Stage

Span = tuple[float, float]


@dataclass
class Timeline:
    """When each stage was busy, on one clock, to tell which stages overlapped."""

    clock: Callable[[], float] = time.monotonic
    spans: dict[str, list[Span]] = field(default_factory=dict)
    """Each stage's busy spans: one, or for a timed stage its preparation and its measure."""
    measured: dict[str, Span] = field(default_factory=dict)
    """The span of each timed stage's measuring steps."""
    _open: dict[str, float] = field(default_factory=dict)

    @contextmanager
    def running(self, stage: str) -> Iterator[None]:
        """Record `stage` busy around the block that runs it."""
        self._open[stage] = self.clock()
        try:
            yield
        finally:
            self._close(stage)

    @contextmanager
    def idle(self, stage: str) -> Iterator[None]:
        """Record `stage` not busy around the block (it waits for its turn)."""
        self._close(stage)
        try:
            yield
        finally:
            self._open[stage] = self.clock()

    @contextmanager
    def measuring(self, stage: str) -> Iterator[None]:
        """Record the span of `stage`'s measuring steps around the block."""
        began = self.clock()
        try:
            yield
        finally:
            self.measured[stage] = (began, self.clock())

    def _close(self, stage: str) -> None:
        began = self._open.pop(stage, None)
        if began is not None:
            self.spans.setdefault(stage, []).append((began, self.clock()))

    def overlapping(self, stage: str) -> tuple[str, ...]:
        """Return the stages busy while `stage` was (while it measured, for a timed one)."""
        mine = [self.measured[stage]] if stage in self.measured else self.spans.get(stage, [])
        return tuple(
            sorted(
                other
                for other, spans in self.spans.items()
                if other != stage and any(_overlap(a, b) for a in mine for b in spans)
            )
        )


def _overlap(first: Span, second: Span) -> bool:
    return first[0] < second[1] and second[0] < first[1]


class Turns:
    """The timed stages' turns to measure: alone, one by one, in the order declared."""

    def __init__(self, stages: Sequence[Stage], timeline: Timeline) -> None:
        self._timeline = timeline
        self._unprepared = {stage.name for stage in stages}
        self._all_prepared = anyio.Event()
        timed = [stage.name for stage in stages if stage.timed]
        self._measured = {name: anyio.Event() for name in timed}
        self._before: dict[str, str | None] = dict(zip(timed, [None, *timed], strict=False))
        self._waited: dict[str, float] = {}
        if not self._unprepared:
            self._all_prepared.set()

    def _prepared(self, stage: str) -> None:
        self._unprepared.discard(stage)
        if not self._unprepared:
            self._all_prepared.set()

    def ended(self, stage: str) -> None:
        """Record that `stage` is over, whether or not it measured (a failed seed stops it)."""
        self._prepared(stage)
        if stage in self._measured:
            self._measured[stage].set()

    @asynccontextmanager
    async def turn(self, stage: str, holding: AsyncExitStack | None = None) -> AsyncIterator[None]:
        """Wait until `stage` may measure alone; it holds the machine until it has ended.

        `holding` (its executor's limiter slots) is given back first: a stage that waits
        holds nothing the others need to finish.
        """
        if holding is not None:
            await holding.aclose()
        began = self._timeline.clock()
        with self._timeline.idle(stage):
            self._prepared(stage)
            await self._all_prepared.wait()
            before = self._before.get(stage)
            if before is not None:
                await self._measured[before].wait()
        self._waited[stage] = self._timeline.clock() - began
        # The next timed stage starts when this one has ended (`ended`), not when its last
        # step has: stopping its services and judging its reports come in between.
        with self._timeline.measuring(stage):
            yield

    def waited(self, stage: str) -> float:
        """Return how long `stage` waited for its turn (0 if it never measured)."""
        return self._waited.get(stage, 0.0)


async def run_in_turns(
    stages: Sequence[Stage], turns: Turns, run: Callable[[Stage], Coroutine[Any, Any, None]]
) -> None:
    """Start every stage at once, the untimed ones first (they queue first for the limits)."""
    async with anyio.create_task_group() as group:
        for stage in sorted(stages, key=lambda stage: stage.timed):
            group.start_soon(_run_then_end, stage, turns, run)


async def _run_then_end(
    stage: Stage, turns: Turns, run: Callable[[Stage], Coroutine[Any, Any, None]]
) -> None:
    try:
        await run(stage)
    finally:
        turns.ended(stage.name)
