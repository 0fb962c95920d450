"""What every stand-in and proxy of the tests shares: a threaded HTTP server on loopback.

`LoopbackServer` starts a ThreadingHTTPServer on a free 127.0.0.1 port when entered as
a context manager and stops it on exit, first releasing the requests it holds (stalls,
delays), and passes each request of its `METHODS` to the subclass's `handle`. Helpers
read a request's body, send an answer (ignoring a client that gave up waiting), play a
scripted answer's delay or stall, and list how a JSON document breaks a schema.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any, ClassVar, Self

import jsonschema  # type: ignore[import-untyped]  # no stubs in the dev group (types-jsonschema)

from semaine.executors.local.ports import LOOPBACK

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping
    from types import TracebackType

# A short poll keeps shutdown() from waiting out serve_forever's default 0.5 s.
_POLL_SECONDS = 0.02


@dataclass(frozen=True)
class Scripted:
    """One scripted answer: a status with headers and body, a delay, or a stall.

    `body` None: after the delay, answer as if nothing were scripted.
    """

    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    body: Any = None
    delay_seconds: float = 0.0
    stall: bool = False


class LoopbackServer:
    """Base of the stand-ins: serve `METHODS` on a free loopback port inside a `with` block."""

    METHODS: ClassVar[tuple[str, ...]] = ("GET",)
    PROTOCOL_VERSION: ClassVar[str] = "HTTP/1.0"
    _server: ThreadingHTTPServer | None = None
    _stopping: threading.Event

    @property
    def url(self) -> str:
        """The base URL (http://127.0.0.1:PORT)."""
        assert self._server is not None, "start the stand-in first"
        return f"http://{LOOPBACK}:{self._server.server_address[1]}"

    def handle(self, handler: BaseHTTPRequestHandler, method: str) -> None:
        """Answer one request (each stand-in says how)."""
        raise NotImplementedError

    def closed(self) -> None:
        """Release what the stand-in holds besides the server (nothing by default)."""

    def pause(self, seconds: float) -> bool:
        """Wait `seconds`, cut short when the server stops; tell whether it is stopping."""
        return self._stopping.wait(seconds)

    def hold_until_stopped(self) -> None:
        """Hold the request unanswered until the server stops, as a hung service would."""
        self._stopping.wait()

    def left_unanswered(self, scripted: Scripted) -> bool:
        """Play `scripted`'s delay or stall; tell whether the request goes unanswered."""
        if scripted.stall or self.pause(scripted.delay_seconds):
            self.hold_until_stopped()
            return True
        return False

    def __enter__(self) -> Self:
        self._stopping = threading.Event()
        self._server = ThreadingHTTPServer((LOOPBACK, 0), _handler_class(self))
        thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": _POLL_SECONDS}, daemon=True
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
        self._stopping.set()
        self._server.shutdown()
        self._server.server_close()
        self.closed()


def _handler_class(owner: LoopbackServer) -> type[BaseHTTPRequestHandler]:
    """Return a request handler passing `owner.METHODS` to `owner.handle`, logging nothing."""

    class Handler(BaseHTTPRequestHandler):
        protocol_version = owner.PROTOCOL_VERSION

        def log_message(self, *_args: Any) -> None:
            return

    def dispatch(method: str) -> Callable[[BaseHTTPRequestHandler], None]:
        return lambda handler: owner.handle(handler, method)

    for method in owner.METHODS:
        setattr(Handler, f"do_{method}", dispatch(method))
    return Handler


def read_body(handler: BaseHTTPRequestHandler) -> bytes:
    """Return the request's body (as long as its Content-Length says)."""
    length = int(handler.headers.get("Content-Length") or 0)
    return handler.rfile.read(length) if length else b""


def send(
    handler: BaseHTTPRequestHandler, status: int, body: bytes, headers: Mapping[str, str]
) -> None:
    """Answer `status` with `headers` and `body` (no body to a HEAD)."""
    try:
        handler.send_response(status)
        for name, value in headers.items():
            handler.send_header(name, value)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        if handler.command != "HEAD":
            handler.wfile.write(body)
    except OSError:
        return  # the client gave up waiting (a timeout test): nobody reads the answer


def schema_problems(
    instance: object, schema: Mapping[str, Any], root: Mapping[str, Any]
) -> list[str]:
    """Return how `instance` breaks `schema`, its `$ref`s resolved in `root` (Draft 4)."""
    validator = jsonschema.Draft4Validator({**root, **schema})
    return [
        f"{'/'.join(map(str, error.absolute_path)) or '(root)'}: {error.message:.200}"
        for error in validator.iter_errors(instance)
    ]
