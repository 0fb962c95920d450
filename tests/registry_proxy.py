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
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any, Self

import httpx

from semaine.executors.local.ports import LOOPBACK

if TYPE_CHECKING:
    from types import TracebackType

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
class RegistryProxy:
    """Forward to `upstream`; answer scripted statuses; record (method, path) of each request."""

    upstream: str
    keep_upstream_host: bool = False
    """Send the upstream's own Host: its upload Locations then name another host."""
    scripted: list[Scripted] = field(default_factory=list)
    requests: list[tuple[str, str]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._server: ThreadingHTTPServer | None = None
        self._lock = threading.Lock()

    @property
    def url(self) -> str:
        """The proxy's base URL."""
        assert self._server is not None, "start the proxy first"
        return f"http://{LOOPBACK}:{self._server.server_address[1]}"

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

    def __enter__(self) -> Self:
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                proxy.forward(self)

            def do_HEAD(self) -> None:
                proxy.forward(self)

            def do_POST(self) -> None:
                proxy.forward(self)

            def do_PUT(self) -> None:
                proxy.forward(self)

            def do_PATCH(self) -> None:
                proxy.forward(self)

            def log_message(self, *_args: Any) -> None:
                return

        self._server = ThreadingHTTPServer((LOOPBACK, 0), Handler)
        thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        assert self._server is not None
        self._server.shutdown()
        self._server.server_close()

    def forward(self, handler: BaseHTTPRequestHandler) -> None:
        """Answer one request: scripted, else the upstream's answer."""
        method = handler.command
        length = int(handler.headers.get("Content-Length") or 0)
        body = handler.rfile.read(length) if length else b""
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
            self._send(handler, script.status, script.headers, b'{"errors":[]}')
            return
        headers = {k: v for k, v in handler.headers.items() if k.lower() not in _HOP_BY_HOP}
        if not self.keep_upstream_host:
            headers["Host"] = handler.headers.get("Host", "")
        with httpx.Client(base_url=self.upstream, timeout=30.0) as client:
            answer = client.request(method, handler.path, headers=headers, content=body)
        kept = {k: v for k, v in answer.headers.items() if k.lower() not in _HOP_BY_HOP}
        kept.pop("content-length", None)
        self._send(handler, answer.status_code, kept, answer.content)

    @staticmethod
    def _send(
        handler: BaseHTTPRequestHandler, status: int, headers: dict[str, str], body: bytes
    ) -> None:
        handler.send_response(status)
        for name, value in headers.items():
            handler.send_header(name, value)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        if handler.command != "HEAD":
            handler.wfile.write(body)
