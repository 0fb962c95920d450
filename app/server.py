"""How uvicorn serves the app: one set of options, and malformed requests as problem+json.

uvicorn answers a request that httptools cannot parse (a URL of 64 KiB or more, a bad
request line, a broken Content-Length) itself, before the app sees it, in text/plain.
The protocol below keeps uvicorn's behaviour and gives that answer the API's one error
format (RFC 9457), so a client never meets a second one.
"""

from __future__ import annotations

import json
from typing import Any

from uvicorn.protocols.http.httptools_impl import STATUS_LINE, HttpToolsProtocol

PROBLEM_JSON = b"application/problem+json"
_UNPARSEABLE = {
    "type": "/problems/bad-request",
    "title": "Bad request",
    "status": 400,
    "detail": (
        "The request could not be read as HTTP/1.1 (a URL of 64 KiB or more, a malformed"
        " request line or header): send a well-formed request with a URL under 8 KiB."
    ),
}


class ProblemHttpToolsProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol, answering an unparseable request with problem+json."""

    def send_400_response(self, msg: str) -> None:
        """Answer 400 with a problem document (uvicorn's own message becomes its `reason`)."""
        body = json.dumps({**_UNPARSEABLE, "reason": msg}).encode()
        content = [STATUS_LINE[400]]
        for name, value in self.server_state.default_headers:
            content.extend([name, b": ", value, b"\r\n"])
        content.extend(
            [
                b"content-type: " + PROBLEM_JSON + b"\r\n",
                b"content-length: " + str(len(body)).encode("ascii") + b"\r\n",
                b"connection: close\r\n",
                b"\r\n",
                body,
            ]
        )
        self.transport.write(b"".join(content))
        self.transport.close()


def uvicorn_options() -> dict[str, Any]:
    """Return the options every server of the app runs with (CLI, tests, benchmarks)."""
    return {
        "http": ProblemHttpToolsProtocol,
        # Heroku's router terminates TLS and says so in X-Forwarded-*.
        "proxy_headers": True,
        "forwarded_allow_ips": "*",
    }
