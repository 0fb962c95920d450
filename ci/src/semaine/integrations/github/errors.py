"""GitHub client errors: each names the repository, the status and what to do; never the token."""

from __future__ import annotations

from semaine.integrations.errors import (
    BadSettingError,
    IntegrationError,
    ServiceTimeoutError,
    ServiceUnreachableError,
)

_PERMISSIONS = "permissions: issues: write"


class GitHubError(IntegrationError):
    """Base of every GitHub REST API error."""


class GitHubRepositoryError(GitHubError):
    """The repository is not written `owner/name`."""

    def __init__(self, repo: str) -> None:
        self.repo = repo
        super().__init__(
            f"{repo!r} is not a GitHub repository name (owner/name)",
            "pass --github-repo owner/name (in GitHub Actions: ${{ github.repository }})",
        )


class GitHubAuthenticationError(GitHubError):
    """401: the token is missing, wrong, expired or revoked."""

    def __init__(self, what: str) -> None:
        self.what = what
        super().__init__(
            f"GitHub refused the token (401 Bad credentials) for {what}",
            "pass a valid token: in GitHub Actions ${{ secrets.GITHUB_TOKEN }} (it expires"
            " with the job); a personal token may have expired or been revoked",
        )


class GitHubForbiddenError(GitHubError):
    """403 that is not a rate limit: the token may not do this."""

    def __init__(self, what: str, said: str) -> None:
        self.what = what
        super().__init__(
            f"GitHub forbids {what} (403: {said})",
            f"give the workflow job `{_PERMISSIONS}`, or use a token with Issues read"
            " and write on the repository",
        )


class GitHubNotFoundError(GitHubError):
    """404: no such repository or issue, or the token cannot see it."""

    def __init__(self, what: str, repo: str) -> None:
        self.what = what
        super().__init__(
            f"GitHub found nothing for {what} (404: the repository {repo} does not exist,"
            " or this token cannot see it)",
            "check --github-repo (owner/name) and that the token belongs to that repository",
        )


class GitHubGoneError(GitHubError):
    """410: issues are disabled on the repository."""

    def __init__(self, what: str, repo: str) -> None:
        self.what = what
        super().__init__(
            f"issues are disabled on {repo} (410) for {what}",
            "enable Issues in the repository's Settings > General > Features",
        )


class GitHubValidationError(GitHubError):
    """422: GitHub refused a field of the request."""

    def __init__(self, what: str, fields: str) -> None:
        self.what = what
        self.fields = fields
        super().__init__(
            f"GitHub refused {what} (422 Validation Failed: {fields})",
            "fix the field named (a label name GitHub refuses, a title too long) and run again",
        )


class GitHubRateLimitedError(GitHubError):
    """Still rate limited (primary or secondary) after the waits the policy allows."""

    def __init__(self, what: str, attempts: int, when: str) -> None:
        self.what = what
        self.attempts = attempts
        super().__init__(
            f"GitHub's rate limit stopped {what} after {attempts} attempt(s); {when}",
            "run again after that (GITHUB_TOKEN allows 1,000 requests an hour per"
            " repository); if it recurs, schedule the monitor less often",
        )


class GitHubLabelsDroppedError(GitHubError):
    """GitHub created the issue but dropped its labels: the token lacks push access."""

    def __init__(self, url: str, missing: list[str]) -> None:
        self.url = url
        super().__init__(
            f"GitHub opened {url} without the labels {', '.join(missing)}: without them the"
            " next run cannot find the incident and would open another",
            "create the labels in the repository once (Issues > Labels), or use a token with"
            " push access; then label or close that issue by hand",
        )


class GitHubUnexpectedResponseError(GitHubError):
    """Any other status, or a body that is not what GitHub documents."""

    def __init__(self, what: str, status: int, detail: str) -> None:
        self.what = what
        self.status = status
        super().__init__(
            f"unexpected GitHub answer for {what}: HTTP {status} {detail}",
            "retry later; if it persists check https://www.githubstatus.com",
        )


class GitHubUnreachableError(GitHubError, ServiceUnreachableError):
    """The API could not be reached (DNS, connection refused, TLS)."""


class GitHubTimeoutError(GitHubError, ServiceTimeoutError):
    """The API took the connection but did not answer within the read timeout."""


class GitHubSettingError(GitHubError, BadSettingError):
    """GITHUB_API_URL is not an http(s) URL."""
