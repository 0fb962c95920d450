"""The Heroku Platform API over the shared HTTP setup (integrations.http)."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING
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
from semaine.integrations.heroku.formation import parse_formation_images
from semaine.integrations.heroku.releases import (
    DOCKER_RELEASES_ACCEPT,
    Release,
    formation_update,
    newest_first,
    parse_release,
    parse_releases,
)
from semaine.integrations.http import ServiceBacked, ServiceClient, TransportErrors
from semaine.integrations.retry import RETRY_POLICY, RetryPolicy

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    import httpx

    from semaine.integrations.http import Exchange

ACCEPT = "application/vnd.heroku+json; version=3"
ERRORS = TransportErrors(unreachable=HerokuUnreachableError, timed_out=HerokuTimeoutError)
_HTTP_OK = 200
_ANSWERED = frozenset({200, 201, 206})  # 201: created; 206: a ranged list with more behind
_HTTP_UNAUTHORIZED = 401
_HTTP_FORBIDDEN = 403
_HTTP_NOT_FOUND = 404
_HTTP_TOO_MANY = 429


class HttpHerokuPlatform(ServiceBacked):
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
        body = self._call("GET", f"{_app(app)}/config-vars", what)
        if not isinstance(body, dict) or not all(
            isinstance(k, str) and isinstance(v, str | None) for k, v in body.items()
        ):
            raise HerokuUnexpectedResponseError(what, _HTTP_OK, "body is not a config-vars hash")
        return {k: v for k, v in body.items() if v is not None}

    def newest_release(self, app: str) -> Release | None:
        """Return the app's newest release (None for an app never released)."""
        found = self.recent_releases(app, 1)
        return found[0] if found else None

    def recent_releases(self, app: str, count: int = 10) -> list[Release]:
        """Return the app's `count` newest releases, newest first."""
        what = f"the releases of app {app}"
        body = self._call("GET", f"{_app(app)}/releases", what, headers=newest_first(count))
        return parse_releases(body, what)

    def release(self, app: str, release: str) -> Release:
        """Return one release of the app, by id (UUID) or version number."""
        what = f"release {release} of app {app}"
        body = self._call("GET", f"{_app(app)}/releases/{quote(release, safe='')}", what)
        return parse_release(body, what)

    def release_images(self, app: str, images: Mapping[str, str]) -> None:
        """Release container images ({process type: config digest}) with one formation PATCH."""
        what = f"the formation of app {app}"
        self._call(
            "PATCH",
            f"{_app(app)}/formation",
            what,
            formation_update(images),
            headers={"Accept": DOCKER_RELEASES_ACCEPT},
        )

    def formation_images(self, app: str) -> dict[str, str]:
        """Return the image id each process type runs ({"web": "sha256:..."}): the formation."""
        what = f"the formation of app {app}"
        body = self._call(
            "GET", f"{_app(app)}/formation", what, headers={"Accept": DOCKER_RELEASES_ACCEPT}
        )
        return parse_formation_images(body, what)

    def roll_back(self, app: str, release_id: str) -> Release:
        """Roll the app back to release `release_id` (a UUID); return the new release."""
        what = f"a rollback of app {app}"
        body = self._call("POST", f"{_app(app)}/releases", what, {"release": release_id})
        return parse_release(body, what)

    def _call(
        self,
        method: str,
        path: str,
        what: str,
        body: object = None,
        *,
        headers: Mapping[str, str] | None = None,
    ) -> object:
        return _decoded(self._http.request(method, path, json=body, headers=headers), what)


def _app(app: str) -> str:
    return f"/apps/{quote(app, safe='')}"


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
    if status not in _ANSWERED:
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
    if not isinstance(body, dict):
        return ""
    said = " ".join(str(body.get(key) or "") for key in ("id", "message")).strip()
    return said[:300]
