"""A loopback proxy in front of the served app that adds scripted faults: slow, failing, hung.

The monitor is pointed at `proxy.url` (its `--url`); every request goes on to the real
app unless a fault matches its path first. Faults never depend on wall time for their
outcome: a delay is a floor (the answer comes no sooner), a hang holds the request until
the proxy stops, a failure answers at once.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import httpx

from tests.standins.server import LoopbackServer, send

if TYPE_CHECKING:
    from http.server import BaseHTTPRequestHandler

FORWARDED_HEADERS = ("content-type", "location", "cache-control", "retry-after")


@dataclass
class Fault:
    """What to do to requests whose path starts with `prefix`; `times` None: every one."""

    prefix: str
    status: int | None = None
    delay_seconds: float = 0.0
    hang: bool = False
    times: int | None = None
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class FaultProxy(LoopbackServer):
    """Start as a context manager; add faults with `fail`, `slow`, `hang`; `clear` them."""

    upstream: str
    faults: list[Fault] = field(default_factory=list)
    paths: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._client = httpx.Client(base_url=self.upstream, timeout=30)

    def fail(
        self,
        prefix: str,
        status: int = 503,
        times: int | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        """Answer requests under `prefix` with `status` (the next `times`, or all)."""
        self._add(Fault(prefix, status=status, times=times, headers=headers or {}))

    def slow(self, prefix: str, seconds: float) -> None:
        """Delay every answer under `prefix` by at least `seconds`."""
        self._add(Fault(prefix, delay_seconds=seconds))

    def hang(self, prefix: str) -> None:
        """Hold requests under `prefix` unanswered until the proxy stops."""
        self._add(Fault(prefix, hang=True))

    def clear(self) -> None:
        """Remove every fault: requests reach the app again."""
        with self._lock:
            self.faults.clear()

    def _add(self, fault: Fault) -> None:
        with self._lock:
            self.faults.append(fault)

    def _fault_for(self, path: str) -> Fault | None:
        with self._lock:
            self.paths.append(path)
            for fault in self.faults:
                if not path.startswith(fault.prefix):
                    continue
                if fault.times is not None:
                    if fault.times == 0:
                        continue
                    fault.times -= 1
                return fault
        return None

    def closed(self) -> None:
        """Close the client to the app."""
        self._client.close()

    def handle(self, request: BaseHTTPRequestHandler, method: str) -> None:  # noqa: ARG002 - GET only
        """Apply the first matching fault, else forward the request to the app."""
        fault = self._fault_for(request.path)
        if fault is not None and fault.hang:
            self.hold_until_stopped()
            return
        if fault is not None and fault.delay_seconds:
            self.pause(fault.delay_seconds)
        if fault is not None and fault.status is not None:
            send(request, fault.status, b'{"detail":"injected fault"}', fault.headers)
            return
        answer = self._client.get(request.path)
        headers = {
            name: answer.headers[name] for name in FORWARDED_HEADERS if name in answer.headers
        }
        send(request, answer.status_code, answer.content, headers)
