"""A local stand-in for GitHub's issues REST API, checked against GitHub's OpenAPI subset.

Every request is matched to one of the four operations of `github-issues.stripped.json`
(GitHub's `issues-subset.json`, stripped by scripts/strip_schema.py): its query
parameters and JSON body are validated, and so is every response body against the
operation's declared response (an undeclared error status against `basic-error`). A
request or response that breaks the document is answered 500 and recorded in
`violations`. The headers GitHub asks for are checked too (Accept, API version,
User-Agent, `Authorization: Bearer`).

In memory: issues with numbers, labels, state, state_reason and comments, with pull
requests mixed in the list as GitHub's issues API returns them. Scripted: primary and
secondary rate limits, any status `times` times, delayed answers and stalls.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http import HTTPStatus
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar
from urllib.parse import parse_qs, urlsplit

from tests.standins.github_issues import Issues, basic_error
from tests.standins.openapi import OpenApiDocument
from tests.standins.server import LoopbackServer, Scripted, read_body, send

if TYPE_CHECKING:
    from http.server import BaseHTTPRequestHandler

    from tests.standins.openapi import Operation

SCHEMA_PATH = Path(__file__).with_name("github-issues.stripped.json")
ACCEPT = "application/vnd.github+json"
API_VERSION = "2022-11-28"
RATE_LIMIT = 1000
PRIMARY = "API rate limit exceeded for installation ID 1."
SECONDARY = "You have exceeded a secondary rate limit. Please wait a few minutes."


@dataclass(frozen=True)
class Request:
    """A request the stand-in received (headers kept for assertions)."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: object


