"""A small Heroku Platform API client: an interface, an HTTP implementation, its errors."""

from semaine.core.heroku.client import HttpHerokuPlatform
from semaine.core.heroku.config import HerokuSettings, app_for_environment
from semaine.core.heroku.errors import (
    HerokuAuthenticationError,
    HerokuError,
    HerokuForbiddenError,
    HerokuNotFoundError,
    HerokuRateLimitedError,
    HerokuUnexpectedResponseError,
    HerokuUnreachableError,
)
from semaine.core.heroku.interface import HerokuPlatform

__all__ = [
    "HerokuAuthenticationError",
    "HerokuError",
    "HerokuForbiddenError",
    "HerokuNotFoundError",
    "HerokuPlatform",
    "HerokuRateLimitedError",
    "HerokuSettings",
    "HerokuUnexpectedResponseError",
    "HerokuUnreachableError",
    "HttpHerokuPlatform",
    "app_for_environment",
]
