"""ASGI middleware below the routes: HEAD answered as GET without its body."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from starlette.types import ASGIApp, Message, Receive, Scope, Send


class HeadAsGet:
    """Answer HEAD wherever GET is answered: GET's status and headers, no body (RFC 9110)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Run HEAD requests as GET and drop the body of their answer."""
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def headers_only(message: Message) -> None:
            # Content-Length stays GET's, as RFC 9110 allows; only the bytes are dropped.
            if message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        # FastAPI routes GET only (Starlette would add HEAD): route the request as GET.
        await self.app({**scope, "method": "GET"}, receive, headers_only)
