"""Slack: post alerts through an incoming webhook (slack-sdk), with Block Kit helpers."""

from semaine.integrations.slack.blocks import context, escape, fields, header, section, truncate
from semaine.integrations.slack.retries import SlackRetryPolicy
from semaine.integrations.slack.webhook import SLACK_RETRY_POLICY, SlackDelivery, post_to_slack

__all__ = [
    "SLACK_RETRY_POLICY",
    "SlackDelivery",
    "SlackRetryPolicy",
    "context",
    "escape",
    "fields",
    "header",
    "post_to_slack",
    "section",
    "truncate",
]
