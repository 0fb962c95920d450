"""app.api.https: behind Heroku's router, plain HTTP is redirected and HSTS is sent."""

from __future__ import annotations

import asyncio
import logging

import httpx
import pytest
from fastapi import FastAPI, Request

from app.api.https import HttpsOnly
from app.config import ConfigError, Settings, https_only_from_env
from app.main import create_app

HSTS = "max-age=31536000; includeSubDomains"


def echo_app(*, enabled: bool) -> FastAPI:
    """Return an app that says what it received, behind the middleware."""
    app = FastAPI()

    @app.api_route("/{path:path}", methods=["GET", "POST"])
    async def echo(path: str, request: Request) -> dict[str, str]:
        return {"path": path, "body": (await request.body()).decode()}

    app.add_middleware(HttpsOnly, enabled=enabled)
    return app


def send(app: FastAPI, method: str, url: str, **kwargs: object) -> httpx.Response:
    """Send one request to `app` in process, without following redirects."""

    async def call() -> httpx.Response:
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://semaine.test") as c:
            return await c.request(method, url, **kwargs)  # type: ignore[arg-type]

    return asyncio.run(call())


def test_a_plain_http_request_is_redirected_to_the_same_url_over_https() -> None:
    response = send(
        echo_app(enabled=True),
        "POST",
        "/api/v1/entries/%C3%A9t%C3%A9?week=2026-W01&x=a%20b",
        headers={"X-Forwarded-Proto": "http", "Host": "semaine.example.com"},
        content=b"{}",
    )
    assert response.status_code == 308  # keeps POST and its body, unlike 301/302
    assert response.headers["location"] == (
        "https://semaine.example.com/api/v1/entries/%C3%A9t%C3%A9?week=2026-W01&x=a%20b"
    )
    assert "strict-transport-security" not in response.headers  # RFC 6797 7.2
    assert response.content == b""


def test_the_router_s_value_is_the_last_one_a_client_cannot_spoof_it() -> None:
    headers = {"X-Forwarded-Proto": "https, http", "Host": "semaine.example.com"}
    assert send(echo_app(enabled=True), "GET", "/x", headers=headers).status_code == 308


def test_a_request_over_https_is_served_with_hsts() -> None:
    response = send(
        echo_app(enabled=True),
        "POST",
        "/week",
        headers={"X-Forwarded-Proto": "https"},
        content=b"kept",
    )
    assert response.status_code == 200
    assert response.json() == {"path": "week", "body": "kept"}
    assert response.headers["strict-transport-security"] == HSTS


def test_a_host_that_cannot_make_a_url_gets_400_not_a_redirect_elsewhere() -> None:
    headers = {"X-Forwarded-Proto": "http", "Host": "evil.example/@x"}
    response = send(echo_app(enabled=True), "GET", "/", headers=headers)
    assert response.status_code == 400
    assert "location" not in response.headers


@pytest.mark.parametrize("proto", ["http", "https", None])
def test_off_nothing_changes(proto: str | None) -> None:
    headers = {"X-Forwarded-Proto": proto} if proto else {}
    response = send(echo_app(enabled=False), "GET", "/x", headers=headers)
    assert response.status_code == 200
    assert "strict-transport-security" not in response.headers


def test_on_without_the_router_s_header_the_request_passes_untouched() -> None:
    response = send(echo_app(enabled=True), "GET", "/x")
    assert response.status_code == 200
    assert "strict-transport-security" not in response.headers


URL = "postgresql://u@localhost/semaine"


def test_the_service_installs_it_from_its_setting() -> None:
    on = create_app(Settings(database_url=URL, https_only=True))
    off = create_app(Settings(database_url=URL))
    headers = {"X-Forwarded-Proto": "http", "Host": "semaine.example.com"}
    assert send(on, "GET", "/healthz", headers=headers).status_code == 308
    assert send(off, "GET", "/nowhere", headers=headers).status_code == 404
    served = send(on, "GET", "/nowhere", headers={"X-Forwarded-Proto": "https"})
    assert served.headers["strict-transport-security"] == HSTS


def test_the_setting_reads_true_or_false_and_refuses_anything_else() -> None:
    assert https_only_from_env({}) is False
    assert https_only_from_env({"HTTPS_ONLY": " TRUE "}) is True
    assert https_only_from_env({"HTTPS_ONLY": "0"}) is False
    with pytest.raises(ConfigError, match=r"^HTTPS_ONLY must be true or false, not 'maybe'$"):
        https_only_from_env({"HTTPS_ONLY": "maybe"})


def test_an_unreadable_setting_fails_closed(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("HTTPS_ONLY", "maybe")
    with caplog.at_level(logging.ERROR, logger="app.main"):
        app = create_app()
    headers = {"X-Forwarded-Proto": "http", "Host": "semaine.example.com"}
    assert send(app, "GET", "/", headers=headers).status_code == 308
    assert "HTTPS_ONLY must be true or false" in caplog.text
