"""A local stand-in for the Heroku Platform API, checked against Heroku's published schema.

Every request is matched to a link of the (stripped) schema by path (`links[].href`) and
method, its body validated against the link's `schema`; every response body is validated
against the link's `targetSchema` (the resource `definitions`). A request or response
that breaks the schema is answered with 500 and recorded in `violations`, so a test
fails loudly instead of passing against an API that does not exist.

Scripted behaviour per app: config vars, a status to answer (401/403/404/429/503 a given
number of times, with headers such as Retry-After), or a stall: the request is held
unanswered until the stand-in stops, as a hung API would. Reached like production: set
HEROKU_API_URL to `standin.url`.
"""

from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING, Any, Self
from urllib.parse import unquote

import jsonschema  # type: ignore[import-untyped]  # no stubs in the dev group (types-jsonschema)

if TYPE_CHECKING:
    from types import TracebackType

SCHEMA_PATH = Path(__file__).with_name("heroku-schema.stripped.json")
_TEMPLATE = re.compile(r"\{\([^)]*\)\}")
ACCEPT = "application/vnd.heroku+json; version=3"


@dataclass(frozen=True)
class Link:
    """One link of the schema: method, path pattern, request and response schemas."""

    method: str
    href: str
    pattern: re.Pattern[str]
    schema: dict[str, Any] | None
    target_schema: dict[str, Any] | None


@dataclass(frozen=True)
class Request:
    """A request the stand-in received (the Authorization header kept for assertions)."""

    method: str
    path: str
    headers: dict[str, str]
    body: object


def load_links(schema: dict[str, Any]) -> list[Link]:
    """Return every link of every resource definition."""
    links = []
    for resource in schema["definitions"].values():
        for link in resource.get("links", []):
            href = link["href"]
            parts = _TEMPLATE.split(href)
            regex = "[^/]+".join(re.escape(part) for part in parts)
            links.append(
                Link(
                    method=link["method"].upper(),
                    href=href,
                    pattern=re.compile(f"^{regex}$"),
                    schema=link.get("schema"),
                    target_schema=link.get("targetSchema"),
                )
            )
    return links


@dataclass
class HerokuStandIn:
    """The stand-in server: start it as a context manager, script it, read what it got."""

    api_key: str = "standin-api-key-0123456789"
    config_vars: dict[str, dict[str, str]] = field(default_factory=dict)
    failures: dict[str, list[tuple[int, dict[str, str]]]] = field(default_factory=dict)
    stalls: dict[str, int] = field(default_factory=dict)
    requests: list[Request] = field(default_factory=list)
    violations: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.schema: dict[str, Any] = json.loads(SCHEMA_PATH.read_text("utf-8"))
        self.links = load_links(self.schema)
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()

    @property
    def url(self) -> str:
        """The base URL (http://127.0.0.1:PORT)."""
        assert self._server is not None, "start the stand-in first"
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def fail(
        self, app: str, status: int, times: int = 1, headers: dict[str, str] | None = None
    ) -> None:
        """Answer the next `times` requests about `app` with `status`."""
        self.failures.setdefault(app, []).extend([(status, headers or {})] * times)

    def stall(self, app: str, times: int = 1) -> None:
        """Hold the next `times` requests about `app` unanswered until the stand-in stops."""
        self.stalls[app] = self.stalls.get(app, 0) + times

    def __enter__(self) -> Self:
        standin = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                standin.handle(self, "GET")

            def do_PATCH(self) -> None:
                standin.handle(self, "PATCH")

            def do_POST(self) -> None:
                standin.handle(self, "POST")

            def log_message(self, *_args: Any) -> None:
                return

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        # A short poll keeps shutdown() from waiting out serve_forever's default 0.5 s.
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        self._thread.start()
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

    def handle(self, handler: BaseHTTPRequestHandler, method: str) -> None:  # noqa: PLR0911 - one return per kind of answer
        """Validate the request, answer from the script, validate the answer."""
        length = int(handler.headers.get("Content-Length") or 0)
        raw = handler.rfile.read(length) if length else b""
        body = json.loads(raw) if raw else None
        request = Request(method, handler.path, dict(handler.headers.items()), body)
        self.requests.append(request)
        link = self._link_for(method, handler.path)
        if link is None:
            return self._violation(handler, f"{method} {handler.path} is not in the schema")
        if handler.headers.get("Accept") != ACCEPT:
            return self._violation(handler, f"Accept is {handler.headers.get('Accept')!r}")
        if link.schema is not None and not self._valid(body, link.schema, "request body"):
            return self._answer(handler, HTTPStatus.UNPROCESSABLE_ENTITY, {"id": "invalid_params"})
        if handler.headers.get("Authorization") != f"Bearer {self.api_key}":
            return self._answer(handler, HTTPStatus.UNAUTHORIZED, {"id": "unauthorized"})
        app = unquote(handler.path.split("/")[2])
        if self.stalls.get(app):
            self.stalls[app] -= 1
            self._stopping.wait()
            return None
        scripted = self.failures.get(app)
        if scripted:
            status, headers = scripted.pop(0)
            return self._answer(handler, status, {"id": HTTPStatus(status).phrase}, headers)
        if link.href.endswith("/config-vars") and method == "GET":
            if app not in self.config_vars:
                return self._answer(handler, HTTPStatus.NOT_FOUND, {"id": "not_found"})
            answer = self.config_vars[app]
            if link.target_schema is not None and not self._valid(
                answer, link.target_schema, "response"
            ):
                return self._violation(handler, "the scripted response breaks the schema")
            return self._answer(handler, HTTPStatus.OK, answer)
        return self._violation(handler, f"the stand-in does not script {method} {link.href}")

    def _link_for(self, method: str, path: str) -> Link | None:
        bare = path.split("?", 1)[0]
        return next((l for l in self.links if l.method == method and l.pattern.match(bare)), None)  # noqa: E741 - a one-letter loop name in a generator

    def _valid(self, instance: object, schema: dict[str, Any], what: str) -> bool:
        resolver_schema = {**self.schema, **schema}
        try:
            jsonschema.Draft4Validator(resolver_schema).validate(instance)
        except jsonschema.ValidationError as error:
            self.violations.append(f"{what}: {error.message}")
            return False
        return True

    def _violation(self, handler: BaseHTTPRequestHandler, message: str) -> None:
        self.violations.append(message)
        self._answer(handler, HTTPStatus.INTERNAL_SERVER_ERROR, {"id": "standin_violation"})

    def _answer(
        self,
        handler: BaseHTTPRequestHandler,
        status: int,
        body: object,
        headers: dict[str, str] | None = None,
    ) -> None:
        payload = json.dumps(body).encode()
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(payload)))
        for name, value in ({"RateLimit-Remaining": "4500"} | (headers or {})).items():
            handler.send_header(name, value)
        handler.end_headers()
        handler.wfile.write(payload)
