"""The Heroku client under the shared retry policy, against the schema-checked stand-in."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from semaine.integrations.errors import IntegrationError
from semaine.integrations.heroku import (
    HerokuError,
    HerokuRateLimitedError,
    HerokuSettingError,
    HerokuSettings,
    HerokuTimeoutError,
    HerokuUnreachableError,
    HttpHerokuPlatform,
)
from semaine.integrations.retry import RETRY_POLICY

APP = "semaine-staging"
VARS = {"PORT": "5000"}
NO_JITTER = replace(RETRY_POLICY, jitter_seconds=0)


def platform(url: str, waits: list[float], key: str, **settings: float) -> HttpHerokuPlatform:
    return HttpHerokuPlatform(
        key, HerokuSettings(url, **settings), policy=NO_JITTER, sleep=waits.append
    )


def test_429_with_retry_after_waits_as_asked_then_reads(heroku: Any) -> None:
    heroku.config_vars[APP] = VARS
    heroku.fail(APP, 429, headers={"Retry-After": "3", "RateLimit-Remaining": "0"})
    waits: list[float] = []

    with platform(heroku.url, waits, heroku.api_key) as client:
        assert client.config_vars(APP) == VARS

    assert waits == [3.0]  # Retry-After wins over the empty-budget backoff
    assert len(heroku.requests) == 2
    assert heroku.violations == []


def test_503_twice_then_200_on_get(heroku: Any) -> None:
    heroku.config_vars[APP] = VARS
    heroku.fail(APP, 503, times=2)
    waits: list[float] = []

    with platform(heroku.url, waits, heroku.api_key) as client:
        assert client.config_vars(APP) == VARS

    assert waits == [1.0, 2.0]
    assert len(heroku.requests) == 3


def test_a_retry_after_past_the_total_wait_cap_gives_up_at_once(heroku: Any) -> None:
    heroku.fail(APP, 429, headers={"Retry-After": "3600"})
    waits: list[float] = []

    with (
        platform(heroku.url, waits, heroku.api_key) as client,
        pytest.raises(HerokuRateLimitedError) as raised,
    ):
        client.config_vars(APP)

    assert (raised.value.attempts, waits) == (1, [])


def test_connection_refused_is_an_actionable_heroku_error(refused_url: str) -> None:
    waits: list[float] = []
    key = "heroku-key-never-shown-5"

    with platform(refused_url, waits, key) as client, pytest.raises(HerokuError) as raised:
        client.config_vars(APP)

    error = raised.value
    assert isinstance(error, HerokuUnreachableError)
    assert isinstance(error, IntegrationError)
    assert f"cannot reach the Heroku Platform API at {refused_url}" in error.what_happened
    assert "check the network" in error.what_to_do
    assert "HEROKU_API_URL" in error.what_to_do
    assert key not in str(error)
    assert len(waits) == RETRY_POLICY.attempts - 1


def test_a_hung_api_is_a_timeout_error_never_a_hung_run(heroku: Any) -> None:
    heroku.stall(APP, times=RETRY_POLICY.attempts)
    waits: list[float] = []

    with (
        platform(heroku.url, waits, heroku.api_key, read_seconds=0.1) as client,
        pytest.raises(HerokuTimeoutError) as raised,
    ):
        client.config_vars(APP)

    assert raised.value.attempts == RETRY_POLICY.attempts
    assert "did not answer within 0.1 s" in str(raised.value)
    assert "https://status.heroku.com" in raised.value.what_to_do
    assert len(heroku.requests) == RETRY_POLICY.attempts


def test_a_get_that_timed_out_once_is_sent_again(heroku: Any) -> None:
    heroku.config_vars[APP] = VARS
    heroku.stall(APP)
    waits: list[float] = []

    with platform(heroku.url, waits, heroku.api_key, read_seconds=0.1) as client:
        assert client.config_vars(APP) == VARS

    assert waits == [1.0]


def test_a_heroku_api_url_that_is_not_a_url_is_a_heroku_error() -> None:
    with pytest.raises(HerokuSettingError, match="HEROKU_API_URL"):
        HerokuSettings.from_environment({"HEROKU_API_URL": "api.heroku.com"})
