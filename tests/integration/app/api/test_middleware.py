"""Below the routes: HEAD answered wherever GET is, and over-long URLs refused as problems."""

from __future__ import annotations

import http.client
import json
import re
import socket
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import pytest
from fastapi.routing import iter_route_contexts

from app.api.middleware import MAX_URL_BYTES
from app.main import create_app

if TYPE_CHECKING:
    from collections.abc import Callable

    import httpx

    ExpectProblem = Callable[..., dict[str, Any]]

pytestmark = pytest.mark.integration

# A value for each path parameter of the app's GET routes (entry_id: created by the test).
SAMPLES = {
    "week": "2026-W48",
    "date": "2026-11-23",
    "month": "2026-11",
    "name": "semaine.css",
}


def get_paths(entry_id: int) -> list[str]:
    """Every GET route of the app, its parameters filled with sample values."""
    samples = {**SAMPLES, "entry_id": str(entry_id)}
    paths = []
    # iter_route_contexts flattens the routers FastAPI keeps nested under app.routes.
    for route in iter_route_contexts(create_app().routes):
        if "GET" not in (route.methods or ()):
            continue
        names = re.findall(r"{(\w+)", route.path_format or "")
        missing = [name for name in names if name not in samples]
        assert not missing, f"add a sample value for {missing} to SAMPLES ({route.path})"
        paths.append(re.sub(r"{(\w+)(:\w+)?}", lambda m: samples[m[1]], route.path_format))
    return paths


def test_head_answers_like_get_on_every_get_route_without_a_body(client: httpx.Client) -> None:
    created = client.post(
        "/api/v1/entries", json={"date": "2026-11-23", "title": "Standup", "minutes": 15}
    )
    paths = get_paths(created.json()["id"])
    assert {"/healthz", "/weeks/2026-W48", "/api/v1/weeks/2026-W48"} <= set(paths)
    client.get("/weeks/2026-W48")  # the pages' CSRF cookie: set once, then only sent
    for path in paths:
        get = client.get(path)
        head = client.head(path)
        assert head.status_code == get.status_code, path
        assert head.content == b"", path
        # Date may tick between the two requests; every other header must be GET's.
        assert {**head.headers, "date": ""} == {**get.headers, "date": ""}, path


def test_head_of_an_unknown_path_is_the_404_without_a_body(client: httpx.Client) -> None:
    response = client.head("/api/v1/nothing")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert int(response.headers["content-length"]) > 0
    assert response.content == b""


@pytest.mark.parametrize(
    ("path", "query"),
    [
        ("/api/v1/weeks/" + "9" * 20_000, ""),
        ("/api/v1/weeks/current", "tz=" + "x" * 20_000),
        ("/weeks/" + "9" * 60_000, ""),  # a page path: still a problem, it is no page at all
        ("/" + "a" * MAX_URL_BYTES, ""),  # one byte over
    ],
)
def test_an_over_long_url_is_a_414_problem(
    shared_client: httpx.Client, expect_problem: ExpectProblem, path: str, query: str
) -> None:
    response = shared_client.get(f"{path}?{query}" if query else path)
    expect_problem(response, 414, "uri-too-long", f"at most {MAX_URL_BYTES} bytes")


def test_a_url_of_exactly_the_limit_reaches_the_routes(
    shared_client: httpx.Client, expect_problem: ExpectProblem
) -> None:
    path = "/api/v1/weeks/current"
    query = "tz=" + "x" * (MAX_URL_BYTES - len(path) - len("?tz="))
    response = shared_client.get(f"{path}?{query}")
    assert len(response.request.url.raw_path) == MAX_URL_BYTES
    expect_problem(response, 422, "validation-error", "query.tz")


def test_a_url_over_64_kib_is_a_problem_before_the_app(base_url: str) -> None:
    # httptools cannot parse a URL of 65536 bytes or more: the server answers itself,
    # before the app sees the request, but in problem+json (app/server.py). httpx refuses
    # to send such a URL at all: a raw socket does.
    address = urlsplit(base_url)
    assert address.hostname is not None
    assert address.port is not None
    with socket.create_connection((address.hostname, address.port), timeout=10) as sock:
        sock.sendall(b"GET /" + b"a" * 70_000 + b" HTTP/1.1\r\nHost: semaine\r\n\r\n")
        response = http.client.HTTPResponse(sock)
        response.begin()
        assert response.status == 400
        assert response.getheader("content-type") == "application/problem+json"
        problem = json.loads(response.read())
    assert (problem["status"], problem["type"]) == (400, "/problems/bad-request")
    assert "64 KiB" in problem["detail"]
