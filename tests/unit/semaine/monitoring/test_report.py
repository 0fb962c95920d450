"""The run's report: JSON with the exit status, Markdown with a table and what was sent."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from semaine.monitoring.report import Delivery, markdown, write_report
from semaine.records.history import CheckResult, IncidentEvent, MonitorRun

if TYPE_CHECKING:
    from pathlib import Path

STARTED = datetime(2026, 11, 30, 9, 15, tzinfo=UTC)
RUN = MonitorRun(
    environment="production",
    started_at=STARTED,
    seconds=3.25,
    release="v42",
    state="down",
    checks={
        "readyz": CheckResult(
            state="down", seconds=0.1, detail="GET /readyz answered 503 | retry", attempts=3
        ),
        "api": CheckResult(
            state="up", seconds=0.8, figures={"p95_ms": 42.0}, thresholds={"p95_ms": 500.0}
        ),
    },
    incidents=[
        IncidentEvent(
            check="readyz",
            event="opened",
            state="down",
            opened_at=STARTED,
            issue_url="https://github.com/o/r/issues/7",
            alerted=True,
        )
    ],
    problems=["Slack: the opened readyz alert was not delivered: no_service"],
    skipped={"tls": "http:// URL: no TLS certificate to read"},
)
DELIVERIES = [
    Delivery("github", "opened readyz", delivered=True, detail="https://github.com/o/r/issues/7"),
    Delivery("slack", "opened readyz", delivered=False, detail="no_service"),
]


def test_the_json_report_holds_the_run_and_its_exit_status(tmp_path: Path) -> None:
    path = write_report(tmp_path, "https://semaine.example", RUN, DELIVERIES)
    document = json.loads(path.read_text("utf-8"))
    assert document["exit_status"] == 1
    assert MonitorRun.model_validate(document["run"]) == RUN
    assert [alert["delivered"] for alert in document["alerts"]] == [True, False]
    assert (tmp_path / "report.md").read_text("utf-8") == markdown(
        "https://semaine.example", RUN, DELIVERIES
    )


def test_the_markdown_fits_a_step_summary() -> None:
    text = markdown("https://semaine.example", RUN, DELIVERIES)
    lines = text.splitlines()
    assert lines[0] == "## 🔴 Monitor production: down (exit status 1)"
    assert "| readyz | 🔴 down |  |  | GET /readyz answered 503 \\| retry | 3 |" in lines
    assert "| api | 🟢 up | p95_ms 42 | p95_ms 500 |  | 1 |" in lines
    assert "| tls | skipped | | | http:// URL: no TLS certificate to read | 0 |" in lines
    assert (
        "- readyz: opened, down, since 2026-11-30 09:15 UTC ([issue](https://github.com/o/r/issues/7))"
        in lines
    )
    assert "- slack, opened readyz: NOT sent: no_service" in lines
    assert lines[-1] == "- Slack: the opened readyz alert was not delivered: no_service"
