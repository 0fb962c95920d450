"""Property: whatever the path or body, the API answers < 500, and 4xx as problem+json."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

if TYPE_CHECKING:
    import httpx

pytestmark = pytest.mark.integration

FUZZ = settings(
    max_examples=200,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
TEMPLATES = (
    "/api/v1/weeks/{}",
    "/api/v1/weeks/{}/entries",
    "/api/v1/dates/{}/week",
    "/api/v1/months/{}",
    "/api/v1/entries/{}",
    "/weeks/{}",
)
# Near-misses of the real formats find more interesting branches than random text alone.
shaped = st.from_regex(r"[0-9]{1,5}-[W0-9]{1,3}(-[0-9]{1,2})?", fullmatch=True)
segments = st.one_of(st.text(), shaped, st.integers().map(str))
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=12,
)
entry_like = st.fixed_dictionaries(
    {},
    optional={
        "date": st.one_of(json_values, shaped, st.dates().map(str)),
        "title": st.one_of(json_values, st.text(max_size=250)),
        "minutes": st.one_of(json_values, st.integers(-5, 1500)),
    },
)
bodies = st.one_of(json_values, entry_like, entry_like.map(lambda d: {**d, "extra": 1}))


def assert_sound(response: httpx.Response) -> None:
    assert response.status_code < 500, (response.request.url, response.text)
    if response.status_code >= 400:
        kind = response.headers["content-type"]
        assert kind in {"application/problem+json", "text/html; charset=utf-8"}, kind
        if kind == "application/problem+json":
            body = response.json()
            assert body["status"] == response.status_code
            assert body["detail"]


@FUZZ
@given(template=st.sampled_from(TEMPLATES), segment=segments, keep_slashes=st.booleans())
def test_any_path_segment_is_answered_soundly(
    client: httpx.Client, template: str, segment: str, *, keep_slashes: bool
) -> None:
    path = template.format(quote(segment, safe="/" if keep_slashes else ""))
    response = client.get(path)
    assert_sound(response)
    if template.startswith("/weeks/") and response.status_code >= 400:
        assert "/weeks/" in response.text


@FUZZ
@given(zone=st.text())
def test_any_time_zone_is_answered_soundly(client: httpx.Client, zone: str) -> None:
    assert_sound(client.get("/api/v1/weeks/current", params={"tz": zone}))


@FUZZ
@given(body=bodies, patch_target=st.sampled_from(["1", "2", "999"]))
def test_any_json_body_is_answered_soundly(
    client: httpx.Client, body: Any, patch_target: str
) -> None:
    content = json.dumps(body)
    headers = {"content-type": "application/json"}
    created = client.post("/api/v1/entries", content=content, headers=headers)
    assert_sound(created)
    assert created.status_code in {201, 400, 413, 422}
    patched = client.patch(f"/api/v1/entries/{patch_target}", content=content, headers=headers)
    assert_sound(patched)


@FUZZ
@given(raw=st.binary(max_size=64))
def test_any_bytes_as_a_body_are_answered_soundly(client: httpx.Client, raw: bytes) -> None:
    headers = {"content-type": "application/json"}
    assert_sound(client.post("/api/v1/entries", content=raw, headers=headers))
