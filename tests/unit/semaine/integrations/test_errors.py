"""Every integration error says what happened and what to do, on one line, without secrets."""

from __future__ import annotations

import pytest

from semaine.integrations.errors import IntegrationError
from semaine.integrations.heroku import (
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
from semaine.integrations.heroku.config import HerokuSettings

ENDPOINT = HerokuSettings("https://user:url-pass-9@api.example").endpoint()


def test_the_message_is_what_happened_then_what_to_do_on_one_line() -> None:
    error = IntegrationError("the service said\nno", "ask\n  again")
    assert str(error) == "the service said no. ask again"
    assert (error.what_happened, error.what_to_do) == ("the service said no", "ask again")


def test_secrets_and_url_passwords_never_reach_the_message() -> None:
    key, url = "key-0123456789", "postgres://u:db-pass-42@h/d"
    error = IntegrationError(f"refused {key} for {url}", f"rotate {key}", secrets=(key, url))
    assert key not in str(error)
    assert "db-pass-42" not in str(error)


@pytest.mark.parametrize(
    "error",
    [
        HerokuAuthenticationError("app a"),
        HerokuForbiddenError("app a"),
        HerokuNotFoundError("app a"),
        HerokuRateLimitedError("app a", 5),
        HerokuUnexpectedResponseError("app a", 500, "internal_error"),
        HerokuUnreachableError(ENDPOINT, "ConnectError: refused", 5),
        HerokuTimeoutError(ENDPOINT, "ReadTimeout: timed out", 2),
        HerokuSettingError("HEROKU_API_URL", "api.heroku.com", "https://api.heroku.com"),
    ],
    ids=lambda error: type(error).__name__,
)
def test_every_heroku_error_is_an_actionable_integration_error(error: HerokuError) -> None:
    assert isinstance(error, IntegrationError)
    assert error.what_happened
    assert error.what_to_do
    assert "\n" not in str(error)
    assert "url-pass-9" not in str(error)


def test_transport_errors_name_the_setting_to_check() -> None:
    unreachable = HerokuUnreachableError(ENDPOINT, "ConnectError: refused", 5)
    assert "https://user:***@api.example" in unreachable.what_happened
    assert "HEROKU_API_URL" in unreachable.what_to_do
    timed_out = HerokuTimeoutError(ENDPOINT, "ReadTimeout", 2)
    assert "https://status.heroku.com" in timed_out.what_to_do
