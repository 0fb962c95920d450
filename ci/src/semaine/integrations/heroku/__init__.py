"""A small Heroku Platform API client: an interface, an HTTP implementation, its errors."""

from semaine.integrations.heroku.client import HttpHerokuPlatform
from semaine.integrations.heroku.config import HerokuSettings, app_for_environment
from semaine.integrations.heroku.errors import (
    HerokuAuthenticationError,
    HerokuError,
    HerokuForbiddenError,
    HerokuNotFoundError,
    HerokuRateLimitedError,
    HerokuSettingError,
    HerokuTimeoutError,
    HerokuUnexpectedResponseError,
    HerokuUnreachableError,
)
from semaine.integrations.heroku.interface import HerokuPlatform

__all__ = [
    "HerokuAuthenticationError",
    "HerokuError",
    "HerokuForbiddenError",
    "HerokuNotFoundError",
    "HerokuPlatform",
    "HerokuRateLimitedError",
    "HerokuSettingError",
    "HerokuSettings",
    "HerokuTimeoutError",
    "HerokuUnexpectedResponseError",
    "HerokuUnreachableError",
    "HttpHerokuPlatform",
    "app_for_environment",
]
