"""The shared HTTP setup against real servers: the Heroku stand-in and a local HTTPS server."""

from __future__ import annotations

from dataclasses import replace
from importlib import metadata
from typing import TYPE_CHECKING, Any

import pytest

from semaine.integrations.errors import (
    BadSettingError,
    IntegrationError,
    ServiceTimeoutError,
    ServiceUnreachableError,
)
from semaine.integrations.http import Endpoint, ServiceClient, base_url_from_environment
from semaine.integrations.retry import RETRY_POLICY

if TYPE_CHECKING:
    from tests.unit.semaine.integrations.conftest import HttpsServer

ACCEPT = "application/vnd.heroku+json; version=3"
NO_JITTER = replace(RETRY_POLICY, jitter_seconds=0)


def service(url: str, **endpoint: Any) -> Endpoint:
    return Endpoint("the test service", url, "TEST_SERVICE_URL", **endpoint)


def heroku_client(
    standin: Any, waits: list[float], endpoint: Endpoint | None = None, **kwargs: Any
) -> ServiceClient:
    headers = {"Authorization": f"Bearer {standin.api_key}", "Accept": ACCEPT}
    kwargs.setdefault("policy", NO_JITTER)
    endpoint = endpoint or service(standin.url)
    return ServiceClient(endpoint, headers=headers, sleep=waits.append, **kwargs)


def test_every_request_names_semaine_and_its_version(heroku: Any) -> None:
    heroku.config_vars["a"] = {}
    with heroku_client(heroku, []) as client:
        assert client.request("GET", "/apps/a/config-vars").response.status_code == 200
    user_agent = heroku.requests[0].headers["User-Agent"]
    assert user_agent.startswith(f"semaine/{metadata.version('semaine')} ")


def test_a_get_is_retried_on_503_then_answered(heroku: Any) -> None:
    heroku.config_vars["a"] = {"PORT": "5000"}
    heroku.fail("a", 503, times=2)
    waits: list[float] = []

    with heroku_client(heroku, waits) as client:
        exchange = client.request("GET", "/apps/a/config-vars")

    assert (exchange.response.status_code, exchange.attempts) == (200, 3)
    assert waits == [1.0, 2.0]
    assert exchange.waited_seconds == 3.0
    assert len(heroku.requests) == 3
    assert heroku.violations == []


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("PATCH", "/apps/a/config-vars", {"FEATURE": "on"}),
        ("POST", "/apps/a/dynos", {"command": "python -m app db release"}),
    ],
)
def test_post_and_patch_are_never_retried_on_5xx(
    heroku: Any, method: str, path: str, body: dict[str, str]
) -> None:
    heroku.fail("a", 503, times=2)
    waits: list[float] = []

    with heroku_client(heroku, waits) as client:
        exchange = client.request(method, path, json=body)

    assert (exchange.response.status_code, exchange.attempts) == (503, 1)
    assert waits == []
    assert [(r.method, r.body) for r in heroku.requests] == [(method, body)]
    assert heroku.violations == []


def test_a_post_refused_for_now_with_429_is_sent_again(heroku: Any) -> None:
    heroku.fail("a", 429, headers={"Retry-After": "2"})
    heroku.fail("a", 503)
    waits: list[float] = []

    with heroku_client(heroku, waits) as client:
        exchange = client.request("POST", "/apps/a/dynos", json={"command": "true"})

    # 429: Heroku did nothing, so a second POST is safe; the 503 that follows is final.
    assert (exchange.response.status_code, exchange.attempts) == (503, 2)
    assert waits == [2.0]


def test_a_refused_connection_names_the_base_url_and_what_to_do(refused_url: str) -> None:
    waits: list[float] = []
    client = ServiceClient(service(refused_url), headers={}, sleep=waits.append)

    with client, pytest.raises(ServiceUnreachableError) as raised:
        client.request("POST", "/anything", json={})

    message = str(raised.value)
    assert f"cannot reach the test service at {refused_url}" in message
    assert "check the network" in raised.value.what_to_do
    assert "TEST_SERVICE_URL" in raised.value.what_to_do
    # The request never reached the service: even a POST is tried again.
    assert raised.value.attempts == RETRY_POLICY.attempts
    assert len(waits) == RETRY_POLICY.attempts - 1


def test_a_hung_service_is_a_timeout_error_not_a_hung_run(heroku: Any) -> None:
    heroku.stall("a", times=2)
    policy = replace(NO_JITTER, attempts=2)
    endpoint = service(heroku.url, read_seconds=0.2, status_page="https://status.example")
    client = heroku_client(heroku, [], endpoint, policy=policy)

    with client, pytest.raises(ServiceTimeoutError) as raised:
        client.request("GET", "/apps/a/config-vars")

    assert "did not answer within 0.2 s (2 attempts)" in str(raised.value)
    assert "https://status.example" in raised.value.what_to_do
    assert len(heroku.requests) == 2


def test_tls_certificates_are_verified(https_server: HttpsServer) -> None:
    client = ServiceClient(
        service(https_server.url), headers={}, policy=replace(RETRY_POLICY, attempts=1)
    )
    with client, pytest.raises(ServiceUnreachableError, match="CERTIFICATE_VERIFY_FAILED"):
        client.request("GET", "/")


def test_a_private_certificate_authority_is_trusted_through_ssl_cert_file(
    https_server: HttpsServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", str(https_server.certificate))
    with ServiceClient(service(https_server.url), headers={}) as client:
        assert client.request("GET", "/").response.status_code == 200


def test_the_base_url_comes_from_its_setting_or_the_default() -> None:
    default = "https://api.example.com"
    assert base_url_from_environment("TEST_URL", default, {}) == default
    assert (
        base_url_from_environment("TEST_URL", default, {"TEST_URL": "http://h:1/"}) == "http://h:1"
    )


def test_a_base_url_that_is_not_http_is_refused_without_its_password() -> None:
    with pytest.raises(BadSettingError, match="TEST_URL") as raised:
        base_url_from_environment("TEST_URL", "https://d", {"TEST_URL": "ftp://u:pw-77@h/"})
    assert "pw-77" not in str(raised.value)
    assert isinstance(raised.value, IntegrationError)
    assert "unset it" in raised.value.what_to_do
