"""The declared retry policy: what it retries, and that its waits are bounded.

The waits are the sleeps tenacity asks for (its `sleep` is injected): nothing here sleeps.
"""

from __future__ import annotations

from dataclasses import FrozenInstanceError, replace
from datetime import UTC, datetime
from itertools import pairwise

import httpx
import pytest

from semaine.integrations.retry import (
    RETRY_POLICY,
    RetryPolicy,
    rate_limit_reset_seconds,
    retry_after_seconds,
)

POLICY = RETRY_POLICY


def answering(*statuses: int, headers: dict[str, str] | None = None) -> list[httpx.Response]:
    return [httpx.Response(status, headers=headers) for status in statuses]


def run(policy: RetryPolicy, method: str, answers: list[httpx.Response]) -> tuple[int, list[float]]:
    """Return the last status and the waits asked for, answering from `answers`."""
    waits: list[float] = []
    calls = iter(answers)
    last: httpx.Response = policy.retrying(method, sleep=waits.append)(lambda: next(calls))
    return last.status_code, waits


def test_the_policy_is_frozen_data() -> None:
    with pytest.raises(FrozenInstanceError):
        POLICY.attempts = 10  # type: ignore[misc]
    assert RetryPolicy() == POLICY


@pytest.mark.parametrize("method", ["GET", "HEAD", "PUT", "DELETE", "get"])
def test_idempotent_methods_are_retried_on_5xx(method: str) -> None:
    status, waits = run(POLICY, method, answering(502, 503, 504, 200))
    assert (status, len(waits)) == (200, 3)


@pytest.mark.parametrize("method", ["POST", "PATCH"])
def test_post_and_patch_are_not_retried_on_5xx(method: str) -> None:
    assert run(POLICY, method, answering(503, 200)) == (503, [])


@pytest.mark.parametrize("status", [400, 401, 404, 422, 501])
def test_answers_that_will_not_change_are_not_retried(status: int) -> None:
    assert run(POLICY, "GET", answering(status, 200)) == (status, [])


def test_the_waits_back_off_with_bounded_jitter() -> None:
    status, waits = run(POLICY, "GET", answering(*[503] * POLICY.attempts))

    assert status == 503
    assert len(waits) == POLICY.attempts - 1
    for retry, wait in enumerate(waits):
        base = min(POLICY.backoff_seconds * 2**retry, POLICY.backoff_max_seconds)
        assert base <= wait <= min(base + POLICY.jitter_seconds, POLICY.backoff_max_seconds)
    assert sum(waits) <= POLICY.total_wait_seconds


def test_the_total_wait_is_capped_whatever_the_attempts() -> None:
    patient = replace(POLICY, attempts=100)
    status, waits = run(patient, "GET", answering(*[503] * 100))

    assert status == 503
    assert sum(waits) <= patient.total_wait_seconds
    assert len(waits) < 99  # stopped by the cap, not by the attempts
    assert max(waits) <= patient.backoff_max_seconds


def test_retry_after_is_honoured_and_a_wait_past_the_cap_is_not_taken() -> None:
    assert run(POLICY, "GET", answering(429, 200, headers={"Retry-After": "7"})) == (200, [7.0])
    too_long = str(int(POLICY.total_wait_seconds) + 1)
    assert run(POLICY, "GET", answering(429, 200, headers={"Retry-After": too_long})) == (429, [])


def test_an_empty_rate_limit_budget_waits_longer() -> None:
    policy = replace(POLICY, jitter_seconds=0)
    _, plain = run(policy, "POST", answering(429, 429, 200))
    _, empty = run(policy, "POST", answering(429, 429, 200, headers={"RateLimit-Remaining": "0"}))
    assert plain == [1.0, 2.0]
    assert empty == [4.0, 8.0]


def calls_until_given_up(policy: RetryPolicy, method: str, error: Exception) -> int:
    """Return how many times `method` was sent when every attempt raises `error`."""
    calls: list[int] = []

    def failing() -> httpx.Response:
        calls.append(1)
        raise error

    with pytest.raises(type(error)):
        policy.retrying(method, sleep=lambda _seconds: None)(failing)
    return len(calls)


