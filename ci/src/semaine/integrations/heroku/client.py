"""The Heroku Platform API over HTTP (httpx), with retries on 429."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING
from urllib.parse import quote

import httpx

from app.redaction import scrub
from semaine.integrations.heroku.config import HerokuSettings
from semaine.integrations.heroku.errors import (
    HerokuAuthenticationError,
    HerokuForbiddenError,
    HerokuNotFoundError,
    HerokuRateLimitedError,
    HerokuUnexpectedResponseError,
    HerokuUnreachableError,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

ACCEPT = "application/vnd.heroku+json; version=3"
_HTTP_OK = 200
_HTTP_UNAUTHORIZED = 401
_HTTP_FORBIDDEN = 403
_HTTP_NOT_FOUND = 404
_HTTP_TOO_MANY = 429


class HttpHerokuPlatform:
    """HerokuPlatform over HTTPS; the key only ever goes in the Authorization header."""

    def __init__(  # noqa: PLR0913 - each argument is an injectable boundary (tests pass fakes)
        self,
        api_key: str,
        settings: HerokuSettings | None = None,
        *,
        client: httpx.Client | None = None,
        attempts: int = 5,
        backoff_seconds: float = 1.0,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._settings = settings or HerokuSettings.from_environment()
        self._client = client or httpx.Client(timeout=httpx.Timeout(30.0, connect=10.0))
        self._headers = {"Authorization": f"Bearer {api_key}", "Accept": ACCEPT}
        self._api_key = api_key
        self._attempts = attempts
        self._backoff = backoff_seconds
        self._sleep = sleep

    def config_vars(self, app: str) -> Mapping[str, str]:
        """Return the app's config vars (GET /apps/{app}/config-vars)."""
        what = f"the config vars of app {app}"
        body = self._get(f"/apps/{quote(app, safe='')}/config-vars", what)
        if not isinstance(body, dict) or not all(
            isinstance(k, str) and isinstance(v, str | None) for k, v in body.items()
        ):
            raise HerokuUnexpectedResponseError(what, _HTTP_OK, "body is not a config-vars hash")
        return {k: v for k, v in body.items() if v is not None}

    def _get(self, path: str, what: str) -> object:
        url = f"{self._settings.api_url}{path}"
        for attempt in range(1, self._attempts + 1):
            try:
                response = self._client.get(url, headers=self._headers)
            except httpx.HTTPError as error:
                detail = scrub(f"{type(error).__name__}: {error}", self._api_key)
                raise HerokuUnreachableError(self._settings.api_url, detail) from None
            if response.status_code != _HTTP_TOO_MANY:
                return self._decoded(response, what)
            if attempt < self._attempts:
                self._sleep(self._delay(response, attempt))
        raise HerokuRateLimitedError(what, self._attempts)

    def _delay(self, response: httpx.Response, attempt: int) -> float:
        retry_after = response.headers.get("Retry-After", "")
        if retry_after.isdigit():
            return float(retry_after)
        remaining = response.headers.get("RateLimit-Remaining", "")
        # An empty bucket refills about one request every 0.8 s: wait longer than plain backoff.
        base = self._backoff * (4 if remaining.strip() == "0" else 1)
        return float(base * 2 ** (attempt - 1))

    def _decoded(self, response: httpx.Response, what: str) -> object:
        status = response.status_code
        if status == _HTTP_UNAUTHORIZED:
            raise HerokuAuthenticationError(what)
        if status == _HTTP_FORBIDDEN:
            raise HerokuForbiddenError(what)
        if status == _HTTP_NOT_FOUND:
            raise HerokuNotFoundError(what)
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
