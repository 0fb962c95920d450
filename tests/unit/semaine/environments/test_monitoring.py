"""The monitoring section: defaults that match the SLOs, and each mistake named."""

from __future__ import annotations

from datetime import time

import pytest
import yaml
from pydantic import BaseModel, ValidationError

from semaine.environments import Monitoring, load_environment
from semaine.environments.monitoring import (
    BUILT_IN_CHECKS,
    ApiPerformance,
    CalendarNavigation,
    CertificateLimits,
    CheckConditions,
    DatabaseLimits,
    MaintenanceWindow,
)
from tests.paths import ROOT

SECTIONS: dict[str, type[BaseModel]] = {
    "api": ApiPerformance,
    "calendar": CalendarNavigation,
    "database": DatabaseLimits,
    "tls": CertificateLimits,
}
"""The built-in checks' sections of `monitoring`, each with its own keys."""


def test_defaults_are_the_slos() -> None:
    monitoring = Monitoring()
    assert monitoring.api.p95_ms == 500
    assert monitoring.api.error_rate_percent == 0.1
    assert monitoring.database.slow_statement_ms == 100
    assert set(monitoring.checks) == {"healthz", "readyz"}
    assert monitoring.retests == 2
    assert (monitoring.incident_after_failed_runs, monitoring.resolve_after_passed_runs) == (2, 2)


def test_the_committed_production_file_declares_its_monitoring() -> None:
    monitoring = load_environment("production", ROOT).monitoring
    assert monitoring.checks["readyz"].path == "/readyz"
    assert monitoring.api.timeout_seconds > 0
    assert monitoring.database.statement_timeout_ms <= 10_000


def test_a_full_section_loads() -> None:
    monitoring = Monitoring.model_validate(
        {
            "retests": 0,
            "retest_pause_seconds": 0,
            "checks": {"home-page": {"path": "/", "status": [307]}},
            "api": {"requests": 8, "p95_ms": 250, "error_rate_percent": 1},
            "calendar": {"degraded_after_ms": 800},
            "database": {"statement_timeout_ms": 2000, "connections_percent": 90},
            "tls": {"degraded_within_days": 21, "down_within_days": 7},
            "maintenance": [{"start": "02:30", "duration_minutes": 45, "every": ["sunday"]}],
        }
    )
    assert monitoring.checks["home-page"].status == [307]
    assert monitoring.maintenance[0].timezone == "Europe/Paris"


@pytest.mark.parametrize("name", BUILT_IN_CHECKS)
def test_an_endpoint_check_cannot_take_a_built_in_name(name: str) -> None:
    with pytest.raises(ValidationError, match=f"configure it under monitoring.{name}"):
        Monitoring.model_validate({"checks": {name: {"path": "/"}}})


@pytest.mark.parametrize("name", ["Health", "with space", "x" * 41, "-lead"])
def test_a_check_name_must_make_a_label(name: str) -> None:
    with pytest.raises(ValidationError, match="lower case, digits and dashes"):
        Monitoring.model_validate({"checks": {name: {"path": "/"}}})


@pytest.mark.parametrize(
    ("section", "expected"),
    [
        ({"api": {"requests": 2}}, "greater than or equal to 4"),
        ({"api": {"colour": "blue"}}, "Extra inputs are not permitted"),
        ({"checks": {"home": {"path": "no-slash"}}}, "should match pattern"),
        ({"retests": 9}, "less than or equal to 5"),
    ],
)
def test_a_mistake_is_refused(section: dict[str, object], expected: str) -> None:
    with pytest.raises(ValidationError, match=expected):
        Monitoring.model_validate(section)


def test_the_certificate_is_down_before_it_is_degraded() -> None:
    with pytest.raises(ValidationError, match="must not exceed degraded_within_days"):
        CertificateLimits(degraded_within_days=3, down_within_days=7)


def _fields(model: type[BaseModel]) -> set[str]:
    return set(model.model_fields)


@pytest.mark.parametrize("name", ["staging", "production"])
def test_each_committed_file_writes_out_every_key_a_team_tunes(name: str) -> None:
    path = ROOT / ".github" / "environments" / f"{name}.yml"
    written = yaml.safe_load(path.read_text(encoding="utf-8"))["monitoring"]
    assert set(written) == _fields(Monitoring)
    for key, model in SECTIONS.items():
        assert set(written[key]) == _fields(model), key
    for check in written["checks"].values():
        assert set(check) >= _fields(CheckConditions) - {"body_contains"}
    assert load_environment(name, ROOT).monitoring.checks.keys() == {"healthz", "readyz"}


@pytest.mark.parametrize("name", ["staging", "production"])
def test_the_commented_maintenance_example_is_a_valid_window(name: str) -> None:
    text = (ROOT / ".github" / "environments" / f"{name}.yml").read_text(encoding="utf-8")
    (example,) = [line for line in text.splitlines() if line.startswith("  #   - {start:")]
    window = MaintenanceWindow.model_validate(yaml.safe_load(example.split("- ", 1)[1]))
    assert window.start == time(2, 30)
    assert window.every == ["sunday"]
