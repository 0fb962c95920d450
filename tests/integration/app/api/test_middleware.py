"""Below the routes: HEAD answered wherever GET is, and over-long URLs refused as problems."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import pytest
from fastapi.routing import iter_route_contexts

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