@dataclass
class GitHubStandIn(LoopbackServer):
    """The stand-in server: start it as a context manager, script it, read what it got."""

    repo: str = "octo-org/semaine"
    token: str = "ghs_standinToken0123456789abcdef"  # noqa: S105 - the stand-in's own
    push_access: bool = True
    """Without push access GitHub silently drops the labels of a new issue."""
    issues_enabled: bool = True
    requests: list[Request] = field(default_factory=list)
    violations: list[str] = field(default_factory=list)
    script: list[Scripted] = field(default_factory=list)

    METHODS: ClassVar[tuple[str, ...]] = ("GET", "POST", "PATCH")

    def __post_init__(self) -> None:
        self.document = OpenApiDocument(SCHEMA_PATH)
        self.issues = Issues(self.repo)
        self._lock = threading.Lock()

    def fail(
        self,
        status: int,
        times: int = 1,
        headers: dict[str, str] | None = None,
        body: dict[str, Any] | None = None,
    ) -> None:
        """Answer the next `times` requests with `status` (GitHub's error body by default)."""
        said = body or basic_error(HTTPStatus(status).phrase)
        self.script.extend([Scripted(status, headers or {}, said)] * times)

    def rate_limit(self, times: int = 1, *, status: int = 403, reset_in: int = 60) -> None:
        """Answer as GitHub's primary rate limit: remaining 0, reset `reset_in` s from now."""
        reset = str(int(time.time()) + reset_in)
        headers = {"x-ratelimit-remaining": "0", "x-ratelimit-reset": reset}
        self.fail(status, times, headers, basic_error(PRIMARY))

    def secondary_rate_limit(
        self, times: int = 1, *, status: int = 403, retry_after: int | None = None
    ) -> None:
        """Answer as GitHub's secondary rate limit (with `retry-after` when given)."""
        headers = {} if retry_after is None else {"retry-after": str(retry_after)}
        self.fail(status, times, headers, basic_error(SECONDARY))

    def delay(self, seconds: float, times: int = 1) -> None:
        """Answer the next `times` requests normally, but only after `seconds`."""
        self.script.extend([Scripted(delay_seconds=seconds)] * times)

    def stall(self, times: int = 1) -> None:
        """Hold the next `times` requests unanswered until the stand-in stops."""
        self.script.extend([Scripted(stall=True)] * times)

    def handle(self, handler: BaseHTTPRequestHandler, method: str) -> None:
        """Validate the request, answer from the script or the issues, validate the answer."""
        raw = read_body(handler)
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = "<not JSON>"
        parts = urlsplit(handler.path)
        query = {name: values[-1] for name, values in parse_qs(parts.query).items()}
        headers = dict(handler.headers.items())
        self.requests.append(Request(method, parts.path, query, headers, body))
        operation = self.document.operation_for(method, parts.path)
        if operation is None:
            return self._violation(handler, f"{method} {parts.path} is not in the document")
        problems = self._request_problems(operation, query, headers, body)
        if problems:
            self.violations.extend(problems)
            return self._answer(handler, operation, 422, basic_error("Validation Failed"))
        status, answer, extra = self._decide(operation, parts.path, query, headers, body)
        if status == 0:
            return None
        return self._answer(handler, operation, status, answer, extra)

    def _decide(
        self,
        operation: Operation,
        path: str,
        query: dict[str, str],
        headers: dict[str, str],
        body: object,
    ) -> tuple[int, object, dict[str, str]]:
        """Return the status, body and extra headers to answer with (status 0: none, held)."""
        if headers.get("Authorization") != f"Bearer {self.token}":
            return 401, basic_error("Bad credentials"), {}
        owner, repo = path.split("/")[2:4]
        if f"{owner}/{repo}" != self.repo:
            return 404, basic_error("Not Found"), {}
        with self._lock:
            scripted = self.script.pop(0) if self.script else None
        if scripted is not None and self.left_unanswered(scripted):
            return 0, None, {}
        if scripted is not None and scripted.body is not None:
            return scripted.status, scripted.body, scripted.headers
        if not self.issues_enabled:
            return 410, basic_error("Issues are disabled for this repo"), {}
        with self._lock:
            return self.issues.serve(
                operation, path, query, body, base_url=self.url, push_access=self.push_access
            )

    def _request_problems(
        self, operation: Operation, query: dict[str, str], headers: dict[str, str], body: object
    ) -> list[str]:
        problems = []
        if headers.get("Accept") != ACCEPT:
            problems.append(f"Accept is {headers.get('Accept')!r}, not {ACCEPT}")
        if headers.get("X-GitHub-Api-Version") != API_VERSION:
            problems.append(f"X-GitHub-Api-Version is {headers.get('X-GitHub-Api-Version')!r}")
        if not headers.get("User-Agent"):
            problems.append("no User-Agent (GitHub requires one)")
        for name, value in query.items():
            parameter = operation.query.get(name)
            if parameter is None:
                problems.append(f"query parameter {name!r} is not in the document")
                continue
            typed: object = int(value) if parameter["schema"].get("type") == "integer" else value
            problems += [
                f"query {name}: {p}" for p in self.document.problems(typed, parameter["schema"])
            ]
        if operation.body is None:
            return problems
        if body is None:
            return [*problems, "request body: missing"] if operation.body_required else problems
        return problems + [
            f"request body: {p}" for p in self.document.problems(body, operation.body)
        ]

    def _violation(self, handler: BaseHTTPRequestHandler, message: str) -> None:
        self.violations.append(message)
        self._send(handler, 500, basic_error("standin violation"), {})

    def _answer(
        self,
        handler: BaseHTTPRequestHandler,
        operation: Operation,
        status: int,
        body: object,
        headers: dict[str, str] | None = None,
    ) -> None:
        schema = operation.responses.get(str(status))
        if schema is None and status >= HTTPStatus.BAD_REQUEST:
            schema = {"$ref": "#/components/schemas/basic-error"}
        problems = self.document.problems(body, schema) if schema else []
        if problems:
            return self._violation(handler, f"response {status}: {problems[0]}")
        return self._send(handler, status, body, headers or {})

    def _send(
        self, handler: BaseHTTPRequestHandler, status: int, body: object, headers: dict[str, str]
    ) -> None:
        rate = {
            "x-ratelimit-limit": str(RATE_LIMIT),
            "x-ratelimit-remaining": str(max(0, RATE_LIMIT - len(self.requests))),
            "x-ratelimit-reset": str(int(time.time()) + 3600),
            "x-ratelimit-resource": "core",
        }
        content_type = {"Content-Type": "application/json; charset=utf-8"}
        send(handler, status, json.dumps(body).encode(), content_type | rate | headers)
