"""Post a message to a Slack incoming webhook; report what happened, never raise for it.

slack-sdk's `WebhookClient` sends the request (stdlib urllib, TLS verified against the
default trust store, which honours `SSL_CERT_FILE`) and its retry handlers retry a
dropped connection, a 429 (after `Retry-After`) and a 500/503, a bounded number of
times. The webhook URL is a secret: it is scrubbed from every detail and from
slack-sdk's own log lines, and it never goes in an exception.
"""

from __future__ import annotations

import logging
import ssl
from dataclasses import dataclass
from http.client import HTTPException
from typing import TYPE_CHECKING, Any
from urllib.error import URLError
from urllib.parse import urlsplit

from slack_sdk.errors import SlackClientError
from slack_sdk.webhook import WebhookClient

from app.redaction import scrub
from semaine.integrations.slack.blocks import BLOCKS_MAX, TEXT_LIMIT, escape, truncate
from semaine.integrations.slack.retries import RetryTally, SlackRetryPolicy

if TYPE_CHECKING:
    from collections.abc import Mapping, Sequence

SLACK_RETRY_POLICY = SlackRetryPolicy()
"""The policy of a delivery whose caller names none, read at each delivery: a test posting
through a whole verb (`semaine monitor`) puts here one whose `sleep` does not wait."""
TIMEOUT_SECONDS = 10
STATUS_PAGE = "https://slack-status.com"
_LOOPBACK = frozenset({"127.0.0.1", "::1", "localhost"})
_SAID_LIMIT = 200
_OK = 200
_SERVER_ERRORS = 500
_MEANINGS = {
    400: "Slack refused the message as malformed; the alert is only in this run's report",
    403: "Slack forbids this webhook (revoked, or a workspace restriction);"
    " create a new incoming webhook and update the secret",
    404: "the webhook no longer exists (its app was removed or its creator left);"
    " create a new incoming webhook and update the secret",
    410: "the webhook's channel is archived; unarchive it or make a webhook for another channel",
    429: "Slack kept rate limiting; the alert is only in this run's report",
}
_LOGGER = logging.getLogger(__name__)


@dataclass(frozen=True)
class SlackDelivery:
    """What happened to one Slack message."""

    delivered: bool
    status: int | None
    """HTTP status of the last attempt; None when Slack was unreachable."""
    detail: str
    """`ok`, or what went wrong and what to do (never the webhook URL: it is a secret)."""
    attempts: int


def post_to_slack(
    webhook_url: str,
    text: str,
    blocks: Sequence[Mapping[str, Any]],
    *,
    policy: SlackRetryPolicy | None = None,
    timeout_seconds: int = TIMEOUT_SECONDS,
) -> SlackDelivery:
    """Post `text` (plain, escaped here) and `blocks`; never raise for Slack's failures."""
    refused = _refused_address(webhook_url)
    if refused:
        return SlackDelivery(delivered=False, status=None, detail=refused, attempts=0)
    tally = RetryTally(policy or SLACK_RETRY_POLICY)
    client = WebhookClient(
        webhook_url,
        timeout=timeout_seconds,
        ssl=ssl.create_default_context(),
        logger=_scrubbing_logger(webhook_url),
        retry_handlers=tally.handlers(),
    )
    message = truncate(escape(text), TEXT_LIMIT)
    try:
        response = client.send(text=message, blocks=[dict(b) for b in blocks[:BLOCKS_MAX]])
    except TimeoutError:
        detail = (
            f"Slack did not answer within {timeout_seconds} s (the message may have been"
            f" posted or not); retry later, see {STATUS_PAGE}"
        )
        return SlackDelivery(False, None, detail, 1 + tally.retries)  # noqa: FBT003 - positional like the fields
    except (OSError, HTTPException, SlackClientError, ValueError) as error:
        attempts = 1 + tally.retries
        said = scrub(_reason(error), webhook_url)
        detail = (
            f"cannot reach Slack ({_attempts(attempts)}): {said};"
            f" check the network (DNS, proxy, firewall), see {STATUS_PAGE}"
        )
        return SlackDelivery(False, None, detail, attempts)  # noqa: FBT003
    attempts = 1 + tally.retries
    status = response.status_code
    if status == _OK:
        return SlackDelivery(True, status, "ok", attempts)  # noqa: FBT003
    said = truncate(" ".join(scrub(response.body or "", webhook_url).split()), _SAID_LIMIT)
    return SlackDelivery(False, status, _failure(status, said, attempts), attempts)  # noqa: FBT003


def _failure(status: int, said: str, attempts: int) -> str:
    answer = f"Slack answered HTTP {status} {said!r} ({_attempts(attempts)})"
    if status in _MEANINGS:
        return f"{answer}: {_MEANINGS[status]}"
    if status >= _SERVER_ERRORS:
        return f"{answer}: Slack failed; retry later, see {STATUS_PAGE}"
    return f"{answer}: unexpected; check the webhook in Slack's app settings"


def _refused_address(url: str) -> str:
    """Return why a webhook address cannot be used, or an empty string."""
    what_to_do = "set the secret to the https://hooks.slack.com/services/... URL Slack gave"
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return f"the Slack webhook address is malformed; {what_to_do}"
    # Plain http only reaches a server on this machine (a stand-in): the URL is a secret.
    loopback = parts.scheme == "http" and parts.hostname in _LOOPBACK
    if not parts.hostname or not (parts.scheme == "https" or loopback):
        return f"the Slack webhook address is not an https URL; {what_to_do}"
    return ""


def _scrubbing_logger(webhook_url: str) -> logging.Logger:
    """Return a logger for slack-sdk that drops its debug lines and scrubs the URL."""
    # A Logger made directly is not registered: one per delivery, collected with it.
    # Its level matters: slack-sdk writes the URL in debug lines when level <= DEBUG.
    logger = logging.Logger(f"{__name__}.sdk", logging.WARNING)  # noqa: LOG001 - see above
    logger.parent = _LOGGER
    logger.addFilter(_Scrub(webhook_url))
    return logger


class _Scrub(logging.Filter):
    def __init__(self, secret: str) -> None:
        super().__init__()
        self.secret = secret

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = scrub(record.getMessage(), self.secret)
        record.args = None
        return True


def _reason(error: BaseException) -> str:
    cause = error.reason if isinstance(error, URLError) else error
    said = str(cause)
    return f"{type(cause).__name__}: {said}" if said else type(cause).__name__


def _attempts(count: int) -> str:
    return "1 attempt" if count == 1 else f"{count} attempts"
