"""A run's report: report.json for machines, report.md for people ($GITHUB_STEP_SUMMARY)."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING

from semaine.monitoring.states import SYMBOL, exit_status

if TYPE_CHECKING:
    from pathlib import Path

    from semaine.records.history import CheckResult, MonitorRun

REPORT_JSON = "report.json"
REPORT_MD = "report.md"


@dataclass(frozen=True)
class Delivery:
    """One alert sent (or not): where, what, whether it arrived, and what went wrong."""

    channel: str
    """`slack` or `github`."""
    action: str
    """What it was, e.g. `opened database`, `resolved api`."""
    delivered: bool
    detail: str = ""


def write_report(folder: Path, url: str, run: MonitorRun, deliveries: list[Delivery]) -> Path:
    """Write report.json and report.md into `folder`; return the JSON's path."""
    folder.mkdir(parents=True, exist_ok=True)
    document = {
        "environment": run.environment,
        "url": url,
        "state": run.state,
        "exit_status": int(exit_status(run.state, run.problems)),
        "run": json.loads(run.model_dump_json()),
        "alerts": [asdict(delivery) for delivery in deliveries],
    }
    path = folder / REPORT_JSON
    path.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    (folder / REPORT_MD).write_text(markdown(url, run, deliveries), encoding="utf-8")
    return path


def markdown(url: str, run: MonitorRun, deliveries: list[Delivery]) -> str:
    """Render the run as Markdown (a heading, a table of checks, incidents, problems)."""
    status = int(exit_status(run.state, run.problems))
    lines = [
        f"## {SYMBOL[run.state]} Monitor {run.environment}: {run.state} (exit status {status})",
        "",
        (
            f"{url} · release {run.release or 'unknown'}"
            f" · schema {run.schema_revision or 'unknown'}"
            f" · {run.started_at:%Y-%m-%d %H:%M:%S} UTC · {run.seconds:.1f} s"
        ),
        "",
        "| check | state | figures | thresholds | detail | tries |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    lines += [_row(name, result) for name, result in run.checks.items()]
    lines += [f"| {name} | skipped | | | {_cell(why)} | 0 |" for name, why in run.skipped.items()]
    if run.in_maintenance:
        lines += ["", "_In a maintenance window: alerts suppressed, the run still recorded._"]
    if run.incidents:
        lines += ["", "### Incidents", ""]
        for event in run.incidents:
            issue = f" ([issue]({event.issue_url}))" if event.issue_url else ""
            since = f"since {event.opened_at:%Y-%m-%d %H:%M} UTC"
            lines.append(f"- {event.check}: {event.event}, {event.state}, {since}{issue}")
    if deliveries:
        lines += ["", "### Alerts", ""]
        for delivery in deliveries:
            mark = "sent" if delivery.delivered else "NOT sent"
            detail = f": {delivery.detail}" if delivery.detail else ""
            lines.append(f"- {delivery.channel}, {delivery.action}: {mark}{detail}")
    if run.problems:
        lines += ["", "### Problems", "", *[f"- {problem}" for problem in run.problems]]
    return "\n".join(lines) + "\n"


def _row(name: str, result: CheckResult) -> str:
    figures = ", ".join(f"{key} {value:g}" for key, value in result.figures.items())
    thresholds = ", ".join(f"{key} {value:g}" for key, value in result.thresholds.items())
    state = f"{SYMBOL[result.state]} {result.state}"
    return (
        f"| {name} | {state} | {_cell(figures)} | {_cell(thresholds)} | {_cell(result.detail)}"
        f" | {result.attempts} |"
    )


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")
