"""The one retry policy of every integration: declared as data, run by tenacity."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from functools import partial
from typing import TYPE_CHECKING

import httpx
import tenacity

if TYPE_CHECKING:
    from collections.abc import Callable

IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
"""RFC 9110's idempotent methods: sending one twice does no more than sending it once."""


@dataclass(frozen=True)
class RetryPolicy:
    """Which failures are tried again, how many times, and how long semaine waits between.

    Any method is retried when the request never reached the service (the connection
    failed) or the service refused it for now (429). A server error (5xx) or a timeout
    after the request was sent is retried for idempotent methods only: a POST or PATCH
    may have taken effect, and sending it again could do it twice.

    Waits: the service's `Retry-After` when it sends one; else exponential backoff
    (`backoff_seconds`, doubling, at most `backoff_max_seconds`) plus a random jitter of
    up to `jitter_seconds`, times `empty_budget_factor` when a 429 says
    `RateLimit-Remaining: 0` (Heroku's bucket refills one request about every 0.8 s).
    A service that says when its budget refills (`reset_header`, epoch seconds, with
    `remaining_header` at 0: GitHub's `x-ratelimit-reset`) is waited for until then.
    A status in `quota_statuses` (GitHub's 403) is a rate limit, and retried as one, only
    when the answer says so (a `Retry-After`, or `remaining_header` at 0); otherwise it
    is a refusal that will not change. Semaine stops instead of waiting when the waits
    would add up to more than `total_wait_seconds`, so a run is never held by a service
    asking for patience.

    Every integration over httpx uses `RETRY_POLICY` (GitHub's with its rate-limit
    headers declared). Slack goes through slack-sdk and uses its retry handlers
    (`semaine.integrations.slack.retries`) instead of this policy.
    """

    attempts: int = 5
    backoff_seconds: float = 1.0
    backoff_max_seconds: float = 20.0
    jitter_seconds: float = 1.0
    total_wait_seconds: float = 60.0
    empty_budget_factor: float = 4.0
    rate_limited_statuses: frozenset[int] = frozenset({429})
    quota_statuses: frozenset[int] = frozenset()
    remaining_header: str = "RateLimit-Remaining"
    reset_header: str = ""
    server_error_statuses: frozenset[int] = frozenset({500, 502, 503, 504})
    retried_for_any_method: tuple[type[Exception], ...] = (
        httpx.ConnectError,
        httpx.ConnectTimeout,
        httpx.PoolTimeout,
    )
    retried_when_idempotent: tuple[type[Exception], ...] = (
        httpx.TimeoutException,
        httpx.NetworkError,
        httpx.RemoteProtocolError,
    )
    idempotent_methods: frozenset[str] = IDEMPOTENT_METHODS

    def __post_init__(self) -> None:
        if self.attempts < 1:
            message = f"a retry policy needs at least 1 attempt, not {self.attempts}"
            raise ValueError(message)
        waits = (self.backoff_seconds, self.backoff_max_seconds, self.jitter_seconds)
        if min(*waits, self.total_wait_seconds, self.empty_budget_factor) < 0:
            message = "a retry policy's waits and factors must be >= 0"
            raise ValueError(message)

    def retrying(
        self, method: str, *, sleep: Callable[[float], None] = time.sleep
    ) -> tenacity.Retrying:
        """Return tenacity's retry loop for one request of `method` under this policy."""
        idempotent = method.upper() in self.idempotent_methods
        return tenacity.Retrying(
            retry=tenacity.retry_if_exception(partial(_retried_error, self, idempotent))
            | tenacity.retry_if_result(partial(_retried_response, self, idempotent)),
            wait=partial(_wait, self),
            stop=tenacity.stop_any(
                tenacity.stop_after_attempt(self.attempts), _PastTotalWait(self.total_wait_seconds)
            ),
            sleep=sleep,
            # Out of attempts: hand back the last answer (the caller names the status),
            # or raise the last transport error as it is.
            retry_error_callback=_last_outcome,
        )


RETRY_POLICY = RetryPolicy()
"""The policy every integration uses unless a test declares a faster one."""


def retry_after_seconds(value: str, now: datetime | None = None) -> float | None:
    """Return a `Retry-After` header (seconds or an HTTP date) as seconds; None when unusable."""
    text = value.strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def rate_limit_reset_seconds(value: str, now: float | None = None) -> float | None:
    """Return the seconds until a rate-limit reset given as epoch seconds; None when unusable."""
    text = value.strip()
    if not text.isdigit():
        return None
    return max(0.0, int(text) - (time.time() if now is None else now))


def says_rate_limited(policy: RetryPolicy, response: httpx.Response) -> bool:
    """Tell whether an answer is a rate limit under `policy` (not a refusal that stays)."""
    if response.status_code in policy.rate_limited_statuses:
        return True
    if response.status_code not in policy.quota_statuses:
        return False
    spent = response.headers.get(policy.remaining_header, "").strip() == "0"
    return spent or retry_after_seconds(response.headers.get("Retry-After", "")) is not None


def _retried_error(policy: RetryPolicy, idempotent: bool, error: BaseException) -> bool:  # noqa: FBT001 - bound by partial
    if isinstance(error, policy.retried_for_any_method):
        return True
    return idempotent and isinstance(error, policy.retried_when_idempotent)


def _retried_response(policy: RetryPolicy, idempotent: bool, response: httpx.Response) -> bool:  # noqa: FBT001 - bound by partial
    if says_rate_limited(policy, response):
        return True
    return idempotent and response.status_code in policy.server_error_statuses


def _wait(policy: RetryPolicy, state: tenacity.RetryCallState) -> float:
    backoff = tenacity.wait_exponential_jitter(
        multiplier=policy.backoff_seconds,
        max=policy.backoff_max_seconds,
        jitter=policy.jitter_seconds,
    )(state)
    outcome = state.outcome
    if outcome is None or outcome.failed:
        return backoff
    response: httpx.Response = outcome.result()
    asked = retry_after_seconds(response.headers.get("Retry-After", ""))
    if asked is not None:
        return asked
    empty = response.headers.get(policy.remaining_header, "").strip() == "0"
    if empty and policy.reset_header:
        until_reset = rate_limit_reset_seconds(response.headers.get(policy.reset_header, ""))
        if until_reset is not None:
            return until_reset
    if response.status_code in policy.rate_limited_statuses and empty:
        return backoff * policy.empty_budget_factor
    return backoff


class _PastTotalWait(tenacity.stop.stop_base):
    """Stop before a wait that would take the waiting so far past `limit` seconds."""

    def __init__(self, limit: float) -> None:
        self.limit = limit

    def __call__(self, retry_state: tenacity.RetryCallState) -> bool:
        return retry_state.idle_for + retry_state.upcoming_sleep > self.limit


def _last_outcome(state: tenacity.RetryCallState) -> httpx.Response:
    assert state.outcome is not None, "tenacity stops only after an attempt"  # noqa: S101 - an invariant
    response: httpx.Response = state.outcome.result()
    return response
