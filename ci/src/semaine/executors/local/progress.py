"""Live progress: one line per stage with its state and elapsed time."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from collections.abc import Sequence

    from semaine.pipeline.verdict import StageResult

WAITING = "waiting"
RUNNING = "running"


class Progress:
    """Stage states shown as plain lines (logs, CI) or redrawn in place (a terminal)."""

    def __init__(self, stages: Sequence[str], stream: TextIO, *, redraw: bool) -> None:
        self._stream = stream
        self._redraw = redraw
        self._started_at = time.monotonic()
        self._states = dict.fromkeys(stages, WAITING)
        self._since: dict[str, float] = {}
        self._durations: dict[str, float] = {}
        self._drawn_lines = 0
        self._width = max((len(name) for name in stages), default=0)

    def started(self, stage: str) -> None:
        """Record that `stage` started running."""
        self._states[stage] = RUNNING
        self._since[stage] = time.monotonic()
        self._changed(stage)

    def finished(self, result: StageResult) -> None:
        """Record the outcome of a stage."""
        cached = " (cached)" if result.cached_from else ""
        self._states[result.stage] = f"{result.outcome.value}{cached}"
        self._durations[result.stage] = result.duration_s
        self._changed(result.stage)

    def tick(self) -> None:
        """Refresh the elapsed times (only when redrawing in place)."""
        if self._redraw:
            self._draw()

    def _changed(self, stage: str) -> None:
        if self._redraw:
            self._draw()
        else:
            elapsed = time.monotonic() - self._started_at
            self._stream.write(f"[{elapsed:6.1f} s] {self._line(stage)}\n")
            self._stream.flush()

    def _line(self, stage: str) -> str:
        state = self._states[stage]
        if state == RUNNING:
            seconds = time.monotonic() - self._since[stage]
        else:
            seconds = self._durations.get(stage, 0.0)
        shown = f"{seconds:6.1f} s" if state != WAITING else ""
        return f"{stage:<{self._width}}  {state:<21} {shown}".rstrip()

    def _draw(self) -> None:
        # Move the cursor back to the first stage line and rewrite every line.
        if self._drawn_lines:
            self._stream.write(f"\x1b[{self._drawn_lines}F")
        for stage in self._states:
            self._stream.write(f"\x1b[2K{self._line(stage)}\n")
        self._drawn_lines = len(self._states)
        self._stream.flush()