@pytest.mark.parametrize("method", ["GET", "POST", "PATCH"])
def test_connection_errors_are_retried_for_any_method(method: str) -> None:
    refused = httpx.ConnectError("[Errno 111] Connection refused")
    assert calls_until_given_up(POLICY, method, refused) == POLICY.attempts


@pytest.mark.parametrize(("method", "attempts"), [("GET", POLICY.attempts), ("POST", 1)])
def test_a_timeout_after_sending_is_retried_only_when_idempotent(
    method: str, attempts: int
) -> None:
    assert calls_until_given_up(POLICY, method, httpx.ReadTimeout("timed out")) == attempts


def test_retry_after_may_be_an_http_date() -> None:
    now = datetime(2015, 10, 21, 7, 27, 30, tzinfo=UTC)
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT", now) == 30.0
    assert retry_after_seconds("Wed, 21 Oct 2015 07:00:00 GMT", now) == 0.0
    assert retry_after_seconds("soon", now) is None
    assert retry_after_seconds("", now) is None


@pytest.mark.parametrize("change", [{"attempts": 0}, {"total_wait_seconds": -1.0}])
def test_a_nonsensical_policy_is_refused(change: dict[str, float]) -> None:
    with pytest.raises(ValueError, match="retry policy"):
        replace(POLICY, **change)


def test_doubling_is_the_backoff() -> None:
    _, waits = run(replace(POLICY, jitter_seconds=0), "GET", answering(500, 500, 500, 200))
    assert all(later == 2 * earlier for earlier, later in pairwise(waits))


GITHUB_LIKE = replace(
    POLICY,
    jitter_seconds=0,
    quota_statuses=frozenset({403}),
    remaining_header="x-ratelimit-remaining",
    reset_header="x-ratelimit-reset",
)


def test_a_quota_status_without_rate_limit_headers_is_a_refusal_not_retried() -> None:
    assert run(GITHUB_LIKE, "GET", answering(403, 200)) == (403, [])


@pytest.mark.parametrize(
    "headers", [{"x-ratelimit-remaining": "0"}, {"retry-after": "2", "x-ratelimit-remaining": "7"}]
)
def test_a_quota_status_that_says_rate_limited_is_retried(headers: dict[str, str]) -> None:
    status, waits = run(GITHUB_LIKE, "POST", answering(403, 201, headers=headers))
    assert (status, len(waits)) == (201, 1)


def test_a_spent_budget_is_waited_for_until_its_reset() -> None:
    reset = int(datetime.now(UTC).timestamp()) + 40
    headers = {"x-ratelimit-remaining": "0", "x-ratelimit-reset": str(reset)}
    status, waits = run(GITHUB_LIKE, "GET", answering(429, 200, headers=headers))
    assert status == 200
    assert 35 < waits[0] <= 40


def test_a_reset_past_the_total_wait_gives_up_at_once() -> None:
    reset = int(datetime.now(UTC).timestamp()) + 3600
    headers = {"x-ratelimit-remaining": "0", "x-ratelimit-reset": str(reset)}
    assert run(GITHUB_LIKE, "GET", answering(403, 200, headers=headers)) == (403, [])


def test_the_default_policy_ignores_quota_statuses() -> None:
    headers = {"RateLimit-Remaining": "0"}
    assert run(replace(POLICY, jitter_seconds=0), "GET", answering(403, 200, headers=headers)) == (
        403,
        [],
    )


@pytest.mark.parametrize(("value", "expected"), [("1000", 0.0), ("1060", 60.0), ("soon", None)])
def test_rate_limit_reset_seconds_reads_epoch_seconds(value: str, expected: float | None) -> None:
    assert rate_limit_reset_seconds(value, now=1000.0) == expected
    assert rate_limit_reset_seconds("10", now=1000.0) == 0.0  # a past reset waits nothing
