"""Request bodies over a raw socket: declared sizes refused at once, clients that leave."""

from __future__ import annotations

import http.client
import json
import logging
import socket
import time
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import pytest
from pydantic import BaseModel

from app.api import openapi, schemas
from app.api.bodies import MAX_BODY_BYTES

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    import httpx

    ExpectProblem = Callable[..., dict[str, Any]]

pytestmark = pytest.mark.integration

_TIMEOUT_SECONDS = 60.0  # hang guards only: a busy machine may be slow, never stuck


def post_headers(length: int, *, content_type: str = "application/json") -> bytes:
    return (
        "POST /api/v1/entries HTTP/1.1\r\nHost: semaine\r\n"
        f"Content-Type: {content_type}\r\nContent-Length: {length}\r\n\r\n"
    ).encode()


@pytest.fixture
def connect(base_url: str) -> Iterator[socket.socket]:
    """Yield a raw TCP connection to the served app."""
    address = urlsplit(base_url)
    assert address.hostname is not None
    assert address.port is not None
    with socket.create_connection((address.hostname, address.port), _TIMEOUT_SECONDS) as sock:
        yield sock


def test_a_declared_body_over_the_limit_is_refused_before_it_is_sent(
    connect: socket.socket,
) -> None:
    # Only the headers go out: the answer must not wait for ten megabytes.
    connect.sendall(post_headers(10_000_000))
    response = http.client.HTTPResponse(connect)
    response.begin()
    body = json.loads(response.read())
    assert response.status == 413
    assert response.getheader("content-type") == "application/problem+json"
    # The body was never read: the connection cannot carry another request.
    assert response.getheader("connection") == "close"
    assert body["type"] == "/problems/body-too-large"
    assert "10000000" in body["detail"]
    assert str(MAX_BODY_BYTES) in body["detail"]


def test_a_chunked_body_is_refused_as_soon_as_it_passes_the_limit(
    connect: socket.socket,
) -> None:
    head = post_headers(0).replace(b"Content-Length: 0", b"Transfer-Encoding: chunked")
    size = MAX_BODY_BYTES + 1
    # One chunk over the limit and no final chunk: the answer must not wait for the end.
    connect.sendall(head + f"{size:x}\r\n".encode() + b" " * size + b"\r\n")
    response = http.client.HTTPResponse(connect)
    response.begin()
    body = json.loads(response.read())
    assert (response.status, body["type"]) == (413, "/problems/body-too-large")
    assert f"more than {MAX_BODY_BYTES} bytes" in body["detail"]
    assert response.getheader("connection") == "close"


def test_a_client_leaving_mid_upload_is_logged_at_info_without_a_traceback(
    connect: socket.socket, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="app")
    # uvicorn's own logger does not propagate to the root, where caplog listens.
    uvicorn_errors = logging.getLogger("uvicorn.error")
    uvicorn_errors.addHandler(caplog.handler)
    try:
        connect.sendall(post_headers(1000) + b'{"date": "2026-11-23", "ti')
        time.sleep(0.2)  # let the app start reading the body before the client leaves
        connect.close()
        deadline = time.monotonic() + _TIMEOUT_SECONDS  # a hang guard, not a measure
        while not any("disconnected" in record.getMessage() for record in caplog.records):
            if time.monotonic() > deadline:
                pytest.fail(
                    f"nothing logged the disconnect: {[r.getMessage() for r in caplog.records]}"
                )
            time.sleep(0.05)
        time.sleep(0.2)  # anything logged right after the disconnect counts too
    finally:
        uvicorn_errors.removeHandler(caplog.handler)
    [record] = [r for r in caplog.records if "disconnected" in r.getMessage()]
    assert record.levelno == logging.INFO
    assert record.getMessage() == (
        "client disconnected before sending the whole body of POST /api/v1/entries"
    )
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == []
    assert [r for r in caplog.records if r.exc_info] == []


@pytest.mark.parametrize(
    ("body", "key"),
    [
        ('{"date": "2026-11-23", "title": "a", "title": "b", "minutes": 30}', "title"),
        ('{"date": "2026-11-23", "title": "a", "minutes": 30, "minutes": 30}', "minutes"),
        ('{"date": "2026-11-23", "title": "a", "minutes": 30, "x": {"k": 1, "k": 2}}', "k"),
    ],
)
@pytest.mark.parametrize("method", ["POST", "PATCH"])
def test_a_key_sent_twice_is_refused_naming_it(
    shared_client: httpx.Client,
    expect_problem: ExpectProblem,
    method: str,
    body: str,
    key: str,
) -> None:
    # JSON parsers disagree on which duplicate wins: refuse rather than guess.
    path = "/api/v1/entries" if method == "POST" else "/api/v1/entries/1"
    headers = {"content-type": "application/json"}
    response = shared_client.request(method, path, content=body, headers=headers)
    problem = expect_problem(response, 422, "validation-error", f"'{key}'", "more than once")
    assert problem["errors"] == [
        {
            "location": "body",
            "message": f"the key '{key}' appears more than once: send each key once",
            "type": "duplicate_key",
        }
    ]


def internal_model_names() -> set[str]:
    return {
        cls.__name__
        for module in (schemas, openapi)
        for cls in vars(module).values()
        if isinstance(cls, type) and issubclass(cls, BaseModel) and cls is not BaseModel
    }


@pytest.mark.parametrize(
    ("body", "kind"),
    [
        ("[]", "an array"),
        ('[{"date": "2026-11-23"}]', "an array"),
        ('"entry"', "a string"),
        ("42", "a number"),
        ("4.5", "a number"),
        ("true", "a boolean"),
        ("null", "null"),
    ],
)
@pytest.mark.parametrize("method", ["POST", "PATCH"])
def test_a_body_that_is_not_an_object_is_refused_without_naming_internal_models(
    shared_client: httpx.Client, expect_problem: ExpectProblem, method: str, body: str, kind: str
) -> None:
    path = "/api/v1/entries" if method == "POST" else "/api/v1/entries/1"
    headers = {"content-type": "application/json"}
    response = shared_client.request(method, path, content=body, headers=headers)
    problem = expect_problem(response, 422, "validation-error", "send a JSON object")
    assert problem["errors"][0]["message"] == f"send a JSON object, not {kind}"
    leaked = [name for name in internal_model_names() if name in response.text]
    assert leaked == []


def test_no_refusal_names_an_internal_model(shared_client: httpx.Client) -> None:
    names = internal_model_names()
    assert {"EntryCreate", "EntryPatch", "ProblemDetails"} <= names
    json_body = {"content-type": "application/json"}
    answers = [
        shared_client.post("/api/v1/entries", content=body, headers=json_body)
        for body in ("{}", '{"date": 1, "title": [], "minutes": {}}', '{"extra": 1}', "[]")
    ] + [
        shared_client.patch("/api/v1/entries/1", content=body, headers=json_body)
        for body in ("{}", '{"date": null}', '{"title": ""}', "[]")
    ] + [
        shared_client.get("/api/v1/entries/x"),
        shared_client.get("/api/v1/weeks/current", params={"tz": "x" * 200}),
    ]  # fmt: skip
    for response in answers:
        assert response.status_code == 422, response.text
        assert [name for name in names if name in response.text] == [], response.text
