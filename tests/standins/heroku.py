"""A local stand-in for the Heroku Platform API, checked against Heroku's published schema.

Every request is matched to a link of the (stripped) schema by path (`links[].href`) and
method, its body validated against the link's `schema`; every response body is validated
against the link's `targetSchema` (the resource `definitions`). A request or response
that breaks the schema is answered with 500 and recorded in `violations`, so a test
fails loudly instead of passing against an API that does not exist. The one documented
exception: a formation update's `docker_image`, which only the
`application/vnd.heroku+json; version=3.docker-releases` variant accepts.

Scripted behaviour per app: config vars; releases (tests/standins/heroku_releases.py:
status transitions, a release phase told to fail or hang, rollbacks, expired and
ineligible releases, ranged lists, the output stream answering 404 before 200); a
status to answer (401/403/404/429/5xx a given number of times, with headers such as
Retry-After or RateLimit-Remaining); slow answers; a stall (held unanswered until the
stand-in stops, as a hung API would); a latency added to every answer (benchmarks).
Reached like production: set HEROKU_API_URL to `standin.url`.
"""

from __future__ import annotations

import json
import re
import threading
import time
from dataclasses import dataclass, field
from http import HTTPStatus
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import unquote

from tests.standins.heroku_releases import ReleaseBook, StandInRelease, formation_images
from tests.standins.server import LoopbackServer, read_body, schema_problems, send

if TYPE_CHECKING:
    from http.server import BaseHTTPRequestHandler

