"""Live progress: each stage's state, elapsed time and detail while the pipeline runs.

On a terminal, a table redrawn in place (rich); in logs, in CI (`CI` set), with
`NO_COLOR` or a dumb terminal, one plain line each time a stage starts or ends. Both
show the same four facts per stage: name, state, elapsed time, detail.
"""

from __future__ import annotations

import os
import time
from typing import TYPE_CHECKING, Self

from rich.console import Console
from rich.live import Live
from rich.table import Table

from semaine.pipeline.gates import Outcome

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping, Sequence
    from types import TracebackType
    from typing import TextIO

    from semaine.pipeline.stage import Stage
    from semaine.pipeline.verdict import StageResult

WAITING = "waiting"
RUNNING = "running"
PREPARED = "prepared"
"""A timing stage ready to measure, waiting until it can do so alone."""
MEASURING = "measuring"

_UNDER_WAY = frozenset({RUNNING, PREPARED, MEASURING})

_STYLES = {
    WAITING: "dim",
    RUNNING: "cyan",
    PREPARED: "dim cyan",
    MEASURING: "bold cyan",
    Outcome.PASS.value: "green",
    Outcome.FAIL.value: "bold red",
    Outcome.INCONCLUSIVE.value: "yellow",
    Outcome.SKIPPED.value: "dim",
}


def live_wanted(stream: TextIO, environ: Mapping[str, str]) -> bool:
    """Tell whether to redraw a live table: a terminal, outside CI, colours welcome."""
    plain = "CI" in environ or "NO_COLOR" in environ or environ.get("TERM") == "dumb"
    return stream.isatty() and not plain


class Progress:
    """Stage states shown as a live table (a terminal) or as plain lines (logs, CI)."""

    def __init__(
        self,
        stages: Sequence[Stage],
        console: Console,
        *,
        live: bool,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._console = console
        self._clock = clock
        self._started_at = clock()
        self._descriptions = {stage.name: stage.description for stage in stages}
        self._states = dict.fromkeys(self._descriptions, WAITING)
        self._details = dict(self._descriptions)
        self._since: dict[str, float] = {}
        self._waiting_since: dict[str, float] = {}
        self._durations: dict[str, float] = {}
        self._width = max((len(name) for name in self._states), default=0)
        self._live = (
            # Refreshed on each change and each tick: no thread of its own, no stream swapped.
            Live(
                self,
                console=console,
                auto_refresh=False,
                redirect_stdout=False,
                redirect_stderr=False,
            )
            if live
            else None
        )

    @classmethod
    def for_stream(
        cls, stages: Sequence[Stage], stream: TextIO, environ: Mapping[str, str] = os.environ
    ) -> Self:
        """Return the progress for `stream`: live on a terminal, plain lines elsewhere."""
        live = live_wanted(stream, environ)
        return cls(stages, Console(file=stream, force_terminal=live or None), live=live)

    @property
    def live(self) -> bool:
        """Whether the stages are shown as a table redrawn in place."""
        return self._live is not None

    def start(self) -> None:
        """Start showing the table (live mode; plain lines need no start)."""
        if self._live is not None:
            self._live.start(refresh=True)

    def stop(self) -> None:
        """Draw the table a last time and leave it on screen (live mode)."""
        if self._live is not None:
            self._live.stop()

    def __enter__(self) -> Self:
        """Start showing the stages."""
        self.start()
        return self

    def __exit__(
        self,
        _type: type[BaseException] | None,
        _error: BaseException | None,
        _traceback: TracebackType | None,
    ) -> None:
        """Stop showing the stages."""
        self.stop()

    def started(self, stage: str) -> None:
        """Record that `stage` started running."""
        self._states[stage] = RUNNING
        self._since[stage] = self._clock()
        self._changed(stage)

    def prepared(self, stage: str) -> None:
        """Record that timing stage `stage` is ready and waits to measure alone."""
        self._states[stage] = PREPARED
        self._waiting_since[stage] = self._clock()
        self._details[stage] = "waits to measure alone, once the others are done"
        self._changed(stage)

    def measuring(self, stage: str) -> None:
        """Record that timing stage `stage` measures, alone."""
        self._states[stage] = MEASURING
        if stage in self._waiting_since:
            # Its elapsed time, as its duration, leaves out the wait for its turn.
            self._since[stage] += self._clock() - self._waiting_since.pop(stage)
        self._details[stage] = "measures alone"
        self._changed(stage)

    def finished(self, result: StageResult) -> None:
        """Record the outcome of a stage."""
        cached = " (cached)" if result.cached_from else ""
        self._states[result.stage] = f"{result.outcome.value}{cached}"
        self._durations[result.stage] = result.duration_s
        self._details[result.stage] = outcome_detail(result)
        self._changed(result.stage)

    def tick(self) -> None:
        """Refresh the elapsed times (live mode only)."""
        self._redraw()

    def row(self, stage: str) -> tuple[str, str, str, str]:
        """Return what is shown of `stage`: name, state, elapsed time, detail."""
        state = self._states[stage]
        if state in _UNDER_WAY:
            now = self._waiting_since.get(stage, self._clock())
            elapsed = f"{now - self._since[stage]:.1f} s"
        elif state == WAITING:
            elapsed = ""
        else:
            elapsed = f"{self._durations[stage]:.1f} s"
        return stage, state, elapsed, self._details[stage]

    def table(self) -> Table:
        """Return the live table: one row per stage."""
        done = sum(state not in {WAITING, *_UNDER_WAY} for state in self._states.values())
        elapsed = self._clock() - self._started_at
        table = Table(
            title=f"pipeline: {done} of {len(self._states)} stages done, {elapsed:.1f} s",
            title_justify="left",
        )
        table.add_column("stage")
        table.add_column("state")
        table.add_column("elapsed", justify="right")
        table.add_column("detail", overflow="fold")
        for stage in self._states:
            name, state, seconds, detail = self.row(stage)
            style = _STYLES.get(state.split(" ", 1)[0], "")
            table.add_row(name, f"[{style}]{state}[/]" if style else state, seconds, detail)
        return table

    def __rich__(self) -> Table:
        """Render as the live table (rich calls this at every refresh)."""
        return self.table()

    def _redraw(self) -> None:
        # Before start (results judged from the cache), the first frame shows them.
        if self._live is not None and self._live.is_started:
            self._live.refresh()

    def _changed(self, stage: str) -> None:
        if self._live is not None:
            self._redraw()
            return
        name, state, seconds, detail = self.row(stage)
        elapsed = self._clock() - self._started_at
        line = f"[{elapsed:6.1f} s] {name:<{self._width}}  {state:<13} {seconds:>7}  {detail}"
        self._console.file.write(line.rstrip() + "\n")
        self._console.file.flush()


def outcome_detail(result: StageResult) -> str:
    """Return what a finished stage's row says: why it did not pass, or how many gates passed."""
    if not result.gates:
        return result.reason
    troubled = [
        gate for gate in result.gates if gate.outcome in {Outcome.FAIL, Outcome.INCONCLUSIVE}
    ]
    if not troubled:
        passed = len(result.gates)
        return f"{passed} gate passed" if passed == 1 else f"{passed} gates passed"
    return "; ".join(f"{gate.gate}: {gate.outcome.value}" for gate in troubled)
