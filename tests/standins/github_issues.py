"""The GitHub stand-in's repository: issues and pull requests in memory, as JSON GitHub sends."""

from __future__ import annotations

import itertools
import zlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

if TYPE_CHECKING:
    from tests.standins.openapi import Operation

DOCS = "https://docs.github.com/rest/issues/issues"
_PER_PAGE, _PER_PAGE_MAX = 30, 100


def basic_error(message: str) -> dict[str, str]:
    """Return GitHub's error body."""
    return {"message": message, "documentation_url": DOCS}


@dataclass
class Item:
    """An issue, or a pull request (GitHub's issues API lists both)."""

    number: int
    title: str
    body: str | None
    labels: list[str]
    created_at: datetime
    pull_request: bool = False
    state: str = "open"
    state_reason: str | None = None
    closed_at: datetime | None = None
    comments: list[str] = field(default_factory=list)


class Issues:
    """A repository's issues; `serve` answers the four operations of the document."""

    def __init__(self, repo: str) -> None:
        self.repo = repo
        self.items: dict[int, Item] = {}
        self._numbers = itertools.count(1)
        self._ids = itertools.count(1000)

    def add(self, title: str, labels: list[str], *, pull_request: bool = False) -> Item:
        """Add an open issue (or pull request) directly, as if made earlier."""
        number = next(self._numbers)
        item = Item(number, title, None, labels, _now(), pull_request=pull_request)
        self.items[number] = item
        return item

    def open_issues(self, *labels: str) -> list[Item]:
        """Return the open issues (not pull requests) carrying every label given."""
        return [
            i
            for i in self.items.values()
            if i.state == "open" and not i.pull_request and set(labels) <= set(i.labels)
        ]

    def serve(  # noqa: PLR0913 - the parts of one request
        self,
        operation: Operation,
        path: str,
        query: dict[str, str],
        body: Any,
        *,
        base_url: str,
        push_access: bool,
    ) -> tuple[int, object, dict[str, str]]:
        """Answer one validated request: status, JSON body, extra headers."""
        segments = path.split("/")
        if operation.template.endswith("/issues") and operation.method == "GET":
            return self._list(query, base_url, path)
        if operation.template.endswith("/issues"):
            labels = [_name(label) for label in body.get("labels", [])] if push_access else []
            item = Item(next(self._numbers), str(body["title"]), body.get("body"), labels, _now())
            self.items[item.number] = item
            return 201, self.render(item, base_url), {}
        item_or_none = self.items.get(int(segments[5]))
        if item_or_none is None:
            return 404, basic_error("Not Found"), {}
        item = item_or_none
        if operation.template.endswith("/comments"):
            item.comments.append(body["body"])
            return 201, self._comment(item, body["body"], base_url), {}
        self._update(item, body or {})
        return 200, self.render(item, base_url), {}

    def render(self, item: Item, base_url: str) -> dict[str, Any]:
        """Return an issue as GitHub's `issue` schema says."""
        api = f"{base_url}/repos/{self.repo}/issues/{item.number}"
        kind = "pull" if item.pull_request else "issues"
        rendered: dict[str, Any] = {
            "id": 5000 + item.number,
            "node_id": f"I_{item.number}",
            "url": api,
            "repository_url": f"{base_url}/repos/{self.repo}",
            "labels_url": f"{api}/labels{{/name}}",
            "comments_url": f"{api}/comments",
            "events_url": f"{api}/events",
            "html_url": f"https://github.com/{self.repo}/{kind}/{item.number}",
            "number": item.number,
            "state": item.state,
            "state_reason": item.state_reason,
            "title": item.title,
            "body": item.body,
            "user": _user(base_url),
            "labels": [_label(name, base_url, self.repo) for name in item.labels],
            "assignee": None,
            "assignees": [],
            "milestone": None,
            "locked": False,
            "comments": len(item.comments),
            "created_at": _stamp(item.created_at),
            "updated_at": _stamp(item.closed_at or item.created_at),
            "closed_at": _stamp(item.closed_at) if item.closed_at else None,
            "author_association": "NONE",
        }
        if item.pull_request:
            pull = f"https://github.com/{self.repo}/pull/{item.number}"
            rendered["pull_request"] = {
                "url": f"{base_url}/repos/{self.repo}/pulls/{item.number}",
                "html_url": pull,
                "diff_url": f"{pull}.diff",
                "patch_url": f"{pull}.patch",
                "merged_at": None,
            }
        return rendered

    def _list(
        self, query: dict[str, str], base_url: str, path: str
    ) -> tuple[int, object, dict[str, str]]:
        state = query.get("state", "open")
        wanted = set(filter(None, query.get("labels", "").split(",")))
        found = [
            i for i in self.items.values() if state in {"all", i.state} and wanted <= set(i.labels)
        ]
        found.sort(key=lambda i: (i.created_at, i.number), reverse=query.get("direction") != "asc")
        per_page = min(int(query.get("per_page", _PER_PAGE)), _PER_PAGE_MAX)
        page = int(query.get("page", 1))
        shown = found[(page - 1) * per_page : page * per_page]
        headers = {}
        if page * per_page < len(found):
            following = urlencode({**query, "page": page + 1})
            headers["Link"] = f'<{base_url}{path}?{following}>; rel="next"'
        return 200, [self.render(i, base_url) for i in shown], headers

    def _update(self, item: Item, body: dict[str, Any]) -> None:
        state = body.get("state")
        if state and state != item.state:
            item.state = state
            closed = state == "closed"
            item.state_reason = body.get("state_reason") or ("completed" if closed else "reopened")
            item.closed_at = _now() if closed else None
        if "title" in body:
            item.title = str(body["title"])
        if "body" in body:
            item.body = body["body"]
        if "labels" in body:
            item.labels = [_name(label) for label in body["labels"]]

    def _comment(self, item: Item, text: str, base_url: str) -> dict[str, Any]:
        comment_id = next(self._ids)
        return {
            "id": comment_id,
            "node_id": f"IC_{comment_id}",
            "url": f"{base_url}/repos/{self.repo}/issues/comments/{comment_id}",
            "html_url": f"https://github.com/{self.repo}/issues/{item.number}#issuecomment-{comment_id}",
            "issue_url": f"{base_url}/repos/{self.repo}/issues/{item.number}",
            "body": text,
            "user": _user(base_url),
            "created_at": _stamp(_now()),
            "updated_at": _stamp(_now()),
            "author_association": "NONE",
        }


