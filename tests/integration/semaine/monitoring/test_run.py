"""Monitor runs against the served app, alerting the Slack and GitHub stand-ins.

Healthy, a blip, an incident from open to resolved, flapping, a worsening, late or doubled
runs, a maintenance window, the database stopped.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

import psycopg
import pytest

from semaine.executors.local.postgres import ThrowawayPostgres
from semaine.exit_status import ExitStatus
from tests.fault_proxy import FaultProxy
from tests.monitor_scenario import Scenario
from tests.paths import ROOT
from tests.served_app import served_app_blocking

if TYPE_CHECKING:
    from pathlib import Path

    from tests.standins.github import GitHubStandIn
    from tests.standins.slack import SlackStandIn

pytestmark = pytest.mark.integration
DOWN = ExitStatus.FAILED


def test_a_healthy_service_is_up_recorded_and_reported(
    scenario: Scenario, slack: SlackStandIn, github: GitHubStandIn
) -> None:
    assert scenario.run() == ExitStatus.DONE
    (run,) = scenario.history()
    assert run.state == "up"
    assert set(run.checks) == {"healthz", "readyz", "api", "calendar"}
    assert run.skipped == {
        "database": "no database URL given (--database-url)",
        "tls": "http:// URL: no TLS certificate to read",
    }
    assert run.release
    assert run.schema_revision == "0003_us16_contract"
    assert run.incidents == []
    report = scenario.report_json()
    assert report["exit_status"] == 0
    assert report["run"]["state"] == "up"
    markdown = (scenario.report / "report.md").read_text("utf-8")
    assert markdown.startswith("## 🟢 Monitor production: up (exit status 0)")
    assert "| tls | skipped |" in markdown
    assert slack.requests == []
    assert not [r for r in github.requests if r.method != "GET"], "nothing written"


def test_a_blip_within_a_run_is_retested_away(scenario: Scenario) -> None:
    scenario.proxy.fail("/readyz", 503, times=1)
    assert scenario.run() == ExitStatus.DONE
    assert scenario.history()[0].checks["readyz"].attempts == 2


def test_a_single_failing_run_pages_nobody(
    scenario: Scenario, slack: SlackStandIn, github: GitHubStandIn
) -> None:
    assert scenario.runs("/readyz", 1) == [DOWN]
    assert scenario.run() == ExitStatus.DONE
    assert [run.checks["readyz"].state for run in scenario.history()] == ["down", "up"]
    assert slack.requests == []
    assert github.issues.items == {}
    assert all(run.incidents == [] for run in scenario.history())


def test_an_incident_opens_once_then_resolves_with_its_duration(
    scenario: Scenario, slack: SlackStandIn, github: GitHubStandIn
) -> None:
    assert scenario.runs("/readyz", 3) == [DOWN, DOWN, DOWN]
    opened = [event for run in scenario.history() for event in run.incidents]
    assert [(e.check, e.event, e.state, e.alerted) for e in opened] == [
        ("readyz", "opened", "down", True)
    ]
    assert opened[0].opened_at == scenario.history()[0].started_at, "since the first failure"
    (issue,) = github.issues.items.values()
    assert issue.labels == ["incident", "production", "readyz"]
    assert issue.title == "production: readyz is down"
    assert "uv run semaine rollback --environment production --rollback-type application" in (
        issue.body or ""
    )
    assert "--confirm production" in (issue.body or "")
    assert opened[0].issue_url == f"https://github.com/{github.repo}/issues/{issue.number}"
    (alert,) = slack.payloads
    assert alert["blocks"][0]["text"]["text"] == "🔴 production: readyz is down"
    alert_text = str(alert["blocks"])
    assert "GET /readyz answered 503, expected 200" in alert_text
    assert "Running release" in alert_text
    assert "--rollback-type application" in alert_text

    assert [scenario.run(), scenario.run()] == [ExitStatus.DONE, ExitStatus.DONE]
    assert issue.state == "closed"
    assert issue.state_reason == "completed"
    assert issue.comments[-1].startswith("Resolved after ")
    assert scenario.slack_headers() == [
        "🔴 production: readyz is down",
        "✅ production: readyz recovered",
    ]
    assert "recovered after" in slack.payloads[-1]["text"]
    resolved = scenario.history()[-1].incidents
    assert [(e.event, e.alerted) for e in resolved] == [("resolved", True)]
    assert resolved[0].resolved_at == scenario.history()[-1].started_at
    assert github.violations == []
    assert slack.violations == []


def test_a_flapping_service_pages_once(
    scenario: Scenario, slack: SlackStandIn, github: GitHubStandIn
) -> None:
    for _ in range(3):  # down, up, down, up...: never two failures in a row
        scenario.runs("/readyz", 1)
        scenario.run()
    assert slack.requests == []
    scenario.runs("/readyz", 2)  # now an incident
    for _ in range(3):  # up, down, up, down: never two passes in a row
        scenario.run()
        scenario.runs("/readyz", 1)
    assert scenario.slack_headers() == ["🔴 production: readyz is down"]
    assert len(github.issues.items) == 1
    assert len(scenario.statuses) == 14


def test_a_degraded_incident_that_goes_down_is_commented_not_paged_again(
    scenario: Scenario,
    github: GitHubStandIn,
) -> None:
    # Every API answer comes no sooner than 0.1 s: a p95 over 50 ms whatever the machine.
    scenario.proxy.slow("/api/", 0.1)
    scenario.configure(api={"requests": 4, "p95_ms": 50}, retests=0)
    assert [scenario.run(), scenario.run()] == [DOWN, DOWN]
    scenario.proxy.clear()
    assert scenario.runs("/api/v1/months/", 1) == [DOWN]
    (issue,) = github.issues.items.values()
    assert issue.title == "production: api is degraded (too slow)"
    assert issue.comments[-1].startswith("Worsened: api is now **down**")
    assert scenario.slack_headers() == ["🟠 production: api is degraded (too slow)"]
    events = [(e.event, e.state) for run in scenario.history() for e in run.incidents]
    assert events == [("opened", "degraded"), ("worsened", "down")]


def test_a_doubled_or_late_run_never_opens_a_second_issue(
    scenario: Scenario, slack: SlackStandIn, github: GitHubStandIn
) -> None:
    assert scenario.runs("/readyz", 1) == [DOWN]
    before_second = scenario.copy_state("history-before")
    assert scenario.runs("/readyz", 1) == [DOWN]  # opens the incident
    # The same scheduled slot ran twice: the second read the history before the first wrote.
    scenario.proxy.fail("/readyz", 503)
    assert scenario.run(state=before_second) == DOWN
    # A run late by hours, whose history was lost: GitHub's open issue is the truth.
    assert scenario.run(state=scenario.root / "history-lost") == DOWN
    scenario.proxy.clear()
    assert len(github.issues.items) == 1
    assert len(slack.payloads) == 1
    # The late run, with no history, learnt the incident from the issue: it resolves it.
    lost = scenario.root / "history-lost"
    scenario.run(state=lost)
    scenario.run(state=lost)
    (issue,) = github.issues.items.values()
    assert issue.state == "closed"
    assert scenario.slack_headers()[-1] == "✅ production: readyz recovered"


def test_a_maintenance_window_records_but_alerts_nobody(
    scenario: Scenario, slack: SlackStandIn, github: GitHubStandIn
) -> None:
    now = datetime.now(UTC)
    start = (now - timedelta(minutes=30)).strftime("%H:%M")
    window = {"start": start, "duration_minutes": 120, "timezone": "UTC"}
    scenario.configure(maintenance=[window])
    assert scenario.runs("/readyz", 3) == [DOWN, DOWN, DOWN]
    history = scenario.history()
    assert [run.in_maintenance for run in history] == [True, True, True]
    assert all(run.incidents == [] for run in history)
    assert slack.requests == []
    assert github.requests == []
    assert "maintenance window" in (scenario.report / "report.md").read_text("utf-8")


@pytest.mark.slow
def test_the_database_stopped_is_down_where_it_shows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    preloaded = {"shared_preload_libraries": "pg_stat_statements"}
    with ThrowawayPostgres(settings=preloaded) as server:
        url = server.create_database("monitored")
        with psycopg.connect(url, autocommit=True) as connection:
            connection.execute("CREATE EXTENSION pg_stat_statements")
        monkeypatch.setenv("MONITORED_DATABASE_URL", url)
        # The served app's pool gives up after 0.5 s (10 s by default): without its database
        # a request (and the app's stop, which waits for them) ends after 0.5 s, not 10.
        monkeypatch.setenv("DATABASE_POOL_TIMEOUT", "0.5")
        with (
            served_app_blocking(ROOT, url, tmp_path / "app.log") as app,
            FaultProxy(app) as proxy,
        ):
            project = Scenario(
                tmp_path / "project", proxy, database_url_variable="MONITORED_DATABASE_URL"
            )
            # Without its database the app answers after its pool's wait: short timeouts.
            project.configure(
                retests=0,
                database={"slow_statement_ms": 60_000},
                api={"requests": 8, "p95_ms": 60_000, "request_timeout_seconds": 1},
                calendar={"degraded_after_ms": 60_000, "request_timeout_seconds": 1},
            )
            assert project.run() == ExitStatus.DONE
            database = project.history()[-1].checks["database"]
            assert database.state == "up", database.detail
            assert database.figures["slow_statements"] == 0, "pg_stat_statements is read"
            server.stop()
            assert project.run() == DOWN
    run = project.history()[-1]
    assert run.state == "down"
    assert run.checks["healthz"].state == "up", "the process is alive"
    for name in ("readyz", "database", "api"):
        assert run.checks[name].state == "down", name
    assert run.checks["database"].detail.startswith("cannot connect to PostgreSQL at 127.0.0.1:")
