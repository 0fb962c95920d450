"""A monitored project for scenario tests: its environment file, its runs, what they left.

Each run is `semaine monitor` as the schedule would call it (the CLI's `main`), against
the served app behind a fault proxy, alerting the Slack and GitHub stand-ins. Thresholds
are generous or impossible so that no outcome depends on the machine's speed.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import yaml

from semaine.cli import main
from semaine.records.history import MonitorRun, read_monitor_runs

if TYPE_CHECKING:
    from pathlib import Path

    from tests.fault_proxy import FaultProxy
    from tests.standins.github import GitHubStandIn
    from tests.standins.slack import SlackStandIn

GENEROUS_MS = 60_000
"""A limit no local answer reaches."""
ENVIRONMENT = "production"


def monitoring_section(**overrides: Any) -> dict[str, Any]:
    """Return a monitoring section: no retest pause, small series, generous limits."""
    section: dict[str, Any] = {
        "incident_after_failed_runs": 2,
        "resolve_after_passed_runs": 2,
        "retests": 1,
        "retest_pause_seconds": 0,
        "checks": {
            "healthz": {"path": "/healthz", "degraded_after_ms": GENEROUS_MS, "timeout_seconds": 5},
            "readyz": {"path": "/readyz", "degraded_after_ms": GENEROUS_MS, "timeout_seconds": 5},
        },
        "api": {"requests": 8, "p95_ms": GENEROUS_MS},
        "calendar": {"degraded_after_ms": GENEROUS_MS},
    }
    section.update(overrides)
    return section


@dataclass
class Scenario:
    """A project folder with production.yml, and the runs made against the proxy."""

    root: Path
    proxy: FaultProxy
    slack: SlackStandIn | None = None
    github: GitHubStandIn | None = None
    database_url_variable: str | None = None
    statuses: list[int] = field(default_factory=list)

    def configure(self, **monitoring: Any) -> None:
        """Write production.yml with this monitoring section (see `monitoring_section`)."""
        folder = self.root / ".github" / "environments"
        folder.mkdir(parents=True, exist_ok=True)
        document = {
            "heroku_app": "semaine-production",
            "url": "https://semaine-production.herokuapp.com",
            "branch": "main",
            "confirmation_required": True,
            "rollback_actors": ["semaine-maintainers"],
            "monitoring": monitoring_section(**monitoring),
        }
        (folder / f"{ENVIRONMENT}.yml").write_text(yaml.safe_dump(document), encoding="utf-8")

    @property
    def state(self) -> Path:
        """The history folder the runs share."""
        return self.root / "history"

    @property
    def report(self) -> Path:
        """The report folder (each run rewrites it)."""
        return self.root / "report"

    def run(self, state: Path | None = None) -> int:
        """Run the monitor once (with `state`, another copy of the history); return its status."""
        argv = ["monitor", "--environment", ENVIRONMENT, "--project-dir", str(self.root)]
        argv += ["--url", self.proxy.url, "--state", str(state or self.state)]
        argv += ["--report", str(self.report)]
        if self.slack is not None:
            argv += ["--slack-webhook", "env://SLACK_WEBHOOK_URL"]
        if self.github is not None:
            argv += ["--github-token", "env://GITHUB_TOKEN", "--github-repo", self.github.repo]
        if self.database_url_variable is not None:
            argv += ["--database-url", f"env://{self.database_url_variable}"]
        status = main(argv)
        self.statuses.append(status)
        return status

    def runs(self, failing: str, count: int) -> list[int]:
        """Run `count` times with `failing` (a path prefix) answering 503 in every try."""
        self.proxy.fail(failing, 503)
        statuses = [self.run() for _ in range(count)]
        self.proxy.clear()
        return statuses

    def copy_state(self, name: str) -> Path:
        """Copy the history as it is now (a run that read it before another wrote)."""
        copy = self.root / name
        shutil.copytree(self.state, copy)
        return copy

    def history(self) -> list[MonitorRun]:
        """Every run recorded, oldest first."""
        return read_monitor_runs(self.state, ENVIRONMENT)

    def report_json(self) -> dict[str, Any]:
        """Return the last run's report.json."""
        document: dict[str, Any] = json.loads((self.report / "report.json").read_text("utf-8"))
        return document

    def slack_headers(self) -> list[str]:
        """Return the header of every Slack message received, in order."""
        assert self.slack is not None
        return [
            block["text"]["text"]
            for payload in self.slack.payloads
            for block in payload["blocks"]
            if block["type"] == "header"
        ]
