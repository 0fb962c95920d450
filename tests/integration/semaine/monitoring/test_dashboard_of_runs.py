"""The dashboard reads what real monitor runs wrote: their states, figures, incident, skips."""

from __future__ import annotations

from html.parser import HTMLParser
from typing import TYPE_CHECKING

import pytest

from semaine.cli import main
from semaine.exit_status import ExitStatus

if TYPE_CHECKING:
    from pathlib import Path

    from tests.monitor_scenario import Scenario
    from tests.standins.github import GitHubStandIn

pytestmark = pytest.mark.integration


class Text(HTMLParser):
    """The text of a page, one space between words, and its links."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.links += [value or "" for name, value in attrs if tag == "a" and name == "href"]

    def handle_data(self, data: str) -> None:
        self.parts.append(data)

    @property
    def words(self) -> str:
        return " ".join(" ".join(self.parts).split())


def test_the_page_shows_an_incident_the_monitor_opened_and_resolved(
    scenario: Scenario, github: GitHubStandIn, tmp_path: Path
) -> None:
    assert scenario.runs("/readyz", 3) == [ExitStatus.FAILED] * 3
    assert [scenario.run(), scenario.run()] == [ExitStatus.DONE, ExitStatus.DONE]
    site = tmp_path / "site"

    assert main(["dashboard", "--history", str(scenario.state), "--output", str(site)]) == 0

    page = Text()
    page.feed((site / "index.html").read_text(encoding="utf-8"))
    text = page.words
    assert "production: up" in text
    (issue,) = github.issues.items.values()
    issue_url = f"https://github.com/{github.repo}/issues/{issue.number}"
    assert issue_url in page.links
    assert "Incidents of production in the last 30 days, ongoing first" in text
    assert "readyz down" in text
    assert "tls skipped http:// URL: no TLS certificate to read" in text
    assert "p95 of the api check over the last 7 days, 5 runs" in text
    assert "every check" in text
    assert "misses" in text  # three runs down out of five
