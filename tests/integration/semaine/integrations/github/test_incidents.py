"""GitHubIncidents against the schema-checked stand-in, reached through GITHUB_API_URL.

Every request and answer is validated against GitHub's OpenAPI subset by the stand-in:
each test ends with no violation. Waits go through the injected sleep (nothing sleeps).
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

import pytest

from semaine.integrations.errors import IntegrationError
from semaine.integrations.github import (
    GITHUB_RETRY_POLICY,
    GitHubAuthenticationError,
    GitHubForbiddenError,
    GitHubGoneError,
    GitHubIncidents,
    GitHubLabelsDroppedError,
    GitHubNotFoundError,
    GitHubRateLimitedError,
    GitHubSettings,
    GitHubTimeoutError,
    GitHubUnreachableError,
    GitHubValidationError,
    IncidentIssue,
)

if TYPE_CHECKING:
    from tests.standins.github import GitHubStandIn

NO_JITTER = replace(GITHUB_RETRY_POLICY, jitter_seconds=0)
LABELS = ["incident", "production", "health"]


def incidents(github: GitHubStandIn, waits: list[float], token: str = "") -> GitHubIncidents:
    return GitHubIncidents(github.repo, token or github.token, policy=NO_JITTER, sleep=waits.append)


@pytest.fixture(autouse=True)
def _no_violation(github: GitHubStandIn):  # noqa: ANN202 - a guard, not a value
    yield
    assert github.violations == []


def test_open_then_find_gives_the_same_issue(github: GitHubStandIn) -> None:
    with incidents(github, []) as client:
        opened = client.open("production", "health", "production: health down", "503 twice")
        found = client.find_open("production", "health")

    assert isinstance(opened, IncidentIssue)
    assert found == opened
    assert opened.url == f"https://github.com/{github.repo}/issues/{opened.number}"
    assert opened.opened_at.tzinfo is not None
    assert opened.body == "503 twice"
    created = github.requests[0]
    assert (created.method, created.body["labels"]) == ("POST", LABELS)  # type: ignore[index]
    assert created.headers["Authorization"] == f"Bearer {github.token}"
    assert created.headers["X-GitHub-Api-Version"] == "2022-11-28"


def test_find_open_asks_for_open_issues_with_the_three_labels(github: GitHubStandIn) -> None:
    with incidents(github, []) as client:
        assert client.find_open("production", "health") is None

    query = github.requests[0].query
    assert (query["state"], query["labels"]) == ("open", "incident,production,health")


def test_pull_requests_with_the_labels_are_not_incidents(github: GitHubStandIn) -> None:
    github.issues.add("a fix", LABELS, pull_request=True)

    with incidents(github, []) as client:
        assert client.find_open("production", "health") is None
        issue = client.open("production", "health", "health down", "")
        github.issues.add("another fix", LABELS, pull_request=True)
        assert client.find_open("production", "health") == issue


def test_asking_twice_never_opens_a_duplicate(github: GitHubStandIn) -> None:
    """Two runs (a late one and the next) each look before they open."""
    for _run in range(2):
        with incidents(github, []) as client:
            if client.find_open("production", "health") is None:
                client.open("production", "health", "health down", "")

    assert len(github.issues.open_issues(*LABELS)) == 1


def test_other_environments_and_checks_are_other_incidents(github: GitHubStandIn) -> None:
    github.issues.add("staging health", ["incident", "staging", "health"])
    github.issues.add("production tls", ["incident", "production", "tls"])

    with incidents(github, []) as client:
        assert client.find_open("production", "health") is None


def test_the_oldest_open_issue_is_the_incident(github: GitHubStandIn) -> None:
    first = github.issues.add("first", LABELS)
    github.issues.add("second", LABELS)

    with incidents(github, []) as client:
        found = client.find_open("production", "health")

    assert found is not None
    assert found.number == first.number


def test_find_open_follows_the_next_page_past_pull_requests(github: GitHubStandIn) -> None:
    for n in range(100):
        github.issues.add(f"pr {n}", LABELS, pull_request=True)
    issue = github.issues.add("the incident", LABELS)

    with incidents(github, []) as client:
        found = client.find_open("production", "health")

    assert found is not None
    assert found.number == issue.number
    assert [r.query.get("page") for r in github.requests] == [None, "2"]


def test_comment_adds_a_comment(github: GitHubStandIn) -> None:
    with incidents(github, []) as client:
        issue = client.open("production", "health", "health down", "")
        client.comment(issue, "worse: down for 3 runs")

    assert github.issues.items[issue.number].comments == ["worse: down for 3 runs"]


def test_close_comments_then_closes_as_completed(github: GitHubStandIn) -> None:
    with incidents(github, []) as client:
        issue = client.open("production", "health", "health down", "")
        client.close(issue, "resolved after 45 min")
        assert client.find_open("production", "health") is None

    item = github.issues.items[issue.number]
    assert (item.state, item.state_reason, item.comments) == (
        "closed",
        "completed",
        ["resolved after 45 min"],
    )
    methods = [(r.method, r.path.rsplit("/", 1)[-1]) for r in github.requests[1:3]]
    assert methods == [("POST", "comments"), ("PATCH", str(issue.number))]
    assert github.requests[2].body == {"state": "closed", "state_reason": "completed"}


def test_a_primary_rate_limit_is_waited_out_then_the_call_succeeds(github: GitHubStandIn) -> None:
    github.rate_limit(reset_in=30)
    waits: list[float] = []

    with incidents(github, waits) as client:
        assert client.find_open("production", "health") is None

    assert len(github.requests) == 2
    assert len(waits) == 1
    assert 25 < waits[0] <= 30  # until x-ratelimit-reset, not a blind backoff


def test_a_primary_rate_limit_on_429_is_waited_out_too(github: GitHubStandIn) -> None:
    github.rate_limit(status=429, reset_in=20)
    waits: list[float] = []

    with incidents(github, waits) as client:
        client.open("production", "health", "health down", "")

    assert len(github.requests) == 2
    assert 15 < waits[0] <= 20


def test_a_secondary_rate_limit_honours_retry_after(github: GitHubStandIn) -> None:
    github.secondary_rate_limit(retry_after=5)
    waits: list[float] = []

    with incidents(github, waits) as client:
        client.open("production", "health", "health down", "")

    assert (waits, len(github.requests)) == ([5.0], 2)
    assert len(github.issues.open_issues(*LABELS)) == 1


def test_a_rate_limit_beyond_the_cap_is_a_clear_error_at_once(github: GitHubStandIn) -> None:
    github.rate_limit(reset_in=1800)
    waits: list[float] = []

    with incidents(github, waits) as client, pytest.raises(GitHubRateLimitedError) as raised:
        client.find_open("production", "health")

    message = str(raised.value)
    assert (raised.value.attempts, waits, len(github.requests)) == (1, [], 1)
    assert "refills at" in message
    assert "UTC" in message
    assert github.token not in message


def test_rate_limited_on_every_attempt_stops_at_the_policy(github: GitHubStandIn) -> None:
    github.secondary_rate_limit(times=20, retry_after=1)
    waits: list[float] = []

    with incidents(github, waits) as client, pytest.raises(GitHubRateLimitedError) as raised:
        client.find_open("production", "health")

    assert raised.value.attempts == NO_JITTER.attempts
    assert len(github.requests) == NO_JITTER.attempts
    assert "secondary" in str(raised.value)


def test_a_secondary_limit_without_retry_after_is_not_mistaken_for_permissions(
    github: GitHubStandIn,
) -> None:
    github.secondary_rate_limit()

    with incidents(github, []) as client, pytest.raises(GitHubRateLimitedError) as raised:
        client.find_open("production", "health")

    assert "at least a minute" in str(raised.value)


def test_5xx_on_a_get_is_retried(github: GitHubStandIn) -> None:
    github.fail(502, times=2)
    waits: list[float] = []

    with incidents(github, waits) as client:
        assert client.find_open("production", "health") is None

    assert (len(github.requests), waits) == (3, [1.0, 2.0])


def test_5xx_on_a_post_is_not_retried_it_may_have_opened_the_issue(github: GitHubStandIn) -> None:
    github.fail(503)

    with incidents(github, []) as client, pytest.raises(IntegrationError) as raised:
        client.open("production", "health", "health down", "")

    assert "503" in str(raised.value)
    assert len(github.requests) == 1


def test_a_bad_token_is_401_with_what_to_do(github: GitHubStandIn) -> None:
    wrong = "ghs_wrongTokenNeverShown000000000"

    with (
        incidents(github, [], token=wrong) as client,
        pytest.raises(GitHubAuthenticationError) as raised,
    ):
        client.find_open("production", "health")

    message = str(raised.value)
    assert "401" in message
    assert "GITHUB_TOKEN" in message
    assert wrong not in message


def test_403_without_a_rate_limit_names_the_permission(github: GitHubStandIn) -> None:
    github.fail(
        403,
        body={
            "message": "Resource not accessible by integration",
            "documentation_url": "https://docs.github.com",
        },
    )
    waits: list[float] = []

    with incidents(github, waits) as client, pytest.raises(GitHubForbiddenError) as raised:
        client.open("production", "health", "health down", "")

    assert "issues: write" in str(raised.value)
    assert "Resource not accessible by integration" in str(raised.value)
    assert (waits, len(github.requests)) == ([], 1)


def test_a_wrong_repository_is_404_with_what_to_do(github: GitHubStandIn) -> None:
    with (
        GitHubIncidents("octo-org/no-such-repo", github.token) as client,
        pytest.raises(GitHubNotFoundError) as raised,
    ):
        client.find_open("production", "health")

    assert "octo-org/no-such-repo" in str(raised.value)
    assert "--github-repo" in str(raised.value)


def test_issues_disabled_is_410(github: GitHubStandIn) -> None:
    github.issues_enabled = False

    with incidents(github, []) as client, pytest.raises(GitHubGoneError) as raised:
        client.open("production", "health", "health down", "")

    assert "enable Issues" in str(raised.value)


def test_422_names_the_field(github: GitHubStandIn) -> None:
    github.fail(
        422,
        body={
            "message": "Validation Failed",
            "documentation_url": "https://docs.github.com/rest/issues/issues#create-an-issue",
            "errors": [{"resource": "Issue", "field": "labels", "code": "invalid"}],
        },
    )

    with incidents(github, []) as client, pytest.raises(GitHubValidationError) as raised:
        client.open("production", "health", "health down", "")

    assert "field 'labels' invalid" in str(raised.value)


def test_labels_dropped_for_want_of_push_access_are_an_error(github: GitHubStandIn) -> None:
    github.push_access = False

    with incidents(github, []) as client, pytest.raises(GitHubLabelsDroppedError) as raised:
        client.open("production", "health", "health down", "")

    assert "Issues > Labels" in str(raised.value)
    assert "/issues/1" in str(raised.value)


def test_a_hung_github_is_a_timeout_error(github: GitHubStandIn) -> None:
    github.stall()
    settings = GitHubSettings(github.url, read_seconds=0.3)
    policy = replace(NO_JITTER, attempts=1)

    with (
        GitHubIncidents(github.repo, github.token, settings=settings, policy=policy) as client,
        pytest.raises(GitHubTimeoutError),
    ):
        client.find_open("production", "health")


def test_github_unreachable_names_the_setting(
    refused_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GITHUB_API_URL", refused_url)
    token = "ghs_unreachableTokenNeverShown00"  # noqa: S105 - a made-up token

    with (
        GitHubIncidents("octo-org/semaine", token, policy=NO_JITTER, sleep=[].append) as client,
        pytest.raises(GitHubUnreachableError) as raised,
    ):
        client.find_open("production", "health")

    assert "GITHUB_API_URL" in str(raised.value)
    assert token not in str(raised.value)
