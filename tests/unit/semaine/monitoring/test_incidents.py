"""Incidents open after N failing runs and resolve after M passing ones, counted in runs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from semaine.environments import Monitoring
from semaine.monitoring.incidents import OpenIncident, Transition, counted, replay, transition
from semaine.records.history import CheckResult, IncidentEvent, MonitorRun

START = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
POLICY = Monitoring(incident_after_failed_runs=2, resolve_after_passed_runs=2)


def run(index: int, state: str, *, maintenance: bool = False) -> MonitorRun:
    return MonitorRun.model_validate(
        {
            "environment": "production",
            "started_at": START + timedelta(minutes=15 * index),
            "seconds": 1,
            "state": state,
            "checks": {"api": CheckResult.model_validate({"state": state, "seconds": 0.2})},
            "in_maintenance": maintenance,
        }
    )


def replayed(states: str, policy: Monitoring = POLICY) -> list[Transition]:
    """Feed runs one by one (u up, d degraded, D down, e error), as the schedule would."""
    names = {"u": "up", "d": "degraded", "D": "down", "e": "error"}
    runs: list[MonitorRun] = []
    incident: OpenIncident | None = None
    changes = []
    for index, letter in enumerate(states):
        runs.append(run(index, names[letter]))
        change = transition(runs, "api", incident, policy)
        if change is None:
            continue
        changes.append(change)
        if change.event == "resolved":
            incident = None
        else:
            incident = OpenIncident("api", change.state, change.opened_at)
    return changes


def events(changes: list[Transition]) -> list[str]:
    return [f"{change.event} {change.state}" for change in changes]


def test_one_blip_pages_nobody() -> None:
    assert replayed("uuDuuu") == []


def test_two_failing_runs_open_and_two_passing_runs_resolve() -> None:
    changes = replayed("uDDuuu")
    assert events(changes) == ["opened down", "resolved up"]
    opened, resolved = changes
    assert opened.opened_at == START + timedelta(minutes=15), (
        "the incident began at the first failure"
    )
    assert resolved.resolved_at == START + timedelta(minutes=60)
    assert resolved.duration_seconds == 45 * 60


def test_a_flapping_service_pages_once_at_most() -> None:
    assert replayed("DuDuDuDu") == [], "never two failures in a row: no incident"
    assert events(replayed("DDuDuDuDuu")) == ["opened down", "resolved up"]


def test_degraded_then_down_worsens_once() -> None:
    assert events(replayed("ddDDDuu")) == ["opened degraded", "worsened down", "resolved up"]


def test_down_then_degraded_is_not_a_new_event() -> None:
    assert events(replayed("DDdduu")) == ["opened down", "resolved up"]


def test_a_check_that_could_not_run_counts_for_neither() -> None:
    assert replayed("DeD") != [], "the error between two failures does not break the streak"
    assert events(replayed("DDue")) == ["opened down"], "nor does it count as a pass"
    assert events(replayed("DDueu")) == ["opened down", "resolved up"]


def test_thresholds_come_from_the_file() -> None:
    patient = Monitoring(incident_after_failed_runs=3, resolve_after_passed_runs=1)
    assert replayed("DDuDD", patient) == []
    assert events(replayed("DDDu", patient)) == ["opened down", "resolved up"]


def test_runs_in_maintenance_do_not_count() -> None:
    runs = [run(0, "down"), run(1, "down", maintenance=True), run(2, "down")]
    assert [state for _, state in counted(runs, "api")] == ["down", "down"]
    assert transition(runs[:2], "api", None, POLICY) is None, "no transition in maintenance"
    opened = transition(runs, "api", None, POLICY)
    assert opened is not None
    assert opened.event == "opened"


def test_the_history_replays_its_open_incidents() -> None:
    opened = IncidentEvent(check="api", event="opened", state="degraded", opened_at=START)
    worse = IncidentEvent(
        check="api", event="worsened", state="down", opened_at=START, issue_url="https://x/1"
    )
    other = IncidentEvent(check="database", event="opened", state="down", opened_at=START)
    resolved = IncidentEvent(
        check="database", event="resolved", state="up", opened_at=START, resolved_at=START
    )
    runs = [
        run(0, "degraded").model_copy(update={"incidents": [opened, other]}),
        run(1, "down").model_copy(update={"incidents": [worse, resolved]}),
    ]
    assert replay(runs) == {"api": OpenIncident("api", "down", START, "https://x/1")}
