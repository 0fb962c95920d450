"""When Slack or GitHub fail, the run still completes, says so, and the next run repairs."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from semaine.exit_status import ExitStatus

if TYPE_CHECKING:
    from tests.monitor_scenario import Scenario
    from tests.standins.github import GitHubStandIn
    from tests.standins.slack import SlackStandIn

pytestmark = pytest.mark.integration
DOWN = ExitStatus.FAILED
RATE_LIMITED_FOR_AN_HOUR = 3600
"""Far beyond the retry policy's 60 s of waiting: the client gives up at once."""


@pytest.mark.parametrize("status", [503, 404, 429])
def test_slack_failing_never_crashes_the_run_and_is_reported(
    scenario: Scenario,
    slack: SlackStandIn,
    github: GitHubStandIn,
    slack_waits: list[float],
    status: int,
) -> None:
    scenario.runs("/readyz", 1)
    slack.fail(status, times=10, headers={"Retry-After": "3600"})
    assert scenario.runs("/readyz", 1) == [DOWN]
    report = scenario.report_json()
    (problem,) = report["run"]["problems"]
    assert problem.startswith("Slack: the opened readyz alert was not delivered")
    assert slack.url not in str(report), "the webhook URL is a secret"
    assert [a["delivered"] for a in report["alerts"] if a["channel"] == "slack"] == [False]
    (issue,) = github.issues.items.values()
    assert issue.state == "open", "GitHub still has the incident"
    # Recovered, and Slack still down: the service is up, the resolve alert is not.
    slack.fail(status, times=10, headers={"Retry-After": "3600"})
    assert [scenario.run(), scenario.run()] == [ExitStatus.DONE, ExitStatus.INCONCLUSIVE]
    assert "resolved readyz alert was not delivered" in str(scenario.report_json())
    assert issue.state == "closed"
    # A 503 is retried twice per alert; a gone webhook, or an hour's Retry-After, never.
    assert len(slack_waits) == (4 if status == 503 else 0)


def test_slack_alone_down_leaves_the_incident_unalerted_in_the_history(
    scenario: Scenario, slack: SlackStandIn, slack_waits: list[float]
) -> None:
    scenario.github = None  # Slack alone
    slack.fail(503, times=10)
    assert scenario.runs("/readyz", 2) == [DOWN, DOWN]
    (event,) = scenario.history()[-1].incidents
    assert (event.event, event.alerted, event.issue_url) == ("opened", False, None)
    assert len(slack.requests) == 1 + len(slack_waits) == 3, "tried, then retried twice"


def test_github_rate_limited_is_reported_and_the_issue_opened_by_the_next_run(
    scenario: Scenario,
    slack: SlackStandIn,
    github: GitHubStandIn,
) -> None:
    scenario.runs("/readyz", 1)
    github.rate_limit(times=50, reset_in=RATE_LIMITED_FOR_AN_HOUR)
    assert scenario.runs("/readyz", 1) == [DOWN]
    problems = scenario.report_json()["run"]["problems"]
    assert len(problems) == 1, "after GitHub's first failure the run stops calling it"
    assert problems[0].startswith("GitHub: could not look up the open incident of healthz")
    assert "rate limit" in problems[0]
    assert scenario.slack_headers() == ["🔴 production: readyz is down"], "Slack still pages"
    assert github.issues.items == {}
    github.script.clear()
    assert scenario.runs("/readyz", 1) == [DOWN]
    (issue,) = github.issues.items.values()
    assert issue.labels == ["incident", "production", "readyz"]
    assert len(slack.payloads) == 1, "the repair pages nobody again"
    assert scenario.report_json()["run"]["problems"] == []


def test_an_issue_left_open_by_a_failed_close_is_closed_without_a_second_page(
    scenario: Scenario,
    github: GitHubStandIn,
) -> None:
    scenario.runs("/readyz", 2)
    scenario.run()
    # The second passing run resolves: the lookups of healthz and readyz are answered,
    # then GitHub fails the closing comment.
    github.delay(0, times=2)
    github.fail(500, times=10)
    assert scenario.run() == ExitStatus.INCONCLUSIVE
    (issue,) = github.issues.items.values()
    assert issue.state == "open"
    assert scenario.slack_headers()[-1] == "✅ production: readyz recovered"
    github.script.clear()
    assert scenario.run() == ExitStatus.DONE
    assert issue.state == "closed"
    assert issue.comments[-1].startswith("Resolved at ")
    assert scenario.slack_headers().count("✅ production: readyz recovered") == 1


def test_a_hung_check_is_down_and_the_run_still_finishes(scenario: Scenario) -> None:
    scenario.configure(
        checks={"healthz": {"path": "/healthz", "timeout_seconds": 0.3}},
        retests=0,
    )
    scenario.proxy.hang("/healthz")
    assert scenario.run() == DOWN
    (run,) = scenario.history()
    assert run.checks["healthz"].state == "down"
    assert run.checks["healthz"].detail == "GET /healthz: no answer within 0.3 s"
    assert run.checks["calendar"].state == "up", "the other checks ran"
