"""post_to_slack against the webhook stand-in: every answer of the contract, no raise.

Waits go through the policy's injected sleep, so nothing here waits for Retry-After;
the number of attempts is read from the stand-in's recorded requests.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import pytest

from semaine.integrations.slack import (
    SlackDelivery,
    SlackRetryPolicy,
    context,
    header,
    post_to_slack,
    section,
)
from tests.standins.slack import WEBHOOK_PATH

if TYPE_CHECKING:
    from tests.standins.slack import SlackStandIn

BLOCKS = [header("production: health is down"), section("*health* 503"), context("release v42")]
SECRET = WEBHOOK_PATH.rsplit("/", 1)[1]


def post(slack: SlackStandIn, waits: list[float], **options: float) -> SlackDelivery:
    policy = SlackRetryPolicy(sleep=waits.append, **options)  # type: ignore[arg-type]
    return post_to_slack(slack.url, "production: health is down", BLOCKS, policy=policy)


def assert_no_secret(delivery: SlackDelivery) -> None:
    assert SECRET not in delivery.detail
    assert "/services/" not in delivery.detail


def test_200_ok_is_delivered_with_the_text_and_blocks(slack: SlackStandIn) -> None:
    delivery = post(slack, [])

    assert delivery == SlackDelivery(delivered=True, status=200, detail="ok", attempts=1)
    assert slack.payloads == [{"text": "production: health is down", "blocks": BLOCKS}]
    assert slack.violations == []


@pytest.mark.parametrize(
    ("status", "body", "meaning"),
    [
        (400, "invalid_payload", "malformed"),
        (403, "invalid_token", "create a new incoming webhook"),
        (404, "no_service", "no longer exists"),
        (410, "channel_is_archived", "archived"),
    ],
)
def test_permanent_refusals_are_reported_once_without_retry(
    slack: SlackStandIn, status: int, body: str, meaning: str
) -> None:
    slack.fail(status, times=3)
    waits: list[float] = []

    delivery = post(slack, waits)

    assert (delivery.delivered, delivery.status, delivery.attempts) == (False, status, 1)
    assert body in delivery.detail
    assert meaning in delivery.detail
    assert_no_secret(delivery)
    assert (len(slack.requests), waits) == (1, [])


def test_429_waits_as_retry_after_asks_then_delivers(slack: SlackStandIn) -> None:
    slack.fail(429, headers={"Retry-After": "7"})
    waits: list[float] = []

    delivery = post(slack, waits)

    assert (delivery.delivered, delivery.attempts, waits) == (True, 2, [7.0])
    assert len(slack.requests) == 2


def test_429_every_time_gives_up_after_the_bounded_retries(slack: SlackStandIn) -> None:
    slack.fail(429, times=10, headers={"Retry-After": "1"})
    waits: list[float] = []

    delivery = post(slack, waits, max_retries=2)

    assert (delivery.delivered, delivery.status, delivery.attempts) == (False, 429, 3)
    assert "rate limiting" in delivery.detail
    assert (len(slack.requests), waits) == (3, [1.0, 1.0])


def test_a_retry_after_past_the_cap_is_not_waited_for(slack: SlackStandIn) -> None:
    slack.fail(429, headers={"Retry-After": "3600"})
    waits: list[float] = []

    delivery = post(slack, waits, retry_after_cap_seconds=30)

    assert (delivery.status, delivery.attempts, waits, len(slack.requests)) == (429, 1, [], 1)


@pytest.mark.parametrize("status", [500, 503])
def test_a_server_error_is_retried_then_delivered(slack: SlackStandIn, status: int) -> None:
    slack.fail(status, times=2)
    waits: list[float] = []

    delivery = post(slack, waits, max_retries=2)

    assert (delivery.delivered, delivery.attempts, len(slack.requests)) == (True, 3, 3)
    assert len(waits) == 2


def test_server_errors_beyond_the_retries_are_reported(slack: SlackStandIn) -> None:
    slack.fail(500, times=5)

    delivery = post(slack, [], max_retries=1)

    assert (delivery.delivered, delivery.status, delivery.attempts) == (False, 500, 2)
    assert "rollup_error" in delivery.detail
    assert "slack-status.com" in delivery.detail
    assert len(slack.requests) == 2


def test_a_502_is_not_retried(slack: SlackStandIn) -> None:
    slack.fail(502, times=3)

    delivery = post(slack, [])

    assert (delivery.status, delivery.attempts, len(slack.requests)) == (502, 1, 1)


def test_an_unknown_webhook_path_is_no_service(slack: SlackStandIn) -> None:
    url = slack.base_url + "/services/T0/B0/deleted-webhook-secret"

    delivery = post_to_slack(url, "hello", BLOCKS)

    assert (delivery.status, delivery.delivered) == (404, False)
    assert "no_service" in delivery.detail
    assert "deleted-webhook-secret" not in delivery.detail


def test_slack_unreachable_is_retried_then_reported_without_the_url(
    refused_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    url = f"{refused_url}/services/T0/B0/unreachable-webhook-secret"
    waits: list[float] = []
    caplog.set_level(logging.DEBUG)

    delivery = post_to_slack(url, "hello", BLOCKS, policy=SlackRetryPolicy(sleep=waits.append))

    assert (delivery.delivered, delivery.status, delivery.attempts) == (False, None, 3)
    assert "cannot reach Slack" in delivery.detail
    assert len(waits) == 2
    assert "unreachable-webhook-secret" not in delivery.detail
    assert "unreachable-webhook-secret" not in caplog.text
    assert caplog.records  # slack-sdk did log the failures: scrubbed, not silenced


def test_a_hung_slack_is_a_timeout_reported_not_a_hung_run(slack: SlackStandIn) -> None:
    slack.stall()

    delivery = post_to_slack(slack.url, "hello", BLOCKS, timeout_seconds=1)

    assert (delivery.delivered, delivery.status, delivery.attempts) == (False, None, 1)
    assert "did not answer within 1 s" in delivery.detail
    assert len(slack.requests) == 1  # a post may have landed: a timeout is not retried
    assert_no_secret(delivery)


def test_a_slow_answer_within_the_timeout_is_delivered(slack: SlackStandIn) -> None:
    slack.delay(0.2)

    assert post_to_slack(slack.url, "hello", BLOCKS, timeout_seconds=5).delivered


@pytest.mark.parametrize(
    "url",
    ["http://hooks.slack.com/services/T/B/plain-http-secret", "not a url", "", "ftp://x/y"],
)
def test_an_unusable_address_is_refused_without_a_request(url: str) -> None:
    delivery = post_to_slack(url, "hello", BLOCKS)

    assert (delivery.delivered, delivery.status, delivery.attempts) == (False, None, 0)
    assert "https" in delivery.detail
    assert "plain-http-secret" not in delivery.detail


def test_text_is_escaped_and_kept_within_slacks_limit(slack: SlackStandIn) -> None:
    delivery = post_to_slack(slack.url, "p95 > 500 ms " * 1000, BLOCKS)

    text = slack.payloads[0]["text"]
    assert delivery.delivered
    assert len(text) == 4000
    assert text.startswith("p95 &gt; 500 ms")
    assert slack.violations == []


def test_debug_logging_never_shows_the_webhook_url(
    slack: SlackStandIn, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    slack.fail(503)

    post(slack, [])

    assert SECRET not in caplog.text
