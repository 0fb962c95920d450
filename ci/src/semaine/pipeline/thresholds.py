"""The reviewed gate thresholds: `[tool.semaine.gates]` of pyproject.toml."""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass, field, fields, replace
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pathlib import Path

SEVERITIES = ("low", "medium", "high")


class ThresholdsError(ValueError):
    """The thresholds table is missing, malformed, or looser than the seed's floor."""


@dataclass(frozen=True)
class Thresholds:
    """Every gate's threshold; the defaults are the US1.6 seed's floor."""

    lint_findings_max: int = 0
    unformatted_files_max: int = 0
    type_errors_max: int = 0
    failed_tests_max: int = 0
    coverage_total_min_percent: float = 90.0
    coverage_files_min_percent: dict[str, float] = field(
        default_factory=lambda: {"app/weeks.py": 100.0},
    )
    bandit_severity_min: str = "medium"
    bandit_findings_max: int = 0
    vulnerable_dependencies_max: int = 0
    load_p95_ms_below: float = 500.0
    load_error_rate_percent_below: float = 0.1
    load_requests_min: int = 200
    navigation_ms_below: float = 200.0
    page_load_ms_below: float = 2000.0
    navigations_min: int = 6
    rehearsal_rows_min: int = 10_000
    rehearsal_seconds_below: float = 10.0


FLOOR = Thresholds()
"""The seed's thresholds (pipeline-us16.md): a reviewed table may be stricter, never looser."""

# For each numeric threshold, the direction in which it gets stricter.
_STRICTER_WHEN_SMALLER = {
    "lint_findings_max",
    "unformatted_files_max",
    "type_errors_max",
    "failed_tests_max",
    "bandit_findings_max",
    "vulnerable_dependencies_max",
    "load_p95_ms_below",
    "load_error_rate_percent_below",
    "navigation_ms_below",
    "page_load_ms_below",
    "rehearsal_seconds_below",
}
_STRICTER_WHEN_LARGER = {
    "coverage_total_min_percent",
    "load_requests_min",
    "navigations_min",
    "rehearsal_rows_min",
}


def load_thresholds(pyproject: Path) -> Thresholds:
    """Read and validate `[tool.semaine.gates]` of `pyproject` (the floor when absent)."""
    try:
        document = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        message = f"cannot read the thresholds from {pyproject}: {error}"
        raise ThresholdsError(message) from error
    table = document.get("tool", {}).get("semaine", {}).get("gates")
    if table is None:
        return FLOOR
    return parse_thresholds(table, source=f"{pyproject} [tool.semaine.gates]")


def parse_thresholds(table: dict[str, Any], *, source: str = "[tool.semaine.gates]") -> Thresholds:
    """Validate a thresholds table: known keys, right types, never looser than the floor."""
    known = {item.name: item for item in fields(Thresholds)}
    unknown = sorted(set(table) - set(known))
    if unknown:
        message = f"{source}: unknown key(s) {', '.join(unknown)}; known: {', '.join(known)}"
        raise ThresholdsError(message)
    values: dict[str, Any] = {
        name: _validated(name, value, source) for name, value in table.items()
    }
    thresholds = replace(FLOOR, **values)
    problems = _looser_than_floor(thresholds)
    if problems:
        message = f"{source} is looser than the seed's floor: " + "; ".join(problems)
        raise ThresholdsError(message)
    return thresholds


def _validated(name: str, value: object, source: str) -> object:
    if name == "bandit_severity_min":
        if value not in SEVERITIES:
            message = f"{source}: {name} must be one of {', '.join(SEVERITIES)}, not {value!r}"
            raise ThresholdsError(message)
        return value
    if name == "coverage_files_min_percent":
        if not isinstance(value, dict):
            message = f"{source}: {name} must be a table of path = percent"
            raise ThresholdsError(message)
        return {
            str(path): _number(f"{name}.{path}", percent, source) for path, percent in value.items()
        }
    number = _number(name, value, source)
    if name.endswith(("_max", "_min")) and not name.endswith("_percent"):
        if not float(number).is_integer():
            message = f"{source}: {name} must be a whole number, not {value!r}"
            raise ThresholdsError(message)
        return int(number)
    return float(number)


def _number(name: str, value: object, source: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        message = f"{source}: {name} must be a number, not {value!r}"
        raise ThresholdsError(message)
    if not math.isfinite(value) or value < 0:
        message = f"{source}: {name} must be a finite number >= 0, not {value!r}"
        raise ThresholdsError(message)
    return float(value)


def _looser_than_floor(thresholds: Thresholds) -> list[str]:
    problems = []
    for name in sorted(_STRICTER_WHEN_SMALLER):
        value, floor = getattr(thresholds, name), getattr(FLOOR, name)
        if value > floor:
            problems.append(f"{name} = {value} (floor {floor})")
    for name in sorted(_STRICTER_WHEN_LARGER):
        value, floor = getattr(thresholds, name), getattr(FLOOR, name)
        if value < floor:
            problems.append(f"{name} = {value} (floor {floor})")
    for path, floor in FLOOR.coverage_files_min_percent.items():
        value = thresholds.coverage_files_min_percent.get(
            path, thresholds.coverage_total_min_percent
        )
        if value < floor:
            problems.append(f"coverage_files_min_percent.{path} = {value} (floor {floor})")
    if SEVERITIES.index(thresholds.bandit_severity_min) > SEVERITIES.index(
        FLOOR.bandit_severity_min
    ):
        problems.append(
            f"bandit_severity_min = {thresholds.bandit_severity_min} "
            f"(floor {FLOOR.bandit_severity_min})",
        )
    return problems
