"""HTTPS only, behind Heroku's router: plain-HTTP requests redirected, HSTS on the rest.

Heroku's router ends TLS and tells the app how the client came in with
`X-Forwarded-Proto`. When the HTTPS_ONLY setting is on (the Heroku apps set it):

- a request that came over plain HTTP gets `308 Permanent Redirect` to the same URL over
  https (308 keeps the method and body; nothing of the app runs for it);
- every other response carries `Strict-Transport-Security`, so browsers use https
  only, for a year, on this host and its subdomains. Never on the plain-HTTP redirect:
  RFC 6797 7.2 forbids it over an insecure transport (browsers ignore it there anyway).

Off (local runs, tests), requests pass untouched and no header is added.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from starlette.types import ASGIApp, Message, Receive, Scope, Send

HSTS = b"max-age=31536000; includeSubDomains"
"""One year, subdomains included (no `preload`: that is a commitment to the browser lists)."""
_HOST = re.compile(rb"^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$")
"""A Host header fit for a Location: a name or address and a port, nothing else."""


class HttpsOnly:
    """Redirect plain-HTTP requests to https and send HSTS, when `enabled`."""

    def __init__(self, app: ASGIApp, *, enabled: bool) -> None:
        self.app = app
        self.enabled = enabled

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Answer a plain-HTTP request with a redirect; add HSTS to the others' answers."""
        if not self.enabled or scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        # The router appends its own value: the last one is how the client came in.
        proto = headers.get(b"x-forwarded-proto", b"").split(b",")[-1].strip().lower()
        if proto == b"http":
            await _redirect(scope, headers.get(b"host", b""), send)
            return
        if proto != b"https":  # not through the router (a local probe): nothing to say
            await self.app(scope, receive, send)
            return

        async def with_hsts(message: Message) -> None:
            if message["type"] == "http.response.start":
                kept = [
                    (k, v)
                    for k, v in message.get("headers", [])
                    if k.lower() != b"strict-transport-security"
                ]
                message = {**message, "headers": [*kept, (b"strict-transport-security", HSTS)]}
            await send(message)

        await self.app(scope, receive, with_hsts)


async def _redirect(scope: Scope, host: bytes, send: Send) -> None:
    """Send 308 to the https URL of the request (400 if the Host cannot make one)."""
    if not _HOST.match(host):
        await _answer(send, 400, [], b"Bad Request: send a valid Host header, over https.\n")
        return
    target = scope.get("raw_path") or scope["path"].encode()
    query = scope.get("query_string", b"")
    location = b"https://" + host + target + (b"?" + query if query else b"")
    await _answer(send, 308, [(b"location", location)], b"")


async def _answer(send: Send, status: int, headers: list[tuple[bytes, bytes]], body: bytes) -> None:
    """Send a whole response: status, headers, body."""
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                *headers,
                (b"content-type", b"text/plain; charset=utf-8"),
                (b"content-length", str(len(body)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
