"""A forwarding proxy in front of the real test registry that can be told to misbehave.

The registry itself never answers 429 or 503 on demand: this proxy passes every
request through to it unchanged, except those a test scripted (a status N times for
requests whose method and path match), so the client's retry policy and error
messages are exercised against a real registry's answers everywhere else.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar

import httpx

from tests.standins.server import LoopbackServer, read_body, send

if TYPE_CHECKING:
    from http.server import BaseHTTPRequestHandler

_HOP_BY_HOP = frozenset(
    {"connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade", "host"}
)


@dataclass
class Scripted:
    """Answer `status` (with `headers`) to the next `times` requests matching method and path."""

    method: str
    path: re.Pattern[str]
    status: int
    times: int
    headers: dict[str, str] = field(default_factory=dict)
    after: int = 0
    """How many matching requests to pass through first."""


@dataclass
class RegistryProxy(LoopbackServer):
    """Forward to `upstream`; answer scripted statuses; record (method, path) of each request."""

    upstream: str
    keep_upstream_host: bool = False
    """Send the upstream's own Host: its upload Locations then name another host."""
    scripted: list[Scripted] = field(default_factory=list)
    requests: list[tuple[str, str]] = field(default_factory=list)

    METHODS: ClassVar[tuple[str, ...]] = ("GET", "HEAD", "POST", "PUT", "PATCH")
    PROTOCOL_VERSION: ClassVar[str] = "HTTP/1.1"

    def __post_init__(self) -> None:
        self._lock = threading.Lock()

    def fail(  # noqa: PLR0913 - keyword-only facts of one scripted failure
        self,
        method: str,
        path: str,
        status: int,
        *,
        times: int = 1,
        headers: dict[str, str] | None = None,
        after: int = 0,
    ) -> None:
        """Answer `status` to `times` `method` requests matching `path`, once `after` passed."""
        script = Scripted(method, re.compile(path), status, times, headers or {}, after)
        self.scripted.append(script)

    def handle(self, handler: BaseHTTPRequestHandler, method: str) -> None:
        """Answer one request: scripted, else the upstream's answer."""
        body = read_body(handler)
        with self._lock:
            self.requests.append((method, handler.path))
            script = next(
                (
                    s
                    for s in self.scripted
                    if s.times > 0 and s.method == method and s.path.search(handler.path)
                ),
                None,
            )
            if script is not None and script.after > 0:
                script.after -= 1
                script = None
            elif script is not None:
                script.times -= 1
        if script is not None:
            send(handler, script.status, b'{"errors":[]}', script.headers)
            return
        headers = {k: v for k, v in handler.headers.items() if k.lower() not in _HOP_BY_HOP}
        if not self.keep_upstream_host:
            headers["Host"] = handler.headers.get("Host", "")
        with httpx.Client(base_url=self.upstream, timeout=30.0) as client:
            answer = client.request(method, handler.path, headers=headers, content=body)
        kept = {k: v for k, v in answer.headers.items() if k.lower() not in _HOP_BY_HOP}
        kept.pop("content-length", None)
        send(handler, answer.status_code, answer.content, kept)
