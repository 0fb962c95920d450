"""An environment file's monitoring section: check conditions, incident thresholds, windows."""

from __future__ import annotations

from datetime import time  # noqa: TC003  # pydantic reads the annotation at runtime
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, field_validator

Weekday = Literal["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CheckConditions(_Strict):
    """Gatus-style conditions of one HTTP check: expected status, response time, body."""

    path: str
    status: Annotated[list[int], Field(min_length=1)] = [200]
    degraded_after_ms: Annotated[float, Field(gt=0)] = 500.0
    timeout_seconds: Annotated[float, Field(gt=0, le=120)] = 10.0
    body_contains: list[str] = []


class MaintenanceWindow(_Strict):
    """A recurring window, in a named timezone, during which alerts are suppressed."""

    start: time
    duration_minutes: Annotated[int, Field(gt=0, le=24 * 60)]
    timezone: str = "Europe/Paris"
    every: Annotated[list[Weekday], Field(min_length=1)] = [
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    ]

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
        "healthz": CheckConditions(path="/healthz", body_contains=[]),
        "readyz": CheckConditions(path="/readyz"),
    }


class Monitoring(_Strict):
    """How production is watched: thresholds for incidents, the checks, maintenance windows."""

    incident_after_failed_runs: Annotated[int, Field(ge=1, le=20)] = 2
    resolve_after_passed_runs: Annotated[int, Field(ge=1, le=20)] = 2
    checks: dict[str, CheckConditions] = Field(default_factory=_default_checks)
    maintenance: list[MaintenanceWindow] = []
