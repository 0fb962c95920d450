"""Phase timings for the reports."""

from __future__ import annotations

import time
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from app.db.datamigration.progress import ProgressSink


class Phases:
    """Time named phases and announce them to the progress sink."""

    def __init__(
        self, progress: ProgressSink, clock: Callable[[], float] = time.perf_counter
    ) -> None:
        self.seconds: dict[str, float] = {}
        self._progress = progress
        self._clock = clock

    @contextmanager
    def phase(self, name: str) -> Iterator[None]:
        """Time the block under `name` (added up when a phase repeats)."""
        self._progress.phase(name)
        began = self._clock()
        try:
            yield
        finally:
            self.seconds[name] = self.seconds.get(name, 0.0) + self._clock() - began
