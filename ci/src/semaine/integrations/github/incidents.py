"""Incident issues on GitHub: one open, labelled issue per incident is the incident's state.

The open issue labelled `incident`, the environment and the check *is* the incident:
a late, dropped or doubled scheduled run asks GitHub (`find_open`) before it opens one,
so it never opens a second. Pull requests, which GitHub's issues API lists too, are
filtered out.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any, Self
from urllib.parse import quote, urlencode

from semaine.integrations.github.answers import decoded
from semaine.integrations.github.config import (
    ACCEPT,
    API_VERSION,
    GITHUB_RETRY_POLICY,
    GitHubSettings,
    checked_repository,
)
from semaine.integrations.github.errors import (
    GitHubLabelsDroppedError,
    GitHubTimeoutError,
    GitHubUnexpectedResponseError,
    GitHubUnreachableError,
)
from semaine.integrations.http import ServiceClient, TransportErrors

if TYPE_CHECKING:
    from collections.abc import Callable

    import httpx

    from semaine.integrations.http import Exchange
    from semaine.integrations.retry import RetryPolicy

INCIDENT_LABEL = "incident"
ERRORS = TransportErrors(unreachable=GitHubUnreachableError, timed_out=GitHubTimeoutError)
PAGES_MAX = 10
"""At most 1,000 open incident issues are read (100 a page): far beyond any real count."""
TITLE_LIMIT = 256
BODY_LIMIT = 65_536
_OK, _CREATED = 200, 201


@dataclass(frozen=True)
class IncidentIssue:
    """An incident's issue on GitHub."""

    number: int
    url: str
    """The issue's page (html_url)."""
    opened_at: datetime
    body: str


class GitHubIncidents:
    """Find, open, comment on and close incident issues in one repository."""

    def __init__(  # noqa: PLR0913 - the repository and token, then what tests replace
        self,
        repo: str,
        token: str,
        *,
        settings: GitHubSettings | None = None,
        policy: RetryPolicy = GITHUB_RETRY_POLICY,
        sleep: Callable[[float], None] = time.sleep,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        owner, name = checked_repository(repo)
        self.repo = f"{owner}/{name}"
        self._token = token
        self._policy = policy
        self._issues = f"/repos/{quote(owner, safe='')}/{quote(name, safe='')}/issues"
        self._http = ServiceClient(
            (settings or GitHubSettings.from_environment()).endpoint(),
            headers={
                "Accept": ACCEPT,
                "X-GitHub-Api-Version": API_VERSION,
                "Authorization": f"Bearer {token}",
            },
            secrets=(token,),
            errors=ERRORS,
            policy=policy,
            sleep=sleep,
            transport=transport,
        )

    def find_open(self, environment: str, check: str) -> IncidentIssue | None:
        """Return the oldest open issue labelled incident, `environment`, `check`; else None."""
        what = f"listing the open {environment}/{check} incident issues of {self.repo}"
        query = urlencode(
            {
                "state": "open",
                "labels": ",".join(incident_labels(environment, check)),
                "sort": "created",
                "direction": "asc",
                "per_page": 100,
            }
        )
        path: str | None = f"{self._issues}?{query}"
        for _ in range(PAGES_MAX):
            if path is None:
                return None
            exchange = self._http.request("GET", path)
            page = self._decoded(exchange, _OK, what)
            if not isinstance(page, list):
                raise GitHubUnexpectedResponseError(what, _OK, "body is not a list of issues")
            issues = [
                item for item in page if isinstance(item, dict) and "pull_request" not in item
            ]
            if issues:
                return _issue(issues[0], what)
            path = self._next_page(exchange.response)
        return None

    def open(self, environment: str, check: str, title: str, body: str) -> IncidentIssue:
        """Open an issue labelled incident, `environment`, `check`; return it."""
        labels = incident_labels(environment, check)
        what = f"opening a {environment}/{check} incident issue in {self.repo}"
        payload = {"title": title[:TITLE_LIMIT], "body": body[:BODY_LIMIT], "labels": labels}
        created = self._decoded(
            self._http.request("POST", self._issues, json=payload), _CREATED, what
        )
        issue = _issue(created, what)
        given = {str(label.get("name")) for label in _labels_of(created)}
        missing = [label for label in labels if label not in given]
        if missing:
            raise GitHubLabelsDroppedError(issue.url, missing)
        return issue

    def comment(self, issue: IncidentIssue, body: str) -> None:
        """Add a comment to an incident's issue."""
        what = f"commenting on issue #{issue.number} of {self.repo}"
        path = f"{self._issues}/{issue.number}/comments"
        self._decoded(
            self._http.request("POST", path, json={"body": body[:BODY_LIMIT]}), _CREATED, what
        )

    def close(self, issue: IncidentIssue, body: str) -> None:
        """Comment on an incident's issue, then close it as completed."""
        self.comment(issue, body)
        what = f"closing issue #{issue.number} of {self.repo}"
        change = {"state": "closed", "state_reason": "completed"}
        path = f"{self._issues}/{issue.number}"
        closed = self._decoded(self._http.request("PATCH", path, json=change), _OK, what)
        if not isinstance(closed, dict) or closed.get("state") != "closed":
            raise GitHubUnexpectedResponseError(what, _OK, "the issue is still open")

    def close_connections(self) -> None:
        """Close the connections to the API."""
        self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *_exc_info: object) -> None:
        self.close_connections()

    def _decoded(self, exchange: Exchange, expected: int, what: str) -> object:
        return decoded(
            exchange, expected, what, repo=self.repo, policy=self._policy, token=self._token
        )

    def _next_page(self, response: httpx.Response) -> str | None:
        """Return the path of the `next` page, only when it is on this API's base URL."""
        following = response.links.get("next", {}).get("url", "")
        base = self._http.endpoint.base_url
        # The token goes wherever the link points: follow it only on GitHub's own URL.
        if following.startswith(base + "/"):
            return following[len(base) :]
        return None


def incident_labels(environment: str, check: str) -> list[str]:
    """Return the labels of an incident's issue: incident, the environment, the check."""
    labels = [INCIDENT_LABEL, environment, check]
    for label in labels:
        if not label.strip() or "," in label:
            message = f"{label!r} cannot be a GitHub label here (empty, or a comma)"
            raise ValueError(message)
    return labels


def _issue(item: object, what: str) -> IncidentIssue:
    if not isinstance(item, dict):
        raise GitHubUnexpectedResponseError(what, _OK, "an issue is not an object")
    try:
        return IncidentIssue(
            number=int(item["number"]),
            url=str(item["html_url"]),
            opened_at=datetime.fromisoformat(str(item["created_at"])),
            body=str(item.get("body") or ""),
        )
    except (KeyError, TypeError, ValueError):
        raise GitHubUnexpectedResponseError(
            what, _OK, "an issue lacks number, html_url or created_at"
        ) from None


def _labels_of(item: object) -> list[dict[str, Any]]:
    labels = item.get("labels", []) if isinstance(item, dict) else []
    return [label if isinstance(label, dict) else {"name": label} for label in labels]
