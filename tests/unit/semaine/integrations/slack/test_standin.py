"""The Slack stand-in refuses payloads the webhook contract does not allow."""

from __future__ import annotations

from typing import TYPE_CHECKING

import httpx
import pytest

from tests.standins.slack import payload_problems

if TYPE_CHECKING:
    from tests.standins.slack import SlackStandIn

GOOD = {"text": "hi", "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "hi"}}]}


def test_a_good_payload_is_ok(slack: SlackStandIn) -> None:
    answer = httpx.post(slack.url, json=GOOD)
    assert (answer.status_code, answer.text) == (200, "ok")
    assert slack.payloads == [GOOD]


def test_a_body_that_is_not_json_is_invalid_payload(slack: SlackStandIn) -> None:
    answer = httpx.post(slack.url, content=b"{", headers={"Content-Type": "application/json"})
    assert (answer.status_code, answer.text) == (400, "invalid_payload")
    assert slack.violations == ["the body is not JSON"]


def test_an_unknown_webhook_is_no_service(slack: SlackStandIn) -> None:
    answer = httpx.post(slack.base_url + "/services/T/B/other", json=GOOD)
    assert (answer.status_code, answer.text) == (404, "no_service")


@pytest.mark.parametrize(
    ("payload", "problem"),
    [
        ({"blocks": GOOD["blocks"]}, "no text"),
        ({"text": "hi"}, "no blocks"),
        ({**GOOD, "channel": "#ops"}, "channel"),
        ({**GOOD, "text": "x" * 4001}, "over 4000"),
        (
            {
                "text": "hi",
                "blocks": [{"type": "header", "text": {"type": "plain_text", "text": "h" * 151}}],
            },
            "over 150",
        ),
        (
            {"text": "hi", "blocks": [{"type": "header", "text": {"type": "mrkdwn", "text": "h"}}]},
            "plain_text",
        ),
        (
            {
                "text": "hi",
                "blocks": [{"type": "section", "fields": [{"type": "mrkdwn", "text": "f"}] * 11}],
            },
            "11 fields",
        ),
        ({"text": "hi", "blocks": [{"type": "context", "elements": []}]}, "context elements"),
        ({"text": "hi", "blocks": [{"text": "untyped"}]}, "with a type"),
        ({"text": "hi", "blocks": GOOD["blocks"] * 51}, "51 blocks"),
    ],
)
def test_payloads_breaking_the_contract_are_named(payload: object, problem: str) -> None:
    assert any(problem in said for said in payload_problems(payload))


def test_a_bad_payload_is_answered_invalid_blocks_and_recorded(slack: SlackStandIn) -> None:
    answer = httpx.post(slack.url, json={"text": "hi"})
    assert (answer.status_code, answer.text) == (400, "invalid_blocks")
    assert slack.violations == ["no blocks"]


def test_scripted_failures_answer_in_order_then_ok(slack: SlackStandIn) -> None:
    slack.fail(429, headers={"Retry-After": "3"})
    slack.fail(503)
    first, second, third = (httpx.post(slack.url, json=GOOD) for _ in range(3))
    assert (first.status_code, first.headers["Retry-After"], first.text) == (
        429,
        "3",
        "rate_limited",
    )
    assert (second.status_code, third.status_code) == (503, 200)
