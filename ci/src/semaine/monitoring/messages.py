"""What an alert says: Slack Block Kit and GitHub issue text for an incident's transitions.

An opening alert says what failed, its figures against thresholds, the running release and
the exact rollback command; a resolving one says how long the incident lasted.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from semaine.integrations.slack import context, escape, fields, header, section
from semaine.monitoring.states import SYMBOL

if TYPE_CHECKING:
    from datetime import datetime

    from semaine.environments import Environment
    from semaine.monitoring.incidents import Transition
    from semaine.records.history import CheckResult

MARKER = re.compile(r"<!-- semaine-incident (?P<json>\{.*?\}) -->")
"""The machine-readable line of an incident issue: check, state, start (another run reads it)."""


@dataclass(frozen=True)
class Situation:
    """Everything an alert names: where, which check, its result, what runs."""

    environment: Environment
    url: str
    transition: Transition
    result: CheckResult
    release: str | None
    issue_url: str | None = None


def rollback_command(environment: Environment, transition: Transition) -> str:
    """Return the exact command that rolls the environment's application back."""
    reason = f"monitor: {transition.check} {transition.state} since {_when(transition.opened_at)}"
    confirm = f" --confirm {environment.name}" if environment.confirmation_required else ""
    return (
        f"uv run semaine rollback --environment {environment.name} --rollback-type application"
        f'{confirm} --reason "{reason}"'
    )


def title(situation: Situation) -> str:
    """Return the one-line title of an opened incident (also the issue's title)."""
    transition = situation.transition
    what = "is down" if transition.state == "down" else "is degraded (too slow)"
    return f"{situation.environment.name}: {transition.check} {what}"


def opened_slack(situation: Situation) -> tuple[str, list[dict[str, Any]]]:
    """Return the text and blocks of the Slack alert for an opened incident."""
    transition, result = situation.transition, situation.result
    heading = f"{SYMBOL[transition.state]} {title(situation)}"
    blocks = [
        header(heading),
        section(f"*What failed:* {escape(result.detail)}"),
        fields(
            [
                ("Measured", _figures(result.figures) or "-"),
                ("Thresholds", _figures(result.thresholds) or "-"),
                ("Running release", situation.release or "unknown"),
                ("Since", _when(transition.opened_at)),
            ]
        ),
        section(
            "*To roll the application back:*\n"
            f"```{escape(rollback_command(situation.environment, transition))}```"
        ),
        context(_links(situation)),
    ]
    return f"{heading}: {result.detail}", blocks


def resolved_slack(situation: Situation) -> tuple[str, list[dict[str, Any]]]:
    """Return the text and blocks of the Slack message for a resolved incident."""
    transition = situation.transition
    heading = f"✅ {situation.environment.name}: {transition.check} recovered"
    lasted = f"after {duration(transition.duration_seconds)}"
    blocks = [
        header(heading),
        section(
            f"*{escape(transition.check)}* is up again {lasted}"
            f" ({_when(transition.opened_at)} to {_when(transition.resolved_at)})."
            f"\n{escape(situation.result.detail)}"
        ),
        context(_links(situation)),
    ]
    return f"{heading} {lasted}", blocks


def issue_body(situation: Situation) -> str:
    """Return the Markdown body of an incident issue (with its machine-readable marker)."""
    transition, result = situation.transition, situation.result
    rows = [
        f"| {name} | {value:g} | {_threshold(result, name)} |"
        for name, value in result.figures.items()
    ]
    marker = {
        "check": transition.check,
        "state": transition.state,
        "opened_at": transition.opened_at.isoformat(),
    }
    return "\n".join(
        [
            f"**{title(situation)}** since {_when(transition.opened_at)}.",
            "",
            f"What failed: {result.detail}",
            "",
            "| figure | measured | threshold |",
            "| --- | --- | --- |",
            *rows,
            "",
            f"Running release: {situation.release or 'unknown'} · service: {situation.url}",
            "",
            "To roll the application back:",
            "",
            "```bash",
            rollback_command(situation.environment, transition),
            "```",
            "",
            (
                "What to do for each check: docs/operations.md. The monitor closes this issue"
                " when the check passes again."
            ),
            "",
            f"<!-- semaine-incident {json.dumps(marker)} -->",
        ]
    )


def worsened_comment(situation: Situation) -> str:
    """Return the comment for an incident that got worse (degraded, now down)."""
    return (
        f"Worsened: {situation.transition.check} is now **{situation.transition.state}**"
        f" ({_when(situation.transition.opened_at)} onwards): {situation.result.detail}"
    )


def resolved_comment(situation: Situation) -> str:
    """Return the closing comment: resolved, and after how long."""
    transition = situation.transition
    return (
        f"Resolved after {duration(transition.duration_seconds)}: {transition.check} is up"
        f" again ({_when(transition.opened_at)} to {_when(transition.resolved_at)})."
        f" {situation.result.detail}"
    )


def marker_in(body: str) -> dict[str, str]:
    """Return the marker an incident issue carries (check, state, opened_at), or {}."""
    found = MARKER.search(body)
    if found is None:
        return {}
    try:
        value = json.loads(found.group("json"))
    except ValueError:
        return {}
    return {str(key): str(item) for key, item in value.items()} if isinstance(value, dict) else {}


def duration(seconds: float) -> str:
    """Say how long, to the minute: `45 s`, `12 min`, `3 h 05 min`, `2 d 4 h`."""
    minutes = int(seconds // 60)
    if minutes < 1:
        return f"{seconds:.0f} s"
    hours, minutes = divmod(minutes, 60)
    if hours < 1:
        return f"{minutes} min"
    days, hours = divmod(hours, 24)
    return f"{days} d {hours} h" if days else f"{hours} h {minutes:02d} min"


def _links(situation: Situation) -> str:
    issue = f" · issue {situation.issue_url}" if situation.issue_url else ""
    return f"{situation.url}{issue} · docs/operations.md"


def _figures(values: dict[str, float]) -> str:
    return "\n".join(f"{name}: {value:g}" for name, value in values.items())


def _threshold(result: CheckResult, name: str) -> str:
    value = result.thresholds.get(name)
    return "" if value is None else f"{value:g}"


def _when(moment: datetime | None) -> str:
    return "-" if moment is None else f"{moment:%Y-%m-%d %H:%M} UTC"
