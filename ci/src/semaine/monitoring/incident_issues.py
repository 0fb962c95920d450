"""One run's calls to GitHub's incident issues: each failure reported once, then no more calls.

After a failure (GitHub down, rate limited, the token refused) the run stops calling
GitHub: a rate-limited API is not hammered, and the history keeps what the next run repairs.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from semaine.integrations.errors import IntegrationError
from semaine.monitoring.incidents import OpenIncident
from semaine.monitoring.messages import marker_in
from semaine.monitoring.report import Delivery

if TYPE_CHECKING:
    from semaine.integrations.github.incidents import GitHubIncidents, IncidentIssue
    from semaine.records.history import CheckState


class IncidentIssues:
    """GitHubIncidents for one run: failures become problems and deliveries, never raise."""

    def __init__(self, incidents: GitHubIncidents, environment: str) -> None:
        self._incidents = incidents
        self._environment = environment
        self.failed = False
        self.problems: list[str] = []
        self.deliveries: list[Delivery] = []

    def find(self, check: str) -> tuple[bool, IncidentIssue | None]:
        """Return (looked up, the check's open issue); (False, None) when GitHub failed."""
        if self.failed:
            return False, None
        try:
            return True, self._incidents.find_open(self._environment, check)
        except IntegrationError as error:
            self._failure(f"look up the open incident of {check}", error)
            return False, None

    def open(self, check: str, title: str, body: str) -> IncidentIssue | None:
        """Open the check's incident issue; None when GitHub failed."""
        if self.failed:
            return None
        try:
            issue = self._incidents.open(self._environment, check, title, body)
        except IntegrationError as error:
            self._failure(f"open the issue of {check}", error)
            return None
        self.deliveries.append(
            Delivery("github", f"opened {check}", delivered=True, detail=issue.url)
        )
        return issue

    def comment(self, issue: IncidentIssue, check: str, body: str) -> bool:
        """Comment on the issue; False when GitHub failed."""
        if self.failed:
            return False
        try:
            self._incidents.comment(issue, body)
        except IntegrationError as error:
            self._failure(f"comment on the issue of {check}", error)
            return False
        self.deliveries.append(
            Delivery("github", f"worsened {check}", delivered=True, detail=issue.url)
        )
        return True

    def close(self, issue: IncidentIssue, check: str, body: str) -> bool:
        """Comment and close the issue as completed; False when GitHub failed."""
        if self.failed:
            return False
        try:
            self._incidents.close(issue, body)
        except IntegrationError as error:
            self._failure(f"close the issue of {check}", error)
            return False
        self.deliveries.append(
            Delivery("github", f"resolved {check}", delivered=True, detail=issue.url)
        )
        return True

    def _failure(self, what: str, error: IntegrationError) -> None:
        self.failed = True
        self.problems.append(f"GitHub: could not {what}: {error}")
        self.deliveries.append(Delivery("github", what, delivered=False, detail=str(error)))


def incident_from(
    check: str, recorded: OpenIncident | None, issue: IncidentIssue | None
) -> OpenIncident | None:
    """Return the open incident as GitHub says, completed by what the history recorded.

    No open issue means no incident (it was closed by hand), unless the history opened it
    without an issue (GitHub failed then): that one stays open, and its issue is opened now.
    """
    if issue is None:
        return recorded if recorded is not None and not recorded.issue_url else None
    if recorded is not None:
        return OpenIncident(check, recorded.state, recorded.opened_at, issue.url)
    marker = marker_in(issue.body)
    state: CheckState = "down" if marker.get("state") == "down" else "degraded"
    try:
        opened_at = datetime.fromisoformat(marker["opened_at"])
    except (KeyError, ValueError):
        opened_at = issue.opened_at
    return OpenIncident(check, state, opened_at, issue.url)
