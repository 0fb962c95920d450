"""The GitHub stand-in refuses what GitHub's OpenAPI subset does not allow."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import httpx

from tests.standins.github import SCHEMA_PATH

if TYPE_CHECKING:
    from tests.standins.github import GitHubStandIn


def call(github: GitHubStandIn, method: str, path: str, **options: Any) -> httpx.Response:
    headers = {
        "Accept": "application/vnd.github+json",
        "X-GitHub-Api-Version": "2022-11-28",
        "Authorization": f"Bearer {github.token}",
        **options.pop("headers", {}),
    }
    return httpx.request(method, f"{github.url}{path}", headers=headers, **options)


ISSUES = "/repos/octo-org/semaine/issues"


def test_every_operation_of_the_subset_is_loaded(github: GitHubStandIn) -> None:
    served = {(op.method, op.template) for op in github.document.operations}
    assert served == {
        ("GET", "/repos/{owner}/{repo}/issues"),
        ("POST", "/repos/{owner}/{repo}/issues"),
        ("PATCH", "/repos/{owner}/{repo}/issues/{issue_number}"),
        ("POST", "/repos/{owner}/{repo}/issues/{issue_number}/comments"),
    }


def test_a_path_outside_the_subset_is_a_violation(github: GitHubStandIn) -> None:
    assert call(github, "GET", "/repos/octo-org/semaine/pulls").status_code == 500
    assert github.violations == ["GET /repos/octo-org/semaine/pulls is not in the document"]


def test_a_missing_api_version_is_a_violation(github: GitHubStandIn) -> None:
    answer = call(github, "GET", ISSUES, headers={"X-GitHub-Api-Version": ""})
    assert answer.status_code == 422
    assert "X-GitHub-Api-Version" in github.violations[0]


def test_an_unknown_query_parameter_or_bad_value_is_a_violation(github: GitHubStandIn) -> None:
    assert call(github, "GET", ISSUES, params={"colour": "red"}).status_code == 422
    assert call(github, "GET", ISSUES, params={"state": "shut"}).status_code == 422
    assert "'colour'" in github.violations[0]
    assert "state" in github.violations[1]


def test_a_body_breaking_the_schema_is_a_violation(github: GitHubStandIn) -> None:
    assert call(github, "POST", ISSUES, json={"body": "no title"}).status_code == 422
    assert call(github, "POST", ISSUES, json={"title": "t", "labels": "a,b"}).status_code == 422
    assert len(github.violations) == 2


def test_a_state_reason_outside_the_enum_is_a_violation(github: GitHubStandIn) -> None:
    issue = github.issues.add("x", ["incident"])
    change = {"state": "closed", "state_reason": "fixed"}
    answer = call(github, "PATCH", f"{ISSUES}/{issue.number}", json=change)
    assert answer.status_code == 422
    assert "state_reason" in github.violations[0]


def test_a_scripted_answer_breaking_the_schema_is_a_violation(github: GitHubStandIn) -> None:
    github.fail(422, body={"errors": "not a list"})
    assert call(github, "GET", ISSUES).status_code == 500
    assert github.violations[0].startswith("response 422:")


def test_issues_and_pull_requests_render_as_the_schema_says(github: GitHubStandIn) -> None:
    github.issues.add("a PR", ["incident"], pull_request=True)
    github.issues.add("an issue", ["incident"])
    answer = call(github, "GET", ISSUES)
    assert answer.status_code == 200
    assert ["pull_request" in item for item in answer.json()] == [False, True]
    assert github.violations == []


def test_the_rate_limit_headers_are_sent(github: GitHubStandIn) -> None:
    github.rate_limit(reset_in=60)
    answer = call(github, "GET", ISSUES)
    assert (answer.status_code, answer.headers["x-ratelimit-remaining"]) == (403, "0")
    assert call(github, "GET", ISSUES).headers["x-ratelimit-remaining"] != "0"


def prose(node: object) -> list[str]:
    """Return the prose strings (descriptions, summaries, examples) left in a document."""
    if isinstance(node, list):
        return [text for item in node for text in prose(item)]
    if not isinstance(node, dict):
        return []
    found = [
        f"{key}: {value!r:.40}"
        for key, value in node.items()
        if key in {"description", "summary", "example", "examples"} and not isinstance(value, dict)
    ]
    return found + [text for value in node.values() for text in prose(value)]


def test_the_stripped_copy_keeps_the_facts_validated_and_no_prose() -> None:
    document = json.loads(SCHEMA_PATH.read_text("utf-8"))
    assert prose(document) == []
    issue = document["components"]["schemas"]["issue"]["properties"]
    assert issue["state_reason"]["enum"] == ["completed", "reopened", "not_planned", "duplicate"]
    assert issue["body"]["nullable"] is True
