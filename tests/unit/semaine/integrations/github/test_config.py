"""GitHub's settings: the base URL Actions sets, and repository names."""

from __future__ import annotations

import pytest

from semaine.integrations.errors import IntegrationError
from semaine.integrations.github import GitHubRepositoryError, GitHubSettingError, GitHubSettings
from semaine.integrations.github.config import checked_repository
from semaine.integrations.github.incidents import incident_labels


def test_the_default_is_api_github_com() -> None:
    assert GitHubSettings.from_environment({}).api_url == "https://api.github.com"


def test_github_api_url_is_read_as_actions_sets_it() -> None:
    environ = {"GITHUB_API_URL": "https://ghe.example.com/api/v3/"}
    settings = GitHubSettings.from_environment(environ)
    assert settings.api_url == "https://ghe.example.com/api/v3"
    assert settings.endpoint().setting == "GITHUB_API_URL"


def test_a_non_http_base_url_is_refused_with_the_setting_named() -> None:
    with pytest.raises(GitHubSettingError) as raised:
        GitHubSettings.from_environment({"GITHUB_API_URL": "file:///etc/passwd"})
    assert "GITHUB_API_URL" in str(raised.value)
    assert isinstance(raised.value, IntegrationError)


@pytest.mark.parametrize("repo", ["octo-org/semaine", "a/b.c_d-e", " o/r "])
def test_owner_slash_name_is_a_repository(repo: str) -> None:
    owner, name = checked_repository(repo)
    assert f"{owner}/{name}" == repo.strip()


@pytest.mark.parametrize("repo", ["semaine", "o/r/x", "/r", "o/", "https://github.com/o/r", ""])
def test_anything_else_is_refused_with_what_to_pass(repo: str) -> None:
    with pytest.raises(GitHubRepositoryError) as raised:
        checked_repository(repo)
    assert "--github-repo owner/name" in str(raised.value)


def test_incident_labels_are_incident_environment_check() -> None:
    assert incident_labels("production", "tls") == ["incident", "production", "tls"]


@pytest.mark.parametrize("check", ["", " ", "a,b"])
def test_a_label_that_would_break_the_comma_separated_query_is_refused(check: str) -> None:
    with pytest.raises(ValueError, match="cannot be a GitHub label"):
        incident_labels("production", check)
