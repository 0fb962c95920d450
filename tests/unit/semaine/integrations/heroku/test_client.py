from __future__ import annotations

from dataclasses import replace
from typing import Any

import httpx
import pytest

from semaine.integrations.heroku import (
    HerokuAuthenticationError,
    HerokuForbiddenError,
    HerokuNotFoundError,
    HerokuRateLimitedError,
    HerokuSettings,
    HerokuUnexpectedResponseError,
    HerokuUnreachableError,
    HttpHerokuPlatform,
    app_for_environment,
)
from semaine.integrations.retry import RETRY_POLICY

DB = "postgres://u:dbpass@db.example:5432/d"


def client(standin: Any, key: str | None = None, **kwargs: Any) -> HttpHerokuPlatform:
    kwargs.setdefault("sleep", lambda _seconds: None)  # retries never really wait in a test
    return HttpHerokuPlatform(key or standin.api_key, HerokuSettings(api_url=standin.url), **kwargs)


def test_config_vars_are_read_with_the_documented_headers(heroku: Any) -> None:
    heroku.config_vars["semaine-staging"] = {"DATABASE_URL": DB, "PORT": "5000"}

    found = client(heroku).config_vars("semaine-staging")

    assert found == {"DATABASE_URL": DB, "PORT": "5000"}
    (request,) = heroku.requests
    assert (request.method, request.path) == ("GET", "/apps/semaine-staging/config-vars")
    assert request.headers["Accept"] == "application/vnd.heroku+json; version=3"
    assert request.headers["Authorization"] == f"Bearer {heroku.api_key}"
    assert heroku.violations == []


@pytest.mark.parametrize(
    ("status", "error"),
    [(403, HerokuForbiddenError), (404, HerokuNotFoundError), (503, HerokuUnexpectedResponseError)],
)
def test_http_errors_are_named_without_the_key(heroku: Any, status: int, error: type) -> None:
    heroku.fail("semaine-production", status, times=RETRY_POLICY.attempts)
    with pytest.raises(error) as raised:
        client(heroku).config_vars("semaine-production")
    assert heroku.api_key not in str(raised.value)
    assert "semaine-production" in str(raised.value)


def test_a_wrong_key_is_a_401_without_the_key(heroku: Any) -> None:
    with pytest.raises(HerokuAuthenticationError, match="HEROKU_API_KEY") as raised:
        client(heroku, key="wrong-key-abcdef").config_vars("semaine-staging")
    assert "wrong-key-abcdef" not in str(raised.value)


def test_an_unknown_app_is_a_404(heroku: Any) -> None:
    with pytest.raises(HerokuNotFoundError, match="HEROKU_APP_STAGING"):
        client(heroku).config_vars("no-such-app")


def test_429_is_retried_with_backoff_honouring_the_remaining_budget(heroku: Any) -> None:
    heroku.config_vars["semaine-staging"] = {"DATABASE_URL": DB}
    heroku.fail("semaine-staging", 429, times=2, headers={"RateLimit-Remaining": "0"})
    waits: list[float] = []

    policy = replace(RETRY_POLICY, backoff_seconds=0.5, jitter_seconds=0)
    found = client(heroku, sleep=waits.append, policy=policy).config_vars("semaine-staging")

    assert found == {"DATABASE_URL": DB}
    assert waits == [2.0, 4.0]  # an empty bucket waits 4x the plain backoff, doubling


def test_429_gives_up_after_the_attempts(heroku: Any) -> None:
    heroku.fail("semaine-staging", 429, times=3)
    waits: list[float] = []
    platform = client(heroku, sleep=waits.append, policy=replace(RETRY_POLICY, attempts=3))
    with pytest.raises(HerokuRateLimitedError) as raised:
        platform.config_vars("semaine-staging")
    assert raised.value.attempts == 3
    assert len(waits) == 2


def test_retry_after_wins_over_the_backoff() -> None:
    answers = iter(
        [httpx.Response(429, headers={"Retry-After": "7"}), httpx.Response(200, json={})]
    )
    transport = httpx.MockTransport(lambda _request: next(answers))
    waits: list[float] = []
    platform = HttpHerokuPlatform(
        "k",
        HerokuSettings("https://api.example"),
        transport=transport,
        sleep=waits.append,
    )
    assert platform.config_vars("a") == {}
    assert waits == [7.0]


def test_an_unreachable_api_is_named_without_the_key() -> None:
    platform = HttpHerokuPlatform(
        "secret-key-123", HerokuSettings("http://127.0.0.1:9"), sleep=lambda _seconds: None
    )
    with pytest.raises(HerokuUnreachableError, match=r"127\.0\.0\.1:9") as raised:
        platform.config_vars("semaine-staging")
    assert "secret-key-123" not in str(raised.value)


def test_a_body_that_is_not_a_config_vars_hash_is_refused() -> None:
    transport = httpx.MockTransport(lambda _request: httpx.Response(200, json=["x"]))
    platform = HttpHerokuPlatform("k", HerokuSettings("https://api.example"), transport=transport)
    with pytest.raises(HerokuUnexpectedResponseError, match="config-vars hash"):
        platform.config_vars("a")


def test_app_names_come_from_the_environment_or_the_defaults() -> None:
    assert app_for_environment("staging", {}) == "semaine-staging"
    assert app_for_environment("production", {}) == "semaine-production"
    assert app_for_environment("production", {"HEROKU_APP_PRODUCTION": "p"}) == "p"
    with pytest.raises(ValueError, match="staging, production"):
        app_for_environment("qa", {})


def test_the_api_url_comes_from_heroku_api_url() -> None:
    assert HerokuSettings.from_environment({}).api_url == "https://api.heroku.com"
    assert (
        HerokuSettings.from_environment({"HEROKU_API_URL": "http://x:1/"}).api_url == "http://x:1"
    )
