"""The reviewed gate thresholds: `[tool.semaine.gates]` of pyproject.toml.

Every threshold is declared once, in `DECLARED`: its key, its direction (which side of
it a measurement must fall), its unit, the seed's floor (pipeline-us16.md: a reviewed
table may be stricter, never looser) and what it holds. The floor's type is the value's
type: a whole number, a number, a bandit severity, or a table of path = percent.
Validation, the floor check, the requirement text and the error messages read it.
"""

from __future__ import annotations

import enum
import math
import tomllib
from dataclasses import dataclass, fields, replace
from difflib import get_close_matches
from typing import TYPE_CHECKING, Any, NoReturn

from semaine.pipeline.gates import Comparison, GateResult, check, figure, requirement_text

if TYPE_CHECKING:
    from collections.abc import Iterable
    from pathlib import Path

SEVERITIES = ("low", "medium", "high")
_OUT_OF_100 = frozenset({"%", "points"})
"""Units whose values cannot exceed 100: percentages and Lighthouse scores."""
DECLARED_IN = "semaine.pipeline.thresholds.DECLARED"

Value = int | float | str | dict[str, float]
"""A threshold's value: its declared floor's type."""


class ThresholdsError(ValueError):
    """The thresholds table is missing, malformed, or looser than the seed's floor."""


@dataclass(frozen=True)
class Thresholds:
    """Every gate's threshold; `FLOOR` holds the seed's, from the declarations."""

    lint_findings_max: int
    unformatted_files_max: int
    type_errors_max: int
    failed_tests_max: int
    coverage_total_min_percent: float
    coverage_files_min_percent: dict[str, float]
    bandit_severity_min: str
    bandit_findings_max: int
    vulnerable_dependencies_max: int
    load_p95_ms_below: float
    load_error_rate_percent_below: float
    load_requests_min: int
    navigation_ms_below: float
    page_load_ms_below: float
    navigations_min: int
    lighthouse_performance_min: float
    lighthouse_accessibility_min: float
    lighthouse_best_practices_min: float
    rehearsal_rows_min: int
    rehearsal_seconds_below: float


class Direction(enum.Enum):
    """Which side of its threshold a measurement must fall, and so which way is stricter."""

    MAX = "max"
    """The measurement may reach the threshold: `<=`; a smaller threshold is stricter."""
    BELOW = "below"
    """The measurement must stay under the threshold: `<`; a smaller threshold is stricter."""
    MIN = "min"
    """The measurement must reach the threshold: `>=`; a larger threshold is stricter."""
    SEVERITY_FROM = "severity from"
    """Findings of this severity or above count: `>=`; a lower severity is stricter."""

    @property
    def comparison(self) -> Comparison:
        """How a measurement (or a finding's severity) is compared with the threshold."""
        return _COMPARISONS[self]


_COMPARISONS = {
    Direction.MAX: Comparison.AT_MOST,
    Direction.BELOW: Comparison.BELOW,
    Direction.MIN: Comparison.AT_LEAST,
    Direction.SEVERITY_FROM: Comparison.AT_LEAST,
}


