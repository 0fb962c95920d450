"""The served app (over its own throwaway database, shared by the modules) and a fault proxy."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import anyio
import pytest

from app.db.seed import seed_entries
from app.weeks import DEFAULT_TIME_ZONE, Week
from semaine.environments import Monitoring
from semaine.monitoring.checks.base import Target
from semaine.monitoring.probe import Prober
from semaine.monitoring.retest import checked
from tests.fault_proxy import FaultProxy
from tests.monitor_scenario import Scenario
from tests.paths import ROOT
from tests.served_app import served_app_blocking

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from pathlib import Path

    from semaine.monitoring.checks.base import Check, Measured
    from tests.standins.github import GitHubStandIn
    from tests.standins.slack import SlackStandIn


@pytest.fixture(scope="session")
def served(session_database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Serve the app over a database holding a few weeks of entries; yield its URL.

    One app for every monitoring module (each worker's session): the checks only read,
    and starting it (a migration process, then the server's) costs seconds per start.
    """
    today = datetime.now(ZoneInfo(DEFAULT_TIME_ZONE)).date()
    this_week = Week.from_date(today)
    seed_entries(session_database_url, 60, this_week.previous().previous(), this_week.next())
    log = tmp_path_factory.mktemp("app") / "app.log"
    with served_app_blocking(ROOT, session_database_url, log) as url:
        yield url


@pytest.fixture
def proxy(served: str) -> Iterator[FaultProxy]:
    """Give a fault proxy in front of the served app (no fault until a test adds one)."""
    with FaultProxy(served) as started:
        yield started


def measure_once(
    check: Check,
    url: str,
    *,
    database_url: str | None = None,
    monitoring: Monitoring | None = None,
    retests: int = 0,
) -> Measured:
    """Measure `check` against `url` as a run would, with `retests` and no pause."""

    async def measure() -> Measured:
        now = datetime.now(UTC)
        async with Prober(url) as prober:
            target = Target(
                base_url=url,
                prober=prober,
                monitoring=monitoring or Monitoring(),
                now=now,
                today=now.astimezone(ZoneInfo(DEFAULT_TIME_ZONE)).date(),
                database_url=database_url,
            )
            return await checked(check, target, retests=retests, pause_seconds=0)

    return anyio.run(measure)


@pytest.fixture
def measure() -> Callable[..., Measured]:
    """Give `measure_once`: measure a check as a run does (tests call it with their faults)."""
    return measure_once


@pytest.fixture
def slack(slack: SlackStandIn, slack_waits: list[float]) -> SlackStandIn:  # noqa: ARG001
    """Give the Slack stand-in; the monitor's deliveries record their retry waits, not sleep."""
    return slack


@pytest.fixture
def scenario(
    tmp_path: Path,
    proxy: FaultProxy,
    slack: SlackStandIn,
    github: GitHubStandIn,
    monkeypatch: pytest.MonkeyPatch,
) -> Scenario:
    """Give a monitored project alerting the Slack and GitHub stand-ins, configured."""
    monkeypatch.setenv("SLACK_WEBHOOK_URL", slack.url)
    monkeypatch.setenv("GITHUB_TOKEN", github.token)
    project = Scenario(tmp_path, proxy, slack, github)
    project.configure()
    return project