SCHEMA_PATH = Path(__file__).with_name("heroku-schema.stripped.json")
_TEMPLATE = re.compile(r"\{\([^)]*\)\}")
ACCEPT = "application/vnd.heroku+json; version=3"
DOCKER_RELEASES = "application/vnd.heroku+json; version=3.docker-releases"
_STREAM = re.compile(r"^/streams/([0-9a-f-]{36})$")


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
    at: float = field(default_factory=time.monotonic)
    """When it arrived (time.monotonic), for the benchmarks' critical path."""


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
class HerokuStandIn(LoopbackServer):
    """The stand-in server: start it as a context manager, script it, read what it got."""

    api_key: str = "standin-api-key-0123456789"
    config_vars: dict[str, dict[str, str]] = field(default_factory=dict)
    failures: dict[str, list[tuple[int, dict[str, str], str | None]]] = field(default_factory=dict)
    stalls: dict[str, int] = field(default_factory=dict)
    slow_answers: dict[str, list[float]] = field(default_factory=dict)
    latency_seconds: float = 0.0
    """Added to every API answer (Heroku's own is about 0.1-0.3 s)."""
    releases: ReleaseBook = field(default_factory=ReleaseBook)
    requests: list[Request] = field(default_factory=list)
    violations: list[str] = field(default_factory=list)

    METHODS: ClassVar[tuple[str, ...]] = ("GET", "PATCH", "POST")

    def __post_init__(self) -> None:
        self.schema: dict[str, Any] = json.loads(SCHEMA_PATH.read_text("utf-8"))
        self.links = load_links(self.schema)
        self._lock = threading.Lock()

    def fail(
        self,
        app: str,
        status: int,
        times: int = 1,
        headers: dict[str, str] | None = None,
        method: str | None = None,
    ) -> None:
        """Answer the next `times` requests about `app` (of `method`, if given) with `status`."""
        self.failures.setdefault(app, []).extend([(status, headers or {}, method)] * times)

    def stall(self, app: str, times: int = 1) -> None:
        """Hold the next `times` requests about `app` unanswered until the stand-in stops."""
        self.stalls[app] = self.stalls.get(app, 0) + times

    def slow(self, app: str, seconds: float, times: int = 1) -> None:
        """Answer the next `times` requests about `app` after `seconds`."""
        self.slow_answers.setdefault(app, []).extend([seconds] * times)

    def api_requests(self, method: str | None = None) -> list[Request]:
        """Return the Platform API requests received (the output stream's left out)."""
        return [
            r
            for r in self.requests
            if not r.path.startswith("/streams/") and (method is None or r.method == method)
        ]

    def handle(self, handler: BaseHTTPRequestHandler, method: str) -> None:  # noqa: PLR0911 - one return per kind of answer
        """Validate the request, answer from the script, validate the answer."""
        raw = read_body(handler)
        body = json.loads(raw) if raw else None
        request = Request(method, handler.path, dict(handler.headers.items()), body)
        self.requests.append(request)
        stream = _STREAM.match(handler.path)
        if stream and method == "GET":
            return self._stream(handler, stream.group(1))
        links = self._links_for(method, handler.path)
        if not links:
            return self._violation(handler, f"{method} {handler.path} is not in the schema")
        link = self._matching(links, body)
        expected = DOCKER_RELEASES if _is_docker_release(link, body) else ACCEPT
        if handler.headers.get("Accept") != expected:
            return self._violation(handler, f"Accept is {handler.headers.get('Accept')!r}")
        if link.schema is not None and not self._valid(_public(body), link.schema, "request body"):
            return self._answer(handler, HTTPStatus.UNPROCESSABLE_ENTITY, {"id": "invalid_params"})
        if handler.headers.get("Authorization") != f"Bearer {self.api_key}":
            return self._answer(handler, HTTPStatus.UNAUTHORIZED, {"id": "unauthorized"})
        app = unquote(handler.path.split("/")[2])
        if self.stalls.get(app):
            self.stalls[app] -= 1
            return self.hold_until_stopped()
        delay = self.latency_seconds + (
            self.slow_answers[app].pop(0) if self.slow_answers.get(app) else 0
        )
        if delay:
            self.pause(delay)
        scripted = self._scripted_failure(app, method)
        if scripted is not None:
            status, headers = scripted
            return self._answer(handler, status, {"id": HTTPStatus(status).phrase}, headers)
        with self._lock:
            status, answer, headers = self._scripted(app, method, link, handler, body)
        schema = link.target_schema
        if (
            status < HTTPStatus.BAD_REQUEST
            and schema
            and not self._valid(answer, schema, "response")
        ):
            return self._violation(handler, "the scripted response breaks the schema")
        return self._answer(handler, status, answer, headers)

    def _scripted_failure(self, app: str, method: str) -> tuple[int, dict[str, str]] | None:
        scripted = self.failures.get(app, [])
        for index, (status, headers, only) in enumerate(scripted):
            if only in {None, method}:
                del scripted[index]
                return status, headers
        return None

    def _scripted(  # noqa: PLR0911 - one return per resource scripted
        self, app: str, method: str, link: Link, handler: BaseHTTPRequestHandler, body: Any
    ) -> tuple[int, object, dict[str, str]]:
        href = link.href
        if href.endswith("/config-vars") and method == "GET":
            if app not in self.config_vars:
                return HTTPStatus.NOT_FOUND, {"id": "not_found"}, {}
            return HTTPStatus.OK, self.config_vars[app], {}
        if href.endswith("/releases") and method == "GET":
            listed, more = self.releases.listing(app, handler.headers.get("Range"))
            answer = [self._release_json(app, r) for r in listed]
            if more:
                return HTTPStatus.PARTIAL_CONTENT, answer, {"Next-Range": "version ]..; max=200"}
            return HTTPStatus.OK, answer, {}
        if "/releases/" in handler.path and method == "GET":
            found = self.releases.find(app, unquote(handler.path.rsplit("/", 1)[1]))
            if found is None:
                return HTTPStatus.NOT_FOUND, {"id": "not_found", "message": "no release"}, {}
            self.releases.advance(app, found)
            return HTTPStatus.OK, self._release_json(app, found), {}
        if href.endswith("/releases") and method == "POST":
            return self._roll_back(app, body)
        if href.endswith("/formation") and method == "PATCH":
            return self._release_formation(app, body)
        if href.endswith("/formation") and method == "GET":
            return HTTPStatus.OK, self._formation_now(app), {}
        return HTTPStatus.INTERNAL_SERVER_ERROR, {"id": "not_scripted"}, {}

    def _roll_back(self, app: str, body: dict[str, Any]) -> tuple[int, object, dict[str, str]]:
        target = self.releases.find(app, str(body["release"]))
        if target is None:
            return HTTPStatus.NOT_FOUND, {"id": "not_found", "message": "no such release"}, {}
        if target.status != "succeeded" or not target.eligible:
            message = f"v{target.version} is {target.status} and cannot be rolled back to"
            return HTTPStatus.UNPROCESSABLE_ENTITY, {"id": "invalid_params", "message": message}, {}
        created = self.releases.roll_back(app, target)
        return HTTPStatus.CREATED, self._release_json(app, created), {}

    def _release_formation(
        self, app: str, body: dict[str, Any]
    ) -> tuple[int, object, dict[str, str]]:
        images = formation_images(body["updates"])
        if isinstance(images, str):
            self.violations.append(images)
            return HTTPStatus.UNPROCESSABLE_ENTITY, {"id": "invalid_params", "message": images}, {}
        described = ", ".join(f"{p} ({i[7:14]})" for p, i in sorted(images.items()))
        self.releases.release(app, images, f"Deployed {described}")
        formation = [_formation_json(app, process) for process in sorted(images)]
        return HTTPStatus.OK, formation, {}

    def _formation_now(self, app: str) -> list[dict[str, Any]]:
        """Return the formation with each process type's image (docker-releases variant)."""
        current = self.releases.current(app)
        images = current.images if current is not None else {}
        return [
            {**_formation_json(app, process), "docker_image": image}
            for process, image in sorted(images.items())
        ] or [_formation_json(app, "web")]

    def _release_json(self, app: str, release: StandInRelease) -> dict[str, Any]:
        current = self.releases.current(app)
        return release.as_json(app, self.url, current=current is release)

    def _stream(self, handler: BaseHTTPRequestHandler, release_id: str) -> None:
        found = self.releases.find_by_id(release_id)
        if found is None or found[1].stream_missing > 0:
            if found is not None:
                found[1].stream_missing -= 1
            self._answer(
                handler,
                HTTPStatus.NOT_FOUND,
                {"id": "not_found", "message": "Channel is not registered"},
            )
            return
        release = found[1]
        handler.send_response(HTTPStatus.OK)
        handler.send_header("Content-Type", "text/plain; charset=utf-8")
        handler.end_headers()  # HTTP/1.0: the body ends when the connection closes
        handler.wfile.write(b"Running release command: python -m app db release\n")
        handler.wfile.flush()
        while release.status == "pending" and not self.pause(0.02):
            pass
        for line in self.releases.output_lines(release):
            handler.wfile.write(f"{line}\n".encode())

    def _links_for(self, method: str, path: str) -> list[Link]:
        bare = path.split("?", 1)[0]
        return [link for link in self.links if link.method == method and link.pattern.match(bare)]

    def _matching(self, links: list[Link], body: object) -> Link:
        """Return the link a body fits (POST /releases has two: create and rollback)."""
        for link in links:
            if link.schema is None or _fits(_public(body), link.schema, self.schema):
                return link
        return links[0]

    def _valid(self, instance: object, schema: dict[str, Any], what: str) -> bool:
        problems = schema_problems(instance, schema, self.schema)
        if problems:
            self.violations.append(f"{what}: {problems[0]}")
        return not problems

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
        always = {"Content-Type": "application/json", "RateLimit-Remaining": "4500"}
        send(handler, status, json.dumps(body).encode(), always | (headers or {}))