def _name(label: object) -> str:
    return str(label["name"]) if isinstance(label, dict) else str(label)


def _label(name: str, base_url: str, repo: str) -> dict[str, Any]:
    return {
        "id": zlib.crc32(name.encode()),
        "node_id": f"LA_{name}",
        "url": f"{base_url}/repos/{repo}/labels/{name}",
        "name": name,
        "description": None,
        "color": "d73a4a",
        "default": False,
    }


def _user(base_url: str) -> dict[str, Any]:
    login = "github-actions[bot]"
    api = f"{base_url}/users/{login}"
    return {
        "login": login,
        "id": 41898282,
        "node_id": "MDM6Qm90NDE4OTgyODI=",
        "avatar_url": "https://avatars.githubusercontent.com/in/15368?v=4",
        "gravatar_id": "",
        "url": api,
        "html_url": "https://github.com/apps/github-actions",
        "followers_url": f"{api}/followers",
        "following_url": f"{api}/following{{/other_user}}",
        "gists_url": f"{api}/gists{{/gist_id}}",
        "starred_url": f"{api}/starred{{/owner}}{{/repo}}",
        "subscriptions_url": f"{api}/subscriptions",
        "organizations_url": f"{api}/orgs",
        "repos_url": f"{api}/repos",
        "events_url": f"{api}/events{{/privacy}}",
        "received_events_url": f"{api}/received_events",
        "type": "Bot",
        "site_admin": False,
    }


def _now() -> datetime:
    return datetime.now(UTC)


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")
