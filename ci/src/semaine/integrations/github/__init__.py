"""GitHub: incident issues over the REST API (base URL from GITHUB_API_URL)."""

from semaine.integrations.github.config import (
    GITHUB_RETRY_POLICY,
    GitHubSettings,
)
from semaine.integrations.github.errors import (
    GitHubAuthenticationError,
    GitHubError,
    GitHubForbiddenError,
    GitHubGoneError,
    GitHubLabelsDroppedError,
    GitHubNotFoundError,
    GitHubRateLimitedError,
    GitHubRepositoryError,
    GitHubSettingError,
    GitHubTimeoutError,
    GitHubUnexpectedResponseError,
    GitHubUnreachableError,
    GitHubValidationError,
)
from semaine.integrations.github.incidents import (
    GitHubIncidents,
    IncidentIssue,
    incident_labels,
)

__all__ = [
    "GITHUB_RETRY_POLICY",
    "GitHubAuthenticationError",
    "GitHubError",
    "GitHubForbiddenError",
    "GitHubGoneError",
    "GitHubIncidents",
    "GitHubLabelsDroppedError",
    "GitHubNotFoundError",
    "GitHubRateLimitedError",
    "GitHubRepositoryError",
    "GitHubSettingError",
    "GitHubSettings",
    "GitHubTimeoutError",
    "GitHubUnexpectedResponseError",
    "GitHubUnreachableError",
    "GitHubValidationError",
    "IncidentIssue",
    "incident_labels",
]
