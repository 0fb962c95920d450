"""The Heroku Platform API over the shared HTTP setup (integrations.http)."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Self
from urllib.parse import quote

from semaine.integrations.heroku.config import HerokuSettings
from semaine.integrations.heroku.errors import (
    HerokuAuthenticationError,
    HerokuForbiddenError,
    HerokuNotFoundError,
    HerokuRateLimitedError,
    HerokuTimeoutError,
    HerokuUnexpectedResponseError,
    HerokuUnreachableError,
)
from semaine.integrations.http import ServiceClient, TransportErrors
from semaine.integrations.retry import RETRY_POLICY, RetryPolicy

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    import httpx

    from semaine.integrations.http import Exchange

ACCEPT = "application/vnd.heroku+json; version=3"
ERRORS = TransportErrors(unreachable=HerokuUnreachableError, timed_out=HerokuTimeoutError)
_HTTP_OK = 200
_HTTP_UNAUTHORIZED = 401
_HTTP_FORBIDDEN = 403
_HTTP_NOT_FOUND = 404
_HTTP_TOO_MANY = 429


class HttpHerokuPlatform:
    """HerokuPlatform over HTTPS; the key only ever goes in the Authorization header."""

    def __init__(
        self,
        api_key: str,
        settings: HerokuSettings | None = None,
        *,
        policy: RetryPolicy = RETRY_POLICY,
        sleep: Callable[[float], None] = time.sleep,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self._http = ServiceClient(
            (settings or HerokuSettings.from_environment()).endpoint(),
            headers={"Authorization": f"Bearer {api_key}", "Accept": ACCEPT},
            secrets=(api_key,),
            errors=ERRORS,
            policy=policy,
            sleep=sleep,
            transport=transport,
        )

    def config_vars(self, app: str) -> Mapping[str, str]:
        """Return the app's config vars (GET /apps/{app}/config-vars)."""
        what = f"the config vars of app {app}"
        body = self._call("GET", f"/apps/{quote(app, safe='')}/config-vars", what)
        if not isinstance(body, dict) or not all(
            isinstance(k, str) and isinstance(v, str | None) for k, v in body.items()
        ):
            raise HerokuUnexpectedResponseError(what, _HTTP_OK, "body is not a config-vars hash")
        return {k: v for k, v in body.items() if v is not None}

    def close(self) -> None:
        """Close the connections to the API."""
        self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *_exc_info: object) -> None:
        self.close()

    def _call(self, method: str, path: str, what: str, body: object = None) -> object:
        return _decoded(self._http.request(method, path, json=body), what)


def _decoded(exchange: Exchange, what: str) -> object:
    response = exchange.response
    status = response.status_code
    if status == _HTTP_UNAUTHORIZED:
        raise HerokuAuthenticationError(what)
    if status == _HTTP_FORBIDDEN:
        raise HerokuForbiddenError(what)
    if status == _HTTP_NOT_FOUND:
        raise HerokuNotFoundError(what)
    if status == _HTTP_TOO_MANY:
        raise HerokuRateLimitedError(what, exchange.attempts)
    if status != _HTTP_OK:
        raise HerokuUnexpectedResponseError(what, status, _heroku_id(response))
    try:
        return response.json()
    except ValueError:
        raise HerokuUnexpectedResponseError(what, status, "body is not JSON") from None


def _heroku_id(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return ""
    return str(body.get("id", "")) if isinstance(body, dict) else ""