def _is_docker_release(link: Link, body: object) -> bool:
    """Whether the request reads the formation's images or updates them (the variant)."""
    if link.method == "GET" and link.href.endswith("/formation"):
        return True
    if not (link.method == "PATCH" and link.href.endswith("/formation")):
        return False
    updates = body.get("updates") if isinstance(body, dict) else None
    return isinstance(updates, list) and any(
        isinstance(u, dict) and "docker_image" in u for u in updates
    )


def _public(body: object) -> object:
    """Return the body as the public schema sees it: `docker_image` is checked on its own."""
    if isinstance(body, dict) and isinstance(body.get("updates"), list):
        updates = [
            {k: v for k, v in u.items() if k != "docker_image"} if isinstance(u, dict) else u
            for u in body["updates"]
        ]
        return {**body, "updates": updates}
    return body


def _fits(instance: object, schema: dict[str, Any], whole: dict[str, Any]) -> bool:
    return not schema_problems(instance, schema, whole)


def _formation_json(app: str, process: str) -> dict[str, Any]:
    return {
        "id": "01234567-89ab-cdef-0123-456789abcdef",
        "type": process,
        "quantity": 1 if process == "web" else 0,
        "size": "Basic",
        "command": "",
        "app": {"id": "01234567-89ab-cdef-0123-456789abcdef", "name": app},
        "dyno_size": {"id": "01234567-89ab-cdef-0123-456789abcdef", "name": "Basic"},
        "created_at": "2026-06-01T12:00:00Z",
        "updated_at": "2026-06-01T12:00:00Z",
    }
