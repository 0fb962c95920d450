"""Where the Heroku API is and which app serves each environment."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Mapping

DEFAULT_API_URL = "https://api.heroku.com"
DEFAULT_APPS = {"staging": "semaine-staging", "production": "semaine-production"}
ENVIRONMENTS = tuple(DEFAULT_APPS)


@dataclass(frozen=True)
class HerokuSettings:
    """The API base URL (`HEROKU_API_URL`, default https://api.heroku.com)."""

    api_url: str = DEFAULT_API_URL

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None) -> HerokuSettings:
        """Read the settings from the process environment."""
        env = os.environ if environ is None else environ
        return cls(api_url=(env.get("HEROKU_API_URL") or DEFAULT_API_URL).rstrip("/"))


def app_for_environment(environment: str, environ: Mapping[str, str] | None = None) -> str:
    """Return the Heroku app of an environment (`HEROKU_APP_<ENV>`, else the default name)."""
    if environment not in DEFAULT_APPS:
        msg = f"unknown environment {environment!r}: expected one of {', '.join(ENVIRONMENTS)}"
        raise ValueError(msg)
    env = os.environ if environ is None else environ
    return env.get(f"HEROKU_APP_{environment.upper()}") or DEFAULT_APPS[environment]
