"""Where GitHub's REST API is, which repository, and the retry policy its rate limits need."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from semaine.integrations.github.errors import GitHubRepositoryError, GitHubSettingError
from semaine.integrations.http import Endpoint, base_url_from_environment
from semaine.integrations.retry import RETRY_POLICY, RetryPolicy

if TYPE_CHECKING:
    from collections.abc import Mapping

DEFAULT_API_URL = "https://api.github.com"
API_URL_SETTING = "GITHUB_API_URL"
"""The setting GitHub Actions sets on every runner (GitHub Enterprise: https://HOST/api/v3)."""
STATUS_PAGE = "https://www.githubstatus.com"
ACCEPT = "application/vnd.github+json"
API_VERSION = "2022-11-28"
GITHUB_RETRY_POLICY: RetryPolicy = replace(
    RETRY_POLICY,
    # GitHub answers a spent budget with 403 or 429: a 403 is a rate limit only when
    # `x-ratelimit-remaining` is 0 or it carries `retry-after` (else: no permission).
    quota_statuses=frozenset({403}),
    remaining_header="x-ratelimit-remaining",
    reset_header="x-ratelimit-reset",
)
_REPOSITORY = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]*)/[A-Za-z0-9._-]+")


@dataclass(frozen=True)
class GitHubSettings:
    """The API base URL (`GITHUB_API_URL`, default https://api.github.com) and timeouts."""

    api_url: str = DEFAULT_API_URL
    connect_seconds: float = 10.0
    read_seconds: float = 30.0

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None) -> GitHubSettings:
        """Read the settings from the process environment."""
        url = base_url_from_environment(
            API_URL_SETTING, DEFAULT_API_URL, environ, error=GitHubSettingError
        )
        return cls(api_url=url)

    def endpoint(self) -> Endpoint:
        """Return the shared HTTP setup's view of these settings."""
        return Endpoint(
            service="the GitHub REST API",
            base_url=self.api_url.rstrip("/"),
            setting=API_URL_SETTING,
            connect_seconds=self.connect_seconds,
            read_seconds=self.read_seconds,
            status_page=STATUS_PAGE,
        )


def checked_repository(repo: str) -> tuple[str, str]:
    """Return (owner, name) of an `owner/name` repository, refusing anything else."""
    if not _REPOSITORY.fullmatch(repo.strip()):
        raise GitHubRepositoryError(repo)
    owner, name = repo.strip().split("/")
    return owner, name
