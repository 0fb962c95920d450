"""The one HTTP setup of every integration: httpx, timeouts, User-Agent, retries, TLS on.

TLS certificates are always verified: there is deliberately no switch to turn that off.
A private certificate authority goes in `SSL_CERT_FILE`, which httpx honours.
"""

from __future__ import annotations

import contextlib
import os
import time
from dataclasses import dataclass
from importlib import metadata
from typing import TYPE_CHECKING, Self
from urllib.parse import urlsplit

import httpx

from app.redaction import scrub
from semaine.integrations.errors import (
    BadSettingError,
    IntegrationError,
    ServiceTimeoutError,
    ServiceUnreachableError,
)
from semaine.integrations.retry import RETRY_POLICY, RetryPolicy

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Mapping

USER_AGENT = f"semaine/{metadata.version('semaine')} python-httpx/{httpx.__version__}"


@dataclass(frozen=True)
class Endpoint:
    """Where a service is, which setting says so, and how long to wait for it."""

    service: str
    """How messages name the service, e.g. `the Heroku Platform API`."""
    base_url: str
    setting: str
    """The environment variable that sets `base_url`, named in error messages."""
    connect_seconds: float = 10.0
    read_seconds: float = 30.0
    status_page: str = ""


def base_url_from_environment(
    setting: str,
    default: str,
    environ: Mapping[str, str] | None = None,
    *,
    error: type[BadSettingError] = BadSettingError,
) -> str:
    """Return the base URL in `setting` (else `default`), refusing anything but http(s)."""
    env = os.environ if environ is None else environ
    url = (env.get(setting) or default).strip().rstrip("/")
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise error(setting, url, default)
    return url


@dataclass(frozen=True)
class TransportErrors:
    """Which error classes a service raises when it cannot be reached or does not answer."""

    unreachable: type[ServiceUnreachableError] = ServiceUnreachableError
    timed_out: type[ServiceTimeoutError] = ServiceTimeoutError


@dataclass(frozen=True)
class Exchange:
    """The service's last answer to a request, and how many attempts it took."""

    response: httpx.Response
    attempts: int
    waited_seconds: float = 0.0


class ServiceClient:
    """httpx set up once for a service: base URL, timeouts, User-Agent, the retry policy."""

    def __init__(  # noqa: PLR0913 - each argument is one declared fact of the service
        self,
        endpoint: Endpoint,
        *,
        headers: Mapping[str, str],
        secrets: tuple[str, ...] = (),
        errors: TransportErrors = TransportErrors(),
        policy: RetryPolicy = RETRY_POLICY,
        sleep: Callable[[float], None] = time.sleep,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.endpoint = endpoint
        self._secrets = secrets
        self._errors = errors
        self._policy = policy
        self._sleep = sleep
        self._client = httpx.Client(
            base_url=endpoint.base_url,
            headers={"User-Agent": USER_AGENT, **headers},
            timeout=httpx.Timeout(endpoint.read_seconds, connect=endpoint.connect_seconds),
            transport=transport,
        )

    def request(
        self,
        method: str,
        path: str,
        *,
        json: object = None,
        content: bytes | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Exchange:
        """Send a request under the retry policy; return the last answer, whatever its status.

        `path` may also be an absolute URL the service handed out (an upload's Location).
        """
        retrying = self._policy.retrying(method, sleep=self._sleep)
        try:
            response: httpx.Response = retrying(
                self._client.request, method, path, json=json, content=content, headers=headers
            )
        except httpx.TransportError as error:
            raise self._transport_error(error, retrying.statistics["attempt_number"]) from None
        stats = retrying.statistics
        return Exchange(response, stats["attempt_number"], stats["idle_for"])

    @contextlib.contextmanager
    def download(
        self, path: str, *, headers: Mapping[str, str] | None = None
    ) -> Iterator[Exchange]:
        """GET `path` under the retry policy, following redirects; the body is read as it comes.

        httpx drops the Authorization header when a redirect leaves the service's origin
        (a registry sends blob downloads to its storage), so the secret stays here.
        """
        opened: list[httpx.Response] = []

        def attempt() -> httpx.Response:
            for earlier in opened:
                earlier.close()
            request = self._client.build_request("GET", path, headers=headers)
            opened.append(self._client.send(request, stream=True, follow_redirects=True))
            return opened[-1]

        retrying = self._policy.retrying("GET", sleep=self._sleep)
        try:
            try:
                response: httpx.Response = retrying(attempt)
            except httpx.TransportError as error:
                raise self._transport_error(error, retrying.statistics["attempt_number"]) from None
            stats = retrying.statistics
            yield Exchange(response, stats["attempt_number"], stats["idle_for"])
        finally:
            for response in opened:
                response.close()

    def transport_error(self, error: httpx.TransportError) -> IntegrationError:
        """Return the service's error for a connection that failed while a body was streamed."""
        return self._transport_error(error, 1)

    @contextlib.contextmanager
    def stream(
        self, method: str, path: str, *, headers: Mapping[str, str] | None = None
    ) -> Iterator[httpx.Response]:
        """Open one streamed request (not retried: a stream's reader resumes it itself)."""
        try:
            with self._client.stream(method, path, headers=headers) as response:
                yield response
        except httpx.TransportError as error:
            raise self._transport_error(error, 1) from None

    def close(self) -> None:
        """Close the connections."""
        self._client.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *_exc_info: object) -> None:
        self.close()

    def _transport_error(self, error: httpx.TransportError, attempts: int) -> IntegrationError:
        said = str(error)
        detail = scrub(
            f"{type(error).__name__}: {said}" if said else type(error).__name__, *self._secrets
        )
        # A connect timeout never reached the service: it is unreachable, not slow.
        if isinstance(error, httpx.TimeoutException) and not isinstance(
            error, httpx.ConnectTimeout
        ):
            return self._errors.timed_out(self.endpoint, detail, attempts)
        return self._errors.unreachable(self.endpoint, detail, attempts)


class ServiceBacked:
    """Base of a service's client over one ServiceClient (`_http`): `close` it, or use `with`."""

    _http: ServiceClient

    def close(self) -> None:
        """Close the connections to the service."""
        self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *_exc_info: object) -> None:
        self.close()
