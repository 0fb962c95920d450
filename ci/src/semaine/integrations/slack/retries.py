"""slack-sdk's retry handlers, bounded, counted, and with a sleep the tests can replace.

slack-sdk's handlers decide *whether* to retry (`_can_retry`: connection errors, 429,
500/503); these subclasses change only *how* the wait happens: through an injected
`sleep`, with `Retry-After` honoured exactly and refused when it asks for more than
`retry_after_cap_seconds` (a monitor run is never held for minutes by Slack), and with
every retry counted so a delivery can say how many attempts it took.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.http_retry.builtin_interval_calculators import BackoffRetryIntervalCalculator
from slack_sdk.http_retry.handler import RetryHandler

from semaine.integrations.retry import retry_after_seconds

if TYPE_CHECKING:
    from collections.abc import Callable

    from slack_sdk.http_retry.request import HttpRequest
    from slack_sdk.http_retry.response import HttpResponse
    from slack_sdk.http_retry.state import RetryState


@dataclass(frozen=True)
class SlackRetryPolicy:
    """How often and how long a Slack delivery is retried."""

    max_retries: int = 2
    """Retries after the first attempt, for each kind of failure (so at most 3 attempts)."""
    backoff_seconds: float = 0.5
    retry_after_cap_seconds: float = 30.0
    sleep: Callable[[float], None] = field(default=time.sleep, compare=False)


@dataclass
class RetryTally:
    """The retry handlers of one delivery, and how many retries they made."""

    policy: SlackRetryPolicy
    retries: int = 0

    def handlers(self) -> list[RetryHandler]:
        """Return slack-sdk handlers for connection errors, 429 and 500/503, bounded."""
        return [_Connection(self), _RateLimit(self), _ServerError(self)]

    def wait_then_retry(self, state: RetryState, seconds: float) -> None:
        """Sleep, count the retry, and tell slack-sdk to send the request again."""
        state.next_attempt_requested = True
        self.policy.sleep(seconds)
        self.retries += 1
        state.increment_current_attempt()


def _intervals(policy: SlackRetryPolicy) -> BackoffRetryIntervalCalculator:
    return BackoffRetryIntervalCalculator(backoff_factor=policy.backoff_seconds)


class _Counted(RetryHandler):
    """A handler bounded by the policy that waits with backoff and counts each retry."""

    def __init__(self, tally: RetryTally) -> None:
        super().__init__(tally.policy.max_retries, _intervals(tally.policy))
        self.tally = tally

    def prepare_for_next_attempt(
        self,
        *,
        state: RetryState,
        request: HttpRequest,  # noqa: ARG002 - slack-sdk's signature
        response: HttpResponse | None = None,  # noqa: ARG002
        error: Exception | None = None,  # noqa: ARG002
    ) -> None:
        """Wait the backoff for this attempt, then retry."""
        wait = self.interval_calculator.calculate_sleep_duration(state.current_attempt)
        self.tally.wait_then_retry(state, wait)


class _Connection(_Counted, ConnectionErrorRetryHandler):
    """Connection errors, retried with backoff."""


class _ServerError(_Counted, ServerErrorRetryHandler):
    """500 and 503, retried with backoff."""


class _RateLimit(_Counted, RateLimitErrorRetryHandler):
    """429, retried after the wait its Retry-After asks for, unless that is over the cap."""

    def _can_retry(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        if not super()._can_retry(state=state, request=request, response=response, error=error):
            return False
        return _asked_wait(response) <= self.tally.policy.retry_after_cap_seconds

    def prepare_for_next_attempt(
        self,
        *,
        state: RetryState,
        request: HttpRequest,  # noqa: ARG002 - slack-sdk's signature
        response: HttpResponse | None = None,
        error: Exception | None = None,  # noqa: ARG002
    ) -> None:
        self.tally.wait_then_retry(state, _asked_wait(response))


def _asked_wait(response: HttpResponse | None) -> float:
    """Return the wait a 429's `Retry-After` asks for (1 s when it says nothing usable)."""
    headers = response.headers if response is not None else {}
    for name, values in headers.items():
        value = values[0] if isinstance(values, list) and values else values
        if name.lower() == "retry-after" and isinstance(value, str):
            asked = retry_after_seconds(value)
            if asked is not None:
                return asked
    return 1.0