@dataclass(frozen=True)
class Threshold:
    """One gate threshold, declared: key, direction, unit, seed floor, what it holds."""

    name: str
    direction: Direction
    unit: str
    floor: Value
    description: str
    unnamed_from: str = ""
    """For a table: the threshold that holds the entries it does not name."""

    def requirement(self, value: Value) -> str:
        """Return `value` as the gate table shows a requirement, e.g. `< 500 ms`."""
        if isinstance(value, str):
            return f"severity {self.direction.comparison.value} {value}"
        if isinstance(value, dict):
            return ", ".join(f"{path} {self.requirement(value[path])}" for path in sorted(value))
        return requirement_text(self.direction.comparison, value, self.unit)

    def check(
        self,
        gate: str,
        measured: float,
        thresholds: Thresholds,
        *,
        entry: str = "",
        detail: str = "",
    ) -> GateResult:
        """Hold `measured` to this threshold (a table's `entry`) with its comparison and unit."""
        value = getattr(thresholds, self.name)
        threshold = value[entry] if isinstance(value, dict) else value
        comparison = self.direction.comparison
        return check(gate, measured, comparison, threshold, unit=self.unit, detail=detail)

    def validated(self, value: object, source: str) -> Value:
        """Return `value` as this threshold's type, or say which value is wrong and why."""
        if isinstance(self.floor, str):
            if value not in SEVERITIES:
                self._refuse(self.name, value, f"one of {', '.join(SEVERITIES)}", source)
            return str(value)
        if isinstance(self.floor, dict):
            if not isinstance(value, dict):
                self._refuse(self.name, value, "a table of path = percent", source)
            return {
                str(path): float(self._number(f"{self.name}.{path}", percent, source))
                for path, percent in value.items()
            }
        return self._number(self.name, value, source)

    def looser(self, thresholds: Thresholds) -> list[str]:
        """Return what in `thresholds` is looser than the seed's floor, naming the floor."""
        value = getattr(thresholds, self.name)
        if not isinstance(self.floor, dict):
            return (
                [self._problem(self.name, value, self.floor)]
                if self._looser(value, self.floor)
                else []
            )
        unnamed = getattr(thresholds, self.unnamed_from)
        problems = []
        for path, floor in sorted(self.floor.items()):
            held_to = value.get(path, unnamed)
            named = "" if path in value else f" (not named, so {self.unnamed_from})"
            if self._looser(held_to, floor):
                problems.append(self._problem(f"{self.name}.{path}{named}", held_to, floor))
        return problems

    def _looser(self, value: Any, floor: Any) -> bool:  # noqa: ANN401 - a declared value
        if self.direction is Direction.SEVERITY_FROM:
            return SEVERITIES.index(value) > SEVERITIES.index(floor)
        if self.direction is Direction.MIN:
            return bool(value < floor)
        return bool(value > floor)

    def _problem(self, label: str, value: float | str, floor: Value) -> str:
        shown = value if isinstance(value, str) else f"{figure(float(value))} {self.unit}"
        return f"{label} = {shown} but the floor is {self.requirement(floor)} ({self.description})"

    def _number(self, label: str, value: object, source: str) -> int | float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            self._refuse(label, value, "a number", source)
        if not math.isfinite(value) or value < 0:
            self._refuse(label, value, "a finite number >= 0", source)
        if self.unit in _OUT_OF_100 and value > 100:  # noqa: PLR2004 - their ceiling
            ceiling = "a percentage, at most 100" if self.unit == "%" else "a score, at most 100"
            self._refuse(label, value, ceiling, source)
        if isinstance(self.floor, int):
            if not float(value).is_integer():
                self._refuse(label, value, "a whole number", source)
            return int(value)
        return float(value)

    def _refuse(self, label: str, value: object, expected: str, source: str) -> NoReturn:
        message = (
            f"{source}: {label} must be {expected}, not {value!r}"
            f" ({self.description}; the seed's floor is {self.requirement(self.floor)})"
        )
        raise ThresholdsError(message)


