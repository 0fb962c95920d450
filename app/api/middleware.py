"""ASGI middleware below the routes: HEAD answered as GET, over-long URLs refused."""

from __future__ import annotations

from http import HTTPStatus
from typing import TYPE_CHECKING

from starlette.requests import Request

from app.api.problems import Problem, problem_response

if TYPE_CHECKING:
    from starlette.types import ASGIApp, Message, Receive, Scope, Send

# The request-line limit of common proxies (nginx's 8k buffers, Apache's 8190), far below
# the 65535 bytes past which uvicorn's httptools parser answers 400 text/plain itself.
MAX_URL_BYTES = 8192


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


class UrlLengthLimit:
    """Refuse a request target (path and query) over MAX_URL_BYTES with a 414 problem."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Answer 414 before routing when the URL is too long; else pass the request on."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope.get("raw_path") or scope["path"].encode()
        query = scope.get("query_string", b"")
        length = len(path) + (len(query) + 1 if query else 0)
        if length <= MAX_URL_BYTES:
            await self.app(scope, receive, send)
            return
        problem = Problem(
            HTTPStatus.REQUEST_URI_TOO_LONG,
            "uri-too-long",
            "URI too long",
            f"The URL (path and query) has {length} bytes; send at most {MAX_URL_BYTES} bytes: "
            "put large values in a request body.",
        )
        await problem_response(Request(scope), problem)(scope, receive, send)
