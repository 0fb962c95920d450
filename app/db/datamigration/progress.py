"""Progress while a run works: rows done, rate, ETA."""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, TextIO

if TYPE_CHECKING:
    from collections.abc import Callable


@dataclass(frozen=True)
class Progress:
    """Where a phase stands: rows done, the share of the id range covered, time spent."""

    phase: str
    rows_done: int
    fraction: float
    elapsed: float

    @property
    def rate(self) -> float:
        """Rows per second so far."""
        return self.rows_done / self.elapsed if self.elapsed > 0 else 0.0

    @property
    def eta(self) -> float | None:
        """Seconds left, from the share of the id range covered so far."""
        if self.fraction <= 0 or self.elapsed <= 0:
            return None
        return self.elapsed * (1 - self.fraction) / self.fraction

    def line(self) -> str:
        """Return the one-line human form."""
        eta = "?" if self.eta is None else f"{self.eta:.1f} s"
        return (
            f"{self.phase}: {self.rows_done:,} rows, {self.fraction:.0%} of ids,"
            f" {self.rate:,.0f} rows/s, ETA {eta}"
        )


class ProgressSink(Protocol):
    """Receives phase changes and progress; must be cheap (called once per batch)."""

    def phase(self, name: str) -> None:
        """Announce that a phase starts (preflight, backup, batches, validation...)."""

    def update(self, progress: Progress) -> None:
        """Report progress after a batch committed."""


class SilentProgress:
    """Discard progress (tests, rehearsals)."""

    def phase(self, name: str) -> None:
        """Ignore."""

    def update(self, progress: Progress) -> None:
        """Ignore."""


class StreamProgress:
    """Write progress lines to a stream, at most one per `interval` seconds."""

    def __init__(
        self,
        stream: TextIO,
        interval: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._stream = stream
        self._interval = interval
        self._clock = clock
        self._last = float("-inf")

    def phase(self, name: str) -> None:
        """Announce the phase."""
        self._stream.write(f"-- {name}\n")
        self._stream.flush()

    def update(self, progress: Progress) -> None:
        """Write the line when the interval has passed or the phase is done."""
        now = self._clock()
        if now - self._last >= self._interval or progress.fraction >= 1:
            self._last = now
            self._stream.write(progress.line() + "\n")
            self._stream.flush()
