"""An environment file's monitoring section: each check's conditions, incident thresholds, windows.

Every key has a default, so `monitoring: {}` watches with the SLOs of docs/operations.md.
"""

from __future__ import annotations

import re
from datetime import time  # noqa: TC003  # pydantic reads the annotation at runtime
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

Weekday = Literal["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
WEEKDAYS: tuple[Weekday, ...] = (
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
)
"""Monday first, as `date.weekday()` numbers them."""
CHECK_NAME = r"^[a-z][a-z0-9-]{0,39}$"
"""A check's name is also a GitHub label: lower case, digits and dashes."""
BUILT_IN_CHECKS = ("api", "calendar", "database", "tls")
"""The checks with their own section below; `checks` holds the endpoint checks beside them."""
Seconds = Annotated[float, Field(gt=0, le=300)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CheckConditions(_Strict):
    """Gatus-style conditions of one endpoint check: expected status, response time, body."""

    path: Annotated[str, Field(pattern=r"^/")]
    status: Annotated[list[int], Field(min_length=1)] = [200]
    degraded_after_ms: Annotated[float, Field(gt=0)] = 500.0
    timeout_seconds: Annotated[float, Field(gt=0, le=120)] = 10.0
    body_contains: list[str] = []


class ApiPerformance(_Strict):
    """A few dozen requests spread over the US1.6 endpoints: their p95 and error rate."""

    requests: Annotated[int, Field(ge=4, le=400)] = 32
    p95_ms: Annotated[float, Field(gt=0)] = 500.0
    """Above it the API is degraded (the SLO: API p95 < 500 ms)."""
    error_rate_percent: Annotated[float, Field(ge=0, le=100)] = 0.1
    """Above it the API is down (the SLO: error rate < 0.1 %)."""
    request_timeout_seconds: Seconds = 5.0
    timeout_seconds: Seconds = 60.0


class CalendarNavigation(_Strict):
    """The week page, its previous, next and today links: each page's time."""

    degraded_after_ms: Annotated[float, Field(gt=0)] = 1000.0
    request_timeout_seconds: Seconds = 5.0
    timeout_seconds: Seconds = 30.0


class DatabaseLimits(_Strict):
    """What the read-only database check reads, and when its figures mean degraded."""

    statement_timeout_ms: Annotated[int, Field(ge=100, le=60_000)] = 5000
    connect_timeout_seconds: Annotated[int, Field(ge=1, le=60)] = 10
    connections_percent: Annotated[float, Field(gt=0, le=100)] = 80.0
    """Connections in use against max_connections, in percent, above which it is degraded."""
    longest_query_seconds: Annotated[float, Field(gt=0)] = 300.0
    slow_statement_ms: Annotated[float, Field(gt=0)] = 100.0
    """pg_stat_statements' mean above which a statement is slow (the SLO: queries < 100 ms)."""
    timeout_seconds: Seconds = 30.0


class CertificateLimits(_Strict):
    """Days to the expiry of the URL's TLS certificate: degraded, then down, when near."""

    degraded_within_days: Annotated[int, Field(ge=0, le=365)] = 14
    down_within_days: Annotated[int, Field(ge=0, le=365)] = 3
    timeout_seconds: Seconds = 10.0

    @model_validator(mode="after")
    def _down_before_degraded(self) -> CertificateLimits:
        if self.down_within_days > self.degraded_within_days:
            message = "down_within_days must not exceed degraded_within_days"
            raise ValueError(message)
        return self


class MaintenanceWindow(_Strict):
    """A recurring window, in a named timezone, during which alerts are suppressed."""

    start: time
    duration_minutes: Annotated[int, Field(gt=0, le=24 * 60)]
    timezone: str = "Europe/Paris"
    every: Annotated[list[Weekday], Field(min_length=1)] = list(WEEKDAYS)

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, name: str) -> str:
        try:
            ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError) as error:
            message = f"unknown timezone {name!r}: use an IANA name such as Europe/Paris"
            raise ValueError(message) from error
        return name


def _default_checks() -> dict[str, CheckConditions]:
    return {
        "healthz": CheckConditions(path="/healthz"),
        "readyz": CheckConditions(path="/readyz"),
    }


class Monitoring(_Strict):
    """How an environment is watched: the checks, retests, incident thresholds, windows."""

    incident_after_failed_runs: Annotated[int, Field(ge=1, le=20)] = 2
    resolve_after_passed_runs: Annotated[int, Field(ge=1, le=20)] = 2
    retests: Annotated[int, Field(ge=0, le=5)] = 2
    """How many more times a failing check is tried within the run before it counts."""
    retest_pause_seconds: Annotated[float, Field(ge=0, le=60)] = 5.0
    checks: dict[str, CheckConditions] = Field(default_factory=_default_checks)
    """Endpoint checks (health: /healthz, /readyz), by name."""
    api: ApiPerformance = ApiPerformance()
    calendar: CalendarNavigation = CalendarNavigation()
    database: DatabaseLimits = DatabaseLimits()
    tls: CertificateLimits = CertificateLimits()
    maintenance: list[MaintenanceWindow] = []

    @field_validator("checks")
    @classmethod
    def _label_safe_names(cls, checks: dict[str, CheckConditions]) -> dict[str, CheckConditions]:
        for name in checks:
            if name in BUILT_IN_CHECKS:
                message = f"{name!r} is a built-in check: configure it under monitoring.{name}"
                raise ValueError(message)
            if re.fullmatch(CHECK_NAME, name) is None:
                message = f"check name {name!r}: use lower case, digits and dashes (a label)"
                raise ValueError(message)
        return checks
