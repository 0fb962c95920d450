"""What alerts say: titles, the rollback command, durations, the issue's marker, Block Kit."""

from __future__ import annotations

import shlex
from datetime import UTC, datetime, timedelta

import pytest

from semaine.cli import build_parser
from semaine.cli.delivery_verbs import run_rollback
from semaine.environments import load_environment
from semaine.monitoring import messages
from semaine.monitoring.incidents import Transition
from semaine.records.history import CheckResult
from tests.paths import ROOT
from tests.standins.slack import payload_problems

OPENED = datetime(2026, 11, 30, 9, 15, tzinfo=UTC)
RESULT = CheckResult(
    state="degraded",
    seconds=1.2,
    detail="8 requests: p95 720 ms, 0 errors (0 %); p95 over 500 ms",
    figures={"p95_ms": 720.0, "error_rate_percent": 0.0},
    thresholds={"p95_ms": 500.0, "error_rate_percent": 0.1},
)


def situation(environment: str = "production", event: str = "opened") -> messages.Situation:
    resolved = OPENED + timedelta(hours=1, minutes=5) if event == "resolved" else None
    change = Transition("api", event, "degraded", OPENED, resolved)  # type: ignore[arg-type]
    return messages.Situation(
        load_environment(environment, ROOT), "https://semaine.example", change, RESULT, "v42"
    )


def test_the_rollback_command_is_exact_and_confirms_production() -> None:
    assert messages.rollback_command(situation().environment, situation().transition) == (
        "uv run semaine rollback --environment production --rollback-type application"
        ' --confirm production --reason "monitor: api degraded since 2026-11-30 09:15 UTC"'
    )
    staging = situation("staging")
    assert "--confirm" not in messages.rollback_command(staging.environment, staging.transition)


@pytest.mark.parametrize("environment", ["staging", "production"])
def test_the_rollback_command_is_one_the_cli_takes(environment: str) -> None:
    # Pasted from an alert during an incident, it must parse: the verb's real parser reads it.
    said = situation(environment)
    words = shlex.split(messages.rollback_command(said.environment, said.transition))
    assert words[:3] == ["uv", "run", "semaine"]
    arguments = build_parser().parse_args(words[3:])
    assert arguments.run is run_rollback
    assert (arguments.environment, arguments.rollback_type) == (environment, "application")
    assert arguments.reason == "monitor: api degraded since 2026-11-30 09:15 UTC"
    # And it passes the authorisation's typed confirmation where the file asks for it.
    confirmation = said.environment.confirmation_required
    assert arguments.confirm == (environment if confirmation else None)


def test_the_opening_alert_keeps_the_webhook_contract_and_says_everything() -> None:
    text, blocks = messages.opened_slack(situation())
    assert payload_problems({"text": text, "blocks": blocks}) == []
    assert blocks[0]["text"]["text"] == "🟠 production: api is degraded (too slow)"
    shown = str(blocks)
    for expected in ("p95_ms: 720", "p95_ms: 500", "v42", "--rollback-type application"):
        assert expected in shown
    assert "p95 over 500 ms" in text


def test_the_resolving_alert_says_how_long() -> None:
    text, blocks = messages.resolved_slack(situation(event="resolved"))
    assert payload_problems({"text": text, "blocks": blocks}) == []
    assert text == "✅ production: api recovered after 1 h 05 min"


def test_the_issue_body_carries_a_marker_another_run_reads() -> None:
    body = messages.issue_body(situation())
    assert messages.marker_in(body) == {
        "check": "api",
        "state": "degraded",
        "opened_at": "2026-11-30T09:15:00+00:00",
    }
    assert "| p95_ms | 720 | 500 |" in body
    assert messages.marker_in("no marker") == {}
    assert messages.marker_in("<!-- semaine-incident {broken} -->") == {}


@pytest.mark.parametrize(
    ("seconds", "said"),
    [(45, "45 s"), (12 * 60, "12 min"), (3 * 3600 + 5 * 60, "3 h 05 min"), (52 * 3600, "2 d 4 h")],
)
def test_durations_read_as_people_say_them(seconds: float, said: str) -> None:
    assert messages.duration(seconds) == said
