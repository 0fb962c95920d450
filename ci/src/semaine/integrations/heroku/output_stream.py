"""Read a release phase's output from its `output_stream_url`, best-effort.

Heroku answers 404 until the stream is registered (its CLI retries 404 30 times, 1 s
apart), drops connections, and lets a reader resume with `Range: bytes=N-` (text/plain).
The release's status is the truth: this reader never decides anything, it only shows
what the release command printed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from semaine.integrations.errors import IntegrationError, ServiceTimeoutError
from semaine.integrations.http import Endpoint, ServiceClient

if TYPE_CHECKING:
    from collections.abc import Callable
    from threading import Event

_HTTP_NOT_FOUND = 404
_STREAMED = frozenset({200, 206})


@dataclass(frozen=True)
class StreamPatience:
    """How long to wait for a stream to be registered, and for its next bytes."""

    missing_attempts: int = 30
    missing_wait_seconds: float = 1.0
    read_seconds: float = 5.0


@dataclass(frozen=True)
class StreamOutcome:
    """What the reader saw: the lines shown, and how the stream ended."""

    lines: int
    detail: str


def read_release_output(
    url: str,
    show: Callable[[str], None],
    stop: Event,
    patience: StreamPatience = StreamPatience(),
) -> StreamOutcome:
    """Show each line of the stream at `url` until it ends, gives up, or `stop` is set."""
    parts = urlsplit(url)
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    endpoint = Endpoint(
        service="Heroku's release output stream",
        base_url=f"{parts.scheme}://{parts.netloc}",
        setting="the release's output_stream_url",
        read_seconds=patience.read_seconds,
    )
    reader = _Reader(show)
    misses = 0
    with ServiceClient(endpoint, headers={"Accept": "text/plain"}) as client:
        while not stop.is_set():
            headers = {"Range": f"bytes={reader.received}-"} if reader.received else None
            try:
                with client.stream("GET", path, headers=headers) as response:
                    if response.status_code == _HTTP_NOT_FOUND:
                        misses += 1
                        if misses >= patience.missing_attempts:
                            return reader.outcome(f"not registered after {misses} attempts")
                        stop.wait(patience.missing_wait_seconds)
                        continue
                    if response.status_code not in _STREAMED:
                        return reader.outcome(f"HTTP {response.status_code}")
                    for chunk in response.iter_bytes():
                        reader.take(chunk)
                    return reader.outcome("ended")
            except ServiceTimeoutError:
                continue  # nothing new for a while: resume from the bytes received
            except IntegrationError as error:
                return reader.outcome(error.what_happened)
    return reader.outcome("stopped")


class _Reader:
    """Split bytes into lines; count what was received, to resume from there."""

    def __init__(self, show: Callable[[str], None]) -> None:
        self._show = show
        self._pending = b""
        self.received = 0
        self.lines = 0

    def take(self, chunk: bytes) -> None:
        self.received += len(chunk)
        *complete, self._pending = (self._pending + chunk).split(b"\n")
        for line in complete:
            self._line(line)

    def outcome(self, detail: str) -> StreamOutcome:
        if self._pending:
            self._line(self._pending)
            self._pending = b""
        return StreamOutcome(self.lines, detail)

    def _line(self, raw: bytes) -> None:
        self.lines += 1
        self._show(raw.decode("utf-8", errors="replace").rstrip("\r"))
