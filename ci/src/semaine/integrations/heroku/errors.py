"""Heroku client errors: they name the app and the status, never the API key."""

from __future__ import annotations

from semaine.integrations.errors import (
    BadSettingError,
    IntegrationError,
    ServiceTimeoutError,
    ServiceUnreachableError,
)


class HerokuError(IntegrationError):
    """Base of every Heroku Platform API error."""


class HerokuAuthenticationError(HerokuError):
    """401: the API key is missing, wrong or expired."""

    def __init__(self, what: str) -> None:
        self.what = what
        super().__init__(
            f"Heroku refused the API key (401) for {what}",
            "check HEROKU_API_KEY (heroku authorizations:create makes a long-lived one)",
        )


class HerokuForbiddenError(HerokuError):
    """403: the key works but its account may not do this."""

    def __init__(self, what: str) -> None:
        self.what = what
        super().__init__(
            f"Heroku forbids {what} (403) for this API key's account",
            "give the account access to the app (heroku access:add) or use another key",
        )


class HerokuNotFoundError(HerokuError):
    """404: no such app (or not visible to this account)."""

    def __init__(self, what: str) -> None:
        self.what = what
        super().__init__(
            f"Heroku found nothing for {what} (404: no such app, or not visible to this key)",
            "check the app name for the environment (HEROKU_APP_STAGING / HEROKU_APP_PRODUCTION)",
        )


class HerokuRateLimitedError(HerokuError):
    """429 after every retry the policy allows: the account's request budget is spent."""

    def __init__(self, what: str, attempts: int) -> None:
        self.what = what
        self.attempts = attempts
        super().__init__(
            f"Heroku rate limit hit for {what} after {attempts} attempts",
            "wait a few minutes (the budget refills about 75 requests a minute) and retry",
        )


class HerokuUnreachableError(HerokuError, ServiceUnreachableError):
    """The API could not be reached (DNS, connection refused, TLS)."""


class HerokuSettingError(HerokuError, BadSettingError):
    """HEROKU_API_URL is not an http(s) URL."""


class HerokuTimeoutError(HerokuError, ServiceTimeoutError):
    """The API took the connection but did not answer within the read timeout."""


class HerokuUnexpectedResponseError(HerokuError):
    """Any other status, or a body that is not what the schema says."""

    def __init__(self, what: str, status: int, detail: str) -> None:
        self.what = what
        self.status = status
        self.detail = detail
        super().__init__(
            f"unexpected Heroku answer for {what}: HTTP {status} {detail}",
            "retry later; if it persists check https://status.heroku.com",
        )
