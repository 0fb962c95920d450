"""Incidents from the runs' events: one per (check, opened_at), durations, ongoing first."""

from __future__ import annotations

from datetime import timedelta

from semaine.dashboard.incidents import incidents, overlapping
from semaine.records import IncidentEvent
from tests.dashboard_histories import MONDAY, opened, resolved, run

URL = "https://github.com/acme/semaine/issues/7"
T0 = MONDAY + timedelta(hours=7)


def at(minutes: float) -> timedelta:
    return timedelta(minutes=minutes)


def test_a_resolved_incident_lasts_from_opened_to_resolved() -> None:
    runs = [
        run(T0, "down", detail="503 from /healthz", incidents=[opened("healthz", T0, URL)]),
        run(T0 + at(15), "down"),
        run(T0 + at(30), incidents=[resolved("healthz", T0, T0 + at(30), URL)]),
    ]
    (incident,) = incidents(runs)
    assert (incident.check, incident.worst_state, incident.issue_url) == ("healthz", "down", URL)
    assert incident.detail == "503 from /healthz"
    assert not incident.ongoing
    assert incident.duration(T0 + at(600)) == at(30)


def test_an_ongoing_incident_lasts_until_now_and_comes_first() -> None:
    runs = [
        run(T0, "down", incidents=[opened("healthz", T0)]),
        run(T0 + at(15), incidents=[resolved("healthz", T0, T0 + at(15))]),
        run(T0 + at(60), "down", incidents=[opened("api", T0 + at(60), state="degraded")]),
        run(T0 + at(75), "down", incidents=[opened("healthz", T0 + at(75))]),
    ]
    found = incidents(runs)
    assert [(i.check, i.ongoing) for i in found] == [
        ("healthz", True),
        ("api", True),
        ("healthz", False),
    ]
    assert found[0].duration(T0 + at(100)) == at(25)


def test_a_repeated_run_does_not_make_a_second_incident_and_worsening_is_kept() -> None:
    worsened = IncidentEvent.model_validate(
        {"check": "api", "event": "worsened", "state": "down", "opened_at": T0}
    )
    runs = [
        run(T0, incidents=[opened("api", T0, state="degraded")]),
        run(T0 + at(1), incidents=[opened("api", T0, URL, state="degraded")]),  # ran twice
        run(T0 + at(15), "down", incidents=[worsened]),
    ]
    (incident,) = incidents(runs)
    assert incident.worst_state == "down"
    assert incident.issue_url == URL


def test_a_resolution_without_its_time_takes_the_run_time() -> None:
    event = IncidentEvent.model_validate(
        {"check": "healthz", "event": "resolved", "state": "up", "opened_at": T0}
    )
    (incident,) = incidents([run(T0 + at(45), incidents=[event])])
    assert incident.resolved_at == T0 + at(45)
    assert incident.duration(T0 + at(99)) == at(45)


def test_old_resolved_incidents_drop_out_of_the_window() -> None:
    runs = [
        run(T0, incidents=[opened("healthz", T0)]),
        run(T0 + at(15), incidents=[resolved("healthz", T0, T0 + at(15))]),
        run(T0 + at(30), incidents=[opened("api", T0 + at(30))]),
    ]
    assert [i.check for i in overlapping(incidents(runs), T0 + at(20))] == ["api"]
