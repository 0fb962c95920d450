"""Where the Heroku API is and which app serves each environment."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import TYPE_CHECKING

from semaine.integrations.heroku.errors import HerokuSettingError
from semaine.integrations.http import Endpoint, base_url_from_environment

if TYPE_CHECKING:
    from collections.abc import Mapping

DEFAULT_API_URL = "https://api.heroku.com"
API_URL_SETTING = "HEROKU_API_URL"
STATUS_PAGE = "https://status.heroku.com"
DEFAULT_APPS = {"staging": "semaine-staging", "production": "semaine-production"}
ENVIRONMENTS = tuple(DEFAULT_APPS)


@dataclass(frozen=True)
class HerokuSettings:
    """The API base URL (`HEROKU_API_URL`, default https://api.heroku.com) and timeouts."""

    api_url: str = DEFAULT_API_URL
    connect_seconds: float = 10.0
    read_seconds: float = 30.0

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None) -> HerokuSettings:
        """Read the settings from the process environment."""
        url = base_url_from_environment(
            API_URL_SETTING, DEFAULT_API_URL, environ, error=HerokuSettingError
        )
        return cls(api_url=url)

    def endpoint(self) -> Endpoint:
        """Return the shared HTTP setup's view of these settings."""
        return Endpoint(
            service="the Heroku Platform API",
            base_url=self.api_url.rstrip("/"),
            setting=API_URL_SETTING,
            connect_seconds=self.connect_seconds,
            read_seconds=self.read_seconds,
            status_page=STATUS_PAGE,
        )


def app_for_environment(environment: str, environ: Mapping[str, str] | None = None) -> str:
    """Return the Heroku app of an environment (`HEROKU_APP_<ENV>`, else the default name)."""
    if environment not in DEFAULT_APPS:
        msg = f"unknown environment {environment!r}: expected one of {', '.join(ENVIRONMENTS)}"
        raise ValueError(msg)
    env = os.environ if environ is None else environ
    return env.get(f"HEROKU_APP_{environment.upper()}") or DEFAULT_APPS[environment]