DECLARED = (
    Threshold("lint_findings_max", Direction.MAX, "findings", 0, "ruff check findings"),
    Threshold("unformatted_files_max", Direction.MAX, "files", 0, "files ruff format would change"),
    Threshold("type_errors_max", Direction.MAX, "errors", 0, "mypy --strict errors"),
    Threshold("failed_tests_max", Direction.MAX, "failed", 0, "failed or errored tests"),
    Threshold(
        "coverage_total_min_percent", Direction.MIN, "%", 90.0, "coverage of the whole project"
    ),
    Threshold(
        "coverage_files_min_percent",
        Direction.MIN,
        "%",
        {"app/weeks.py": 100.0},
        "coverage of each named file; the week arithmetic is fully covered",
        unnamed_from="coverage_total_min_percent",
    ),
    Threshold(
        "bandit_severity_min",
        Direction.SEVERITY_FROM,
        "",
        "medium",
        "the bandit findings that count",
    ),
    Threshold("bandit_findings_max", Direction.MAX, "findings", 0, "bandit findings that count"),
    Threshold(
        "vulnerable_dependencies_max",
        Direction.MAX,
        "vulnerabilities",
        0,
        "known vulnerabilities of the locked dependencies (pip-audit)",
    ),
    Threshold("load_p95_ms_below", Direction.BELOW, "ms", 500.0, "API p95 latency under load"),
    Threshold(
        "load_error_rate_percent_below", Direction.BELOW, "%", 0.1, "API error rate under load"
    ),
    Threshold(
        "load_requests_min",
        Direction.MIN,
        "requests",
        200,
        "requests the load test makes; fewer: inconclusive",
    ),
    Threshold(
        "navigation_ms_below",
        Direction.BELOW,
        "ms",
        200.0,
        "slowest week-page navigation: next, previous, today",
    ),
    Threshold("page_load_ms_below", Direction.BELOW, "ms", 2000.0, "week page load"),
    Threshold(
        "navigations_min", Direction.MIN, "navigations", 6, "navigations timed; fewer: inconclusive"
    ),
    Threshold(
        "lighthouse_performance_min",
        Direction.MIN,
        "points",
        60.0,
        "Lighthouse performance of every audited page and preset, out of 100 (the seed's 6.0/10)",
    ),
    Threshold(
        "lighthouse_accessibility_min",
        Direction.MIN,
        "points",
        95.0,
        "Lighthouse accessibility of every audited page and preset, out of 100",
    ),
    Threshold(
        "lighthouse_best_practices_min",
        Direction.MIN,
        "points",
        90.0,
        "Lighthouse best practices of every audited page and preset, out of 100",
    ),
    Threshold(
        "rehearsal_rows_min",
        Direction.MIN,
        "rows",
        10_000,
        "rows the migration rehearsal moves; fewer: inconclusive",
    ),
    Threshold(
        "rehearsal_seconds_below", Direction.BELOW, "s", 10.0, "data migration rehearsal time"
    ),
)
"""The one table of gate thresholds: add a key to `Thresholds` and here, side by side."""


def declarations_for(
    model: type[Thresholds], declared: Iterable[Threshold]
) -> dict[str, Threshold]:
    """Return the declarations by key; refuse a field without one, or one without a field."""
    by_name: dict[str, Threshold] = {}
    for threshold in declared:
        if threshold.name in by_name:
            message = f"{threshold.name} is declared twice in {DECLARED_IN}"
            raise ThresholdsError(message)
        by_name[threshold.name] = threshold
    names = [item.name for item in fields(model)]
    undeclared = [name for name in names if name not in by_name]
    if undeclared:
        message = (
            f"{model.__name__}.{', '.join(undeclared)} has no declaration in {DECLARED_IN}:"
            " declare its direction (max, below, min), unit, seed floor and description"
        )
        raise ThresholdsError(message)
    stray = [name for name in by_name if name not in names]
    if stray:
        message = f"{DECLARED_IN} declares {', '.join(stray)}, not a field of {model.__name__}"
        raise ThresholdsError(message)
    return {name: by_name[name] for name in names}


GATES = declarations_for(Thresholds, DECLARED)
"""The declarations by `[tool.semaine.gates]` key, in `Thresholds` field order."""

_SEED: dict[str, Any] = {
    name: dict(threshold.floor) if isinstance(threshold.floor, dict) else threshold.floor
    for name, threshold in GATES.items()
}
FLOOR = Thresholds(**_SEED)
"""The seed's thresholds: a reviewed table may be stricter, never looser."""


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
    """Validate a thresholds table: declared keys, right types, never looser than the floor."""
    unknown = sorted(set(table) - set(GATES))
    if unknown:
        close = [match for key in unknown for match in get_close_matches(key, GATES, n=1)]
        hint = f" (did you mean {', '.join(close)}?)" if close else ""
        message = (
            f"{source}: unknown key(s) {', '.join(unknown)}{hint}: a gate threshold must be"
            f" declared in {DECLARED_IN} first; known: {', '.join(GATES)}"
        )
        raise ThresholdsError(message)
    values: dict[str, Any] = {
        name: GATES[name].validated(value, source) for name, value in table.items()
    }
    thresholds = replace(FLOOR, **values)
    problems = [problem for threshold in GATES.values() for problem in threshold.looser(thresholds)]
    if problems:
        message = (
            f"{source} is looser than the seed's floor: {'; '.join(problems)}."
            " Make each at least as strict as its floor (a floor changes only by review)"
        )
        raise ThresholdsError(message)
    return thresholds
