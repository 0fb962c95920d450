"""The real application served by uvicorn in a thread (lifespan run) on a fresh database.

Shared by the API and page tests: requests go over loopback HTTP, exactly as in production.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Generator, Iterator
from typing import Any

import httpx
import pytest
import uvicorn

from app.config import Settings
from app.main import create_app
from app.server import uvicorn_options
from semaine.executors.local.ports import free_port

_START_TIMEOUT_SECONDS = 30.0


def serve(settings: Settings | None) -> Generator[str]:
    """Serve create_app(settings) on a free loopback port; yield its base URL."""
    config = uvicorn.Config(
        create_app(settings),
        host="127.0.0.1",
        port=free_port(),
        log_level="warning",
        **uvicorn_options(),
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="uvicorn-test", daemon=True)
    thread.start()
    deadline = time.monotonic() + _START_TIMEOUT_SECONDS
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            pytest.fail("the app did not start: see the log above")
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{config.port}"
    finally:
        server.should_exit = True
        thread.join(_START_TIMEOUT_SECONDS)


@pytest.fixture
def serve_app() -> Iterator[Callable[[Settings | None], str]]:
    """Return start(settings) -> base URL; each app started is stopped at teardown."""
    running: list[Generator[str]] = []

    def start(settings: Settings | None) -> str:
        server = serve(settings)
        running.append(server)
        return next(server)

    yield start
    for server in running:
        server.close()


@pytest.fixture
def base_url(database_url: str, serve_app: Callable[[Settings | None], str]) -> str:
    """Return the base URL of the app serving a fresh database at head."""
    return serve_app(Settings(database_url=database_url))


@pytest.fixture(scope="module")
def shared_client(module_database_url: str) -> Iterator[httpx.Client]:
    """Yield a client of one app per module, for tests no other test's data can affect."""
    server = serve(Settings(database_url=module_database_url))
    with httpx.Client(base_url=next(server), timeout=30) as http:
        yield http
    server.close()


@pytest.fixture
def client(base_url: str) -> Iterator[httpx.Client]:
    """Yield an HTTP client of the served app."""
    with httpx.Client(base_url=base_url, timeout=30) as http:
        yield http


ExpectProblem = Callable[..., dict[str, Any]]
PROBLEM_JSON = "application/problem+json"


def _expect_problem(
    response: httpx.Response, status: int, kind: str, *words: str
) -> dict[str, Any]:
    """Assert an RFC 9457 answer of this status and type whose detail has these words."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM_JSON
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    assert body["type"] == (f"/problems/{kind}" if kind else "about:blank")
    assert body["instance"] == response.request.url.path
    assert body["title"]
    for word in words:
        assert word in body["detail"], body["detail"]
    return body


@pytest.fixture
def expect_problem() -> ExpectProblem:
    """Return the problem+json assertion (response, status, kind, *words in the detail)."""
    return _expect_problem
