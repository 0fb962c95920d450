"""Turn a run's transitions into alerts: a Slack message and the incident's GitHub issue.

With GitHub configured, the open labelled issue is the incident's truth: a run that is
late, repeated, or missed the history of another finds the issue and never opens a second
one (nor pages again). Without it the history alone says which incidents are open. Slack
and GitHub failures never stop the run: each becomes a problem in the report, and the
exit status says so. In a maintenance window nothing is sent.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from semaine.integrations.github.incidents import GitHubIncidents
from semaine.integrations.slack import post_to_slack
from semaine.monitoring import messages
from semaine.monitoring.incident_issues import IncidentIssues, incident_from
from semaine.monitoring.incidents import (
    OpenIncident,
    Transition,
    replay,
    resolved_issues,
    transition,
)
from semaine.monitoring.report import Delivery
from semaine.records.history import IncidentEvent

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import datetime
    from typing import Any

    from semaine.environments import Environment
    from semaine.integrations.github.incidents import IncidentIssue
    from semaine.records.history import MonitorRun


@dataclass(frozen=True)
class GitHubTarget:
    """The repository whose issues record incidents, and a token allowed to write them."""

    repo: str
    token: str


@dataclass(frozen=True)
class Alerting:
    """Where alerts go; either may be absent."""

    slack_webhook: str | None = None
    github: GitHubTarget | None = None


@dataclass
class Escalated:
    """What the alerts of a run did: its incident events, its problems, each delivery."""

    events: list[IncidentEvent] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    deliveries: list[Delivery] = field(default_factory=list)


def escalate(
    history: Sequence[MonitorRun],
    run: MonitorRun,
    environment: Environment,
    alerting: Alerting,
    url: str,
) -> Escalated:
    """Decide each check's transition and send its alerts; never raise for Slack or GitHub."""
    if run.in_maintenance:
        return Escalated()
    issues = None
    if alerting.github is not None:
        github = GitHubIncidents(alerting.github.repo, alerting.github.token)
        issues = IncidentIssues(github, environment.name)
    sender = _Sender(environment, alerting.slack_webhook, url, run, issues, Escalated())
    sender.resolved = resolved_issues(history)
    recorded = replay(history)
    runs = [*history, run]
    for check in run.checks:
        sender.handle(check, recorded.get(check), runs)
    outcome = sender.outcome
    if issues is not None:
        outcome.problems[:0] = issues.problems
        outcome.deliveries[:0] = issues.deliveries
    return outcome


@dataclass
class _Sender:
    environment: Environment
    slack_webhook: str | None
    url: str
    run: MonitorRun
    issues: IncidentIssues | None
    outcome: Escalated
    resolved: dict[str, datetime] = field(default_factory=dict)
    """Issues of incidents the history resolved: one still open is closed, not resolved again."""

    def handle(self, check: str, recorded: OpenIncident | None, runs: list[MonitorRun]) -> None:
        """Find the check's open incident, decide its transition, send what it calls for."""
        issue: IncidentIssue | None = None
        incident = recorded
        if self.issues is not None:
            looked_up, issue = self.issues.find(check)
            if issue is not None and issue.url in self.resolved:
                self._close_left_open(check, issue)
                issue = None
            if looked_up:
                incident = incident_from(check, recorded, issue)
        change = transition(runs, check, incident, self.environment.monitoring)
        if change is None:
            if incident is not None and issue is None and self.issues is not None:
                self._open_missing_issue(check, incident)
            return
        known_url = issue.url if issue else (incident.issue_url if incident else None)
        situation = messages.Situation(
            self.environment, self.url, change, self.run.checks[check], self.run.release, known_url
        )
        if change.event == "opened":
            self._opened(situation)
        elif change.event == "worsened":
            commented = issue is not None and self._issues_do("comment", issue, situation)
            self._record(change, known_url, alerted=commented)
        else:
            closed = issue is not None and self._issues_do("close", issue, situation)
            alerted = self._slack(f"resolved {check}", *messages.resolved_slack(situation))
            self._record(change, known_url, alerted=alerted or closed)

    def _opened(self, situation: messages.Situation) -> None:
        check = situation.transition.check
        opened = None
        if self.issues is not None:
            body = messages.issue_body(situation)
            opened = self.issues.open(check, messages.title(situation), body)
        situation = replace(situation, issue_url=opened.url if opened else None)
        alerted = self._slack(f"opened {check}", *messages.opened_slack(situation))
        self._record(situation.transition, situation.issue_url, alerted=alerted or bool(opened))

    def _issues_do(self, action: str, issue: IncidentIssue, situation: messages.Situation) -> bool:
        assert self.issues is not None  # noqa: S101 - only called with an issue found
        check = situation.transition.check
        if action == "comment":
            return self.issues.comment(issue, check, messages.worsened_comment(situation))
        return self.issues.close(issue, check, messages.resolved_comment(situation))

    def _open_missing_issue(self, check: str, incident: OpenIncident) -> None:
        """Open the issue of an incident the history opened while GitHub failed."""
        assert self.issues is not None  # noqa: S101 - the caller checks
        change = Transition(check, "opened", incident.state, incident.opened_at)
        situation = messages.Situation(
            self.environment, self.url, change, self.run.checks[check], self.run.release
        )
        self.issues.open(check, messages.title(situation), messages.issue_body(situation))

    def _close_left_open(self, check: str, issue: IncidentIssue) -> None:
        """Close the issue of an incident resolved while GitHub failed (no second page)."""
        assert self.issues is not None  # noqa: S101 - the caller checks
        when = f"{self.resolved[issue.url]:%Y-%m-%d %H:%M} UTC"
        comment = f"Resolved at {when}; closed late: GitHub failed when the incident resolved."
        self.issues.close(issue, check, comment)

    def _slack(self, what: str, text: str, blocks: list[dict[str, Any]]) -> bool:
        if self.slack_webhook is None:
            return False
        delivery = post_to_slack(self.slack_webhook, text, blocks)
        detail = "" if delivery.delivered else delivery.detail
        self.outcome.deliveries.append(Delivery("slack", what, delivery.delivered, detail))
        if not delivery.delivered:
            problem = f"Slack: the {what} alert was not delivered: {delivery.detail}"
            self.outcome.problems.append(problem)
        return delivery.delivered

    def _record(self, change: Transition, issue_url: str | None, *, alerted: bool) -> None:
        self.outcome.events.append(
            IncidentEvent(
                check=change.check,
                event=change.event,
                state=change.state,
                opened_at=change.opened_at,
                resolved_at=change.resolved_at,
                issue_url=issue_url,
                alerted=alerted,
            )
        )
