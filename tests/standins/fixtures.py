"""Pytest fixtures for the Slack and GitHub stand-ins (a plugin of tests/conftest.py)."""

from __future__ import annotations

import socket
from typing import TYPE_CHECKING

import pytest

from semaine.integrations.slack import SlackRetryPolicy, webhook
from tests.standins.github import GitHubStandIn
from tests.standins.slack import SlackStandIn

if TYPE_CHECKING:
    from collections.abc import Iterator

# slack-sdk copies these into its client and ignores NO_PROXY: a test reaching the
# stand-in on 127.0.0.1 would be sent to the proxy.
PROXY_SETTINGS = ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy")


@pytest.fixture
def slack(monkeypatch: pytest.MonkeyPatch) -> Iterator[SlackStandIn]:
    """Give a running Slack webhook stand-in (its `.url` is the webhook URL)."""
    for name in PROXY_SETTINGS:
        monkeypatch.delenv(name, raising=False)
    with SlackStandIn() as standin:
        yield standin


@pytest.fixture
def slack_waits(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Make every Slack delivery naming no policy (the verbs') record its retry waits, not sleep."""
    waits: list[float] = []
    monkeypatch.setattr(webhook, "SLACK_RETRY_POLICY", SlackRetryPolicy(sleep=waits.append))
    return waits


@pytest.fixture
def github(monkeypatch: pytest.MonkeyPatch) -> Iterator[GitHubStandIn]:
    """Give a running GitHub stand-in, with GITHUB_API_URL pointing at it as Actions would."""
    with GitHubStandIn() as standin:
        monkeypatch.setenv("GITHUB_API_URL", standin.url)
        yield standin


@pytest.fixture
def refused_url() -> str:
    """Give an http URL on a local port that was free a moment ago: connecting is refused."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"
