"""Timed HTTP requests to the monitored service, each under a hard deadline.

Not `semaine.integrations.http.ServiceClient`: a monitor must time every answer and count
every failure, so nothing here retries (the retest is the monitor's own, `retest.py`),
and a request that hangs is cut at its deadline (anyio), not only between reads (httpx).
TLS is verified, as everywhere: there is no switch to turn it off.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Self

import anyio
import httpx

from app.redaction import scrub
from semaine.integrations.http import USER_AGENT


@dataclass(frozen=True)
class Answer:
    """One request's outcome: status (None when nothing came back), time, body, final path."""

    path: str
    status: int | None
    milliseconds: float
    body: str = ""
    error: str = ""
    final_path: str = ""

    @property
    def failure(self) -> str:
        """Why there is no answer, or an empty string when there is one."""
        return self.error if self.status is None else ""


class Prober:
    """An async httpx client on the service's base URL; `get` never raises for the service."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url.rstrip("/")
        self._client = httpx.AsyncClient(
            base_url=self.base_url, headers={"User-Agent": USER_AGENT, "Cache-Control": "no-cache"}
        )

    async def get(self, path: str, timeout: float, *, follow_redirects: bool = False) -> Answer:  # noqa: ASYNC109 - a deadline per request, cut here with anyio
        """GET `path`: the answer within `timeout` seconds, else an Answer saying why not."""
        began = time.perf_counter()
        response: httpx.Response | None = None
        error = f"no answer within {timeout:g} s"
        with anyio.move_on_after(timeout):
            try:
                response = await self._client.get(
                    path, timeout=httpx.Timeout(timeout), follow_redirects=follow_redirects
                )
            except httpx.HTTPError as failure:
                error = _describe(failure, timeout)
        elapsed = (time.perf_counter() - began) * 1000
        if response is None:
            return Answer(path, None, elapsed, error=error)
        return Answer(path, response.status_code, elapsed, response.text, "", response.url.path)

    async def aclose(self) -> None:
        """Close the connections."""
        await self._client.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *_exc_info: object) -> None:
        await self.aclose()


def _describe(error: httpx.HTTPError, timeout: float) -> str:
    if isinstance(error, httpx.TimeoutException):
        return f"no answer within {timeout:g} s ({type(error).__name__})"
    said = str(error)
    return scrub(f"{type(error).__name__}: {said}" if said else type(error).__name__)
