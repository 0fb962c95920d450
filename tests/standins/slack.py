"""A local stand-in for a Slack incoming webhook, answering as the webhook contract says.

The contract (`shared/slack/README.md`, section 2): `POST` a JSON body to the webhook's
secret URL; the answer is plain text: 200 `ok`, 400 `invalid_payload`, 403, 404
`no_service` (unknown or deleted webhook), 410, 429 with `Retry-After`, 5xx. Every
payload is recorded and checked: JSON, a `text` within 4,000 characters, `blocks` a
list of at most 50 typed blocks whose texts stay within Block Kit's limits, no
`channel` (a webhook's channel is fixed). A payload that breaks them is answered 400
`invalid_blocks` and recorded in `violations`, so a test fails loudly.

Scripted answers: a status `times` times (with headers such as Retry-After), an answer
delayed by some seconds, or a stall held until the stand-in stops.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from tests.standins.server import LoopbackServer, Scripted, read_body, send

if TYPE_CHECKING:
    from http.server import BaseHTTPRequestHandler

WEBHOOK_PATH = "/services/T0STANDIN/B0STANDIN/standin-webhook-secret-0123456789"
BODIES = {
    200: "ok",
    400: "invalid_payload",
    403: "invalid_token",
    404: "no_service",
    410: "channel_is_archived",
    429: "rate_limited",
    500: "rollup_error",
}
TEXT_LIMIT = 4000
BLOCKS_MAX = 50
_TEXT_LIMITS = {"header": 150, "section": 3000}
_FIELDS_MAX, _FIELD_LIMIT, _ELEMENTS_MAX, _ELEMENT_LIMIT = 10, 2000, 10, 3000


@dataclass(frozen=True)
class Delivery:
    """A request the stand-in received: its path, headers and decoded JSON payload."""

    path: str
    headers: dict[str, str]
    payload: Any


def payload_problems(payload: object) -> list[str]:
    """Return how a payload breaks the webhook contract (empty when it keeps it)."""
    if not isinstance(payload, dict):
        return ["the payload is not a JSON object"]
    problems = []
    if "channel" in payload:
        problems.append("a webhook payload must not name a channel")
    text = payload.get("text")
    if not isinstance(text, str) or not text.strip():
        problems.append("no text (the notification's fallback)")
    elif len(text) > TEXT_LIMIT:
        problems.append(f"text is {len(text)} characters, over {TEXT_LIMIT}")
    blocks = payload.get("blocks")
    if not isinstance(blocks, list) or not blocks:
        return [*problems, "no blocks"]
    if len(blocks) > BLOCKS_MAX:
        problems.append(f"{len(blocks)} blocks, over {BLOCKS_MAX}")
    for index, block in enumerate(blocks):
        problems.extend(f"block {index}: {problem}" for problem in _block_problems(block))
    return problems


def _block_problems(block: object) -> list[str]:
    if not isinstance(block, dict) or not isinstance(block.get("type"), str):
        return ["not an object with a type"]
    kind = block["type"]
    problems = []
    if kind in _TEXT_LIMITS:
        problems += _text_problems(block.get("text"), _TEXT_LIMITS[kind], required=kind == "header")
    if kind == "header" and (block.get("text") or {}).get("type") != "plain_text":
        problems.append("a header's text must be plain_text")
    if kind == "section":
        problems += _section_problems(block)
    if kind == "context":
        elements = block.get("elements") or []
        if not elements or len(elements) > _ELEMENTS_MAX:
            problems.append(f"{len(elements)} context elements, not 1 to {_ELEMENTS_MAX}")
        for element in elements:
            problems += _text_problems(element, _ELEMENT_LIMIT, required=True)
    return problems


def _section_problems(block: dict[str, Any]) -> list[str]:
    problems = []
    items = block.get("fields") or []
    if "text" not in block and not items:
        problems.append("a section needs text or fields")
    if len(items) > _FIELDS_MAX:
        problems.append(f"{len(items)} fields, over {_FIELDS_MAX}")
    for item in items:
        problems += _text_problems(item, _FIELD_LIMIT, required=True)
    return problems


def _text_problems(text: object, limit: int, *, required: bool) -> list[str]:
    if text is None and not required:
        return []
    if not isinstance(text, dict) or text.get("type") not in {"plain_text", "mrkdwn"}:
        return [f"not a text object: {text!r:.60}"]
    value = text.get("text")
    if not isinstance(value, str) or not value:
        return ["an empty text object"]
    return [f"text of {len(value)} characters, over {limit}"] if len(value) > limit else []


@dataclass
class SlackStandIn(LoopbackServer):
    """The stand-in server: start it as a context manager, script it, read what it got."""

    requests: list[Delivery] = field(default_factory=list)
    violations: list[str] = field(default_factory=list)
    script: list[Scripted] = field(default_factory=list)

    METHODS: ClassVar[tuple[str, ...]] = ("POST",)

    @property
    def base_url(self) -> str:
        """The server's base URL (http://127.0.0.1:PORT)."""
        return super().url

    @property
    def url(self) -> str:
        """The webhook URL (a secret in production: tests check it never leaks)."""
        return self.base_url + WEBHOOK_PATH

    @property
    def payloads(self) -> list[Any]:
        """The JSON payloads received, in order."""
        return [request.payload for request in self.requests]

    def fail(
        self, status: int, times: int = 1, body: str = "", headers: dict[str, str] | None = None
    ) -> None:
        """Answer the next `times` posts with `status` (and Slack's body for it)."""
        said = body or BODIES.get(status, "service_unavailable")
        self.script.extend([Scripted(status, headers or {}, said)] * times)

    def delay(self, seconds: float, times: int = 1) -> None:
        """Answer the next `times` posts `ok`, but only after `seconds`."""
        self.script.extend([Scripted(body="ok", delay_seconds=seconds)] * times)

    def stall(self, times: int = 1) -> None:
        """Hold the next `times` posts unanswered until the stand-in stops."""
        self.script.extend([Scripted(body="ok", stall=True)] * times)

    def handle(self, handler: BaseHTTPRequestHandler, method: str) -> None:  # noqa: ARG002, PLR0911 - POST only; one return per kind of answer
        """Record the post, check it against the contract, answer from the script."""
        raw = read_body(handler)
        try:
            payload = json.loads(raw)
        except ValueError:
            payload = None
        self.requests.append(Delivery(handler.path, dict(handler.headers.items()), payload))
        if handler.path != WEBHOOK_PATH:
            return self._answer(handler, 404, "no_service")
        if not handler.headers.get("Content-Type", "").startswith("application/json"):
            self.violations.append(f"Content-Type is {handler.headers.get('Content-Type')!r}")
            return self._answer(handler, 400, "invalid_payload")
        if payload is None:
            self.violations.append("the body is not JSON")
            return self._answer(handler, 400, "invalid_payload")
        problems = payload_problems(payload)
        if problems:
            self.violations.extend(problems)
            return self._answer(handler, 400, "invalid_blocks")
        if not self.script:
            return self._answer(handler, 200, "ok")
        scripted = self.script.pop(0)
        if self.left_unanswered(scripted):
            return None
        return self._answer(handler, scripted.status, scripted.body, scripted.headers)

    def _answer(
        self,
        handler: BaseHTTPRequestHandler,
        status: int,
        body: str,
        headers: dict[str, str] | None = None,
    ) -> None:
        content_type = {"Content-Type": "text/plain; charset=utf-8"}
        send(handler, status, body.encode(), content_type | (headers or {}))
