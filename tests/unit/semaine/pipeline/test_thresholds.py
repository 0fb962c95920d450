import shutil
from dataclasses import dataclass, fields, replace
from pathlib import Path

import pytest

from semaine.pipeline import evaluations
from semaine.pipeline.gates import GateResult, Outcome
from semaine.pipeline.thresholds import (
    DECLARED,
    FLOOR,
    GATES,
    SEVERITIES,
    Direction,
    Threshold,
    Thresholds,
    ThresholdsError,
    declarations_for,
    load_thresholds,
    parse_thresholds,
)
from tests.paths import ROOT, TOOL_OUTPUTS

REPOSITORY = ROOT


def test_the_repository_table_is_valid_and_at_least_the_floor() -> None:
    thresholds = load_thresholds(REPOSITORY / "pyproject.toml")
    assert thresholds.coverage_total_min_percent >= 90
    assert thresholds.coverage_files_min_percent["app/weeks.py"] == 100
    assert thresholds.load_p95_ms_below <= 500


def test_a_missing_table_means_the_floor(tmp_path: Path) -> None:
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text("[project]\nname = 'x'\n", encoding="utf-8")
    assert load_thresholds(pyproject) == FLOOR


def test_a_stricter_table_is_accepted() -> None:
    thresholds = parse_thresholds({"coverage_total_min_percent": 95, "load_p95_ms_below": 300})
    assert (thresholds.coverage_total_min_percent, thresholds.load_p95_ms_below) == (95.0, 300.0)
    assert thresholds.navigation_ms_below == FLOOR.navigation_ms_below


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ({"coverage_total_min_percent": 80}, "looser than the seed's floor"),
        ({"load_p95_ms_below": 800}, "load_p95_ms_below = 800"),
        ({"coverage_files_min_percent": {"app/weeks.py": 99}}, "app/weeks.py"),
        ({"bandit_severity_min": "high"}, "bandit_severity_min = high"),
        ({"bandit_severity_min": "severe"}, "must be one of"),
        ({"coverage_total_min_percnt": 95}, "unknown key"),
        ({"lint_findings_max": "none"}, "must be a number"),
        ({"lint_findings_max": 0.5}, "whole number"),
        ({"navigation_ms_below": -1}, ">= 0"),
        ({"failed_tests_max": True}, "must be a number"),
    ],
)
def test_invalid_tables_are_refused_with_a_clear_error(
    table: dict[str, object], message: str
) -> None:
    with pytest.raises(ThresholdsError, match=message):
        parse_thresholds(table)


def test_an_unreadable_pyproject_is_a_thresholds_error(tmp_path: Path) -> None:
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text("[tool.semaine.gates\n", encoding="utf-8")
    with pytest.raises(ThresholdsError, match="cannot read"):
        load_thresholds(pyproject)


# --- the declarations: every key declared once, used to validate and to compare ------


def test_every_threshold_field_is_declared_and_the_floor_comes_from_the_declarations() -> None:
    assert [item.name for item in fields(Thresholds)] == list(GATES)
    assert {name: getattr(FLOOR, name) for name in GATES} == {
        name: declared.floor for name, declared in GATES.items()
    }


def test_a_new_threshold_without_a_declaration_is_refused_with_a_clear_message() -> None:
    @dataclass(frozen=True)
    class Wider(Thresholds):
        flaky_tests_max: int = 0

    with pytest.raises(ThresholdsError) as raised:
        declarations_for(Wider, DECLARED)
    message = str(raised.value)
    assert "Wider.flaky_tests_max has no declaration in semaine.pipeline.thresholds" in message
    assert "direction (max, below, min), unit, seed floor and description" in message


def test_a_key_the_declarations_do_not_know_is_refused_from_pyproject() -> None:
    with pytest.raises(ThresholdsError, match="must be declared in") as raised:
        parse_thresholds({"flaky_tests_max": 0})
    assert "unknown key(s) flaky_tests_max" in str(raised.value)
    with pytest.raises(ThresholdsError, match="did you mean coverage_total_min_percent"):
        parse_thresholds({"coverage_total_min_percnt": 95})


def test_a_declaration_twice_or_without_a_field_is_refused() -> None:
    extra = Threshold("flaky_tests_max", Direction.MAX, "tests", 0, "flaky tests")
    with pytest.raises(ThresholdsError, match="flaky_tests_max, not a field of Thresholds"):
        declarations_for(Thresholds, (*DECLARED, extra))
    with pytest.raises(ThresholdsError, match="lint_findings_max is declared twice"):
        declarations_for(Thresholds, (*DECLARED, DECLARED[0]))


def looser_than_floor(declared: Threshold) -> object:
    """Return a value one step looser than the declared floor, in the declared direction."""
    floor = declared.floor
    if isinstance(floor, str):
        return SEVERITIES[SEVERITIES.index(floor) + 1]
    if isinstance(floor, dict):
        return {path: percent - 1 for path, percent in floor.items()}
    return floor - 1 if declared.direction is Direction.MIN else floor + 1


@pytest.mark.parametrize("declared", DECLARED, ids=lambda declared: declared.name)
def test_a_looser_value_is_refused_naming_the_floor(declared: Threshold) -> None:
    with pytest.raises(ThresholdsError, match="looser than the seed's floor") as raised:
        parse_thresholds({declared.name: looser_than_floor(declared)})
    message = str(raised.value)
    floor = declared.floor
    floors = floor.values() if isinstance(floor, dict) else [floor]
    for each in floors:
        assert f"the floor is {declared.requirement(each)} ({declared.description})" in message
    assert message.startswith(
        f"[tool.semaine.gates] is looser than the seed's floor: {declared.name}"
    )


@pytest.mark.parametrize("declared", DECLARED, ids=lambda declared: declared.name)
def test_the_floor_itself_is_accepted(declared: Threshold) -> None:
    assert parse_thresholds({declared.name: declared.floor}) == FLOOR


def test_bad_values_are_explained_with_the_declared_unit_and_floor() -> None:
    with pytest.raises(ThresholdsError) as raised:
        parse_thresholds({"navigation_ms_below": -1})
    assert "the seed's floor is < 200 ms" in str(raised.value)
    with pytest.raises(ThresholdsError, match="a percentage, at most 100"):
        parse_thresholds({"coverage_total_min_percent": 101})


def test_requirements_render_with_the_declared_units() -> None:
    assert GATES["load_p95_ms_below"].requirement(300.0) == "< 300 ms"
    assert GATES["failed_tests_max"].requirement(0) == "<= 0 failed"
    assert GATES["coverage_total_min_percent"].requirement(92.5) == ">= 92.5 %"
    assert GATES["bandit_severity_min"].requirement("low") == "severity >= low"
    files = GATES["coverage_files_min_percent"].requirement({"b.py": 95.0, "a.py": 100.0})
    assert files == "a.py >= 100 %, b.py >= 95 %"


# --- each declared direction is the comparison evaluations.py makes -------------------

VULNERABLE = (
    '{"dependencies": [{"name": "idna", "version": "3.6",'
    ' "vulns": [{"id": "PYSEC-2024-60", "fix_versions": ["3.7"]}]}], "fixes": []}'
)
REHEARSAL = '{"rows": 10000, "duration_seconds": 2.5}'
EVALUATED = {
    "lint_findings_max": ("lint", "ruff check"),
    "unformatted_files_max": ("lint", "ruff format"),
    "type_errors_max": ("typecheck", "mypy"),
    "failed_tests_max": ("test", "tests"),
    "coverage_total_min_percent": ("test", "coverage (total)"),
    "coverage_files_min_percent": ("test", "coverage pkg/mod.py"),
    "bandit_findings_max": ("security", "bandit (severity >= medium)"),
    "vulnerable_dependencies_max": ("security", "vulnerable dependencies"),
    "load_p95_ms_below": ("load", "API p95"),
    "load_error_rate_percent_below": ("load", "API error rate"),
    "navigation_ms_below": ("e2e", "navigation"),
    "page_load_ms_below": ("e2e", "page load"),
    "lighthouse_performance_min": ("e2e", "lighthouse performance"),
    "lighthouse_accessibility_min": ("e2e", "lighthouse accessibility"),
    "lighthouse_best_practices_min": ("e2e", "lighthouse best practices"),
    "rehearsal_seconds_below": ("migrations", "rehearsal of 10000 rows"),
}
"""Thresholds a gate is compared with: key -> (evaluation, gate it holds)."""
SAMPLE_MINIMUMS = {
    "load_requests_min": ("load", 613),
    "navigations_min": ("e2e", 8),
    "rehearsal_rows_min": ("migrations", 10_000),
}
"""Thresholds below which a gate is inconclusive: key -> (evaluation, count in the reports)."""


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One folder holding a report for every evaluation, from the recorded tool outputs."""
    folder = tmp_path_factory.mktemp("reports")
    recorded = {
        "ruff.json": "ruff-dirty.json",
        "ruff-format.json": "ruff-format-dirty.json",
        "mypy.xml": "mypy-dirty.xml",
        "junit.xml": "junit-fail.xml",
        "coverage.json": "coverage-fail.json",
        "bandit.json": "bandit-dirty.json",
        "locust.json": "locust-fast.json",
        "page-timing.json": "page-timing.json",
    }
    for name, source in recorded.items():
        shutil.copy(TOOL_OUTPUTS / source, folder / name)
    (folder / "pip-audit.json").write_text(VULNERABLE, encoding="utf-8")
    (folder / "rehearsal.json").write_text(REHEARSAL, encoding="utf-8")
    shutil.copytree(TOOL_OUTPUTS / "lighthouse" / "fail", folder / "lighthouse")
    return folder


def judged(reports: Path, evaluation: str, thresholds: Thresholds) -> dict[str, GateResult]:
    evaluate = getattr(evaluations, evaluation)
    return {result.gate: result for result in evaluate(reports, thresholds)}


def test_every_declaration_is_checked_against_evaluations() -> None:
    assert {*EVALUATED, *SAMPLE_MINIMUMS, "bandit_severity_min"} == set(GATES)


@pytest.mark.parametrize(("name", "evaluated"), EVALUATED.items(), ids=list(EVALUATED))
def test_each_declared_direction_and_unit_is_what_evaluations_compares_with(
    reports: Path, name: str, evaluated: tuple[str, str]
) -> None:
    evaluation, gate = evaluated
    thresholds = replace(FLOOR, coverage_files_min_percent={"pkg/mod.py": 100.0})
    result = judged(reports, evaluation, thresholds)[gate]
    declared = GATES[name]
    assert result.measured is not None, result.detail
    entry = "pkg/mod.py" if name == "coverage_files_min_percent" else ""

    expected = declared.check(gate, result.measured, thresholds, entry=entry, detail=result.detail)

    # Comparison, threshold, unit and outcome alike (the findings listed are the parser's).
    assert replace(result, findings=(), notes=()) == expected
    value = getattr(thresholds, name)
    assert result.requirement == declared.requirement(value[entry] if entry else value)


@pytest.mark.parametrize(("name", "sample"), SAMPLE_MINIMUMS.items(), ids=list(SAMPLE_MINIMUMS))
def test_each_declared_sample_minimum_is_what_makes_a_gate_inconclusive(
    reports: Path, name: str, sample: tuple[str, int]
) -> None:
    evaluation, count = sample
    comparison = GATES[name].direction.comparison
    for threshold in (count - 1, count, count + 1):
        results = judged(reports, evaluation, replace(FLOOR, **{name: threshold}))
        enough = Outcome.INCONCLUSIVE not in {result.outcome for result in results.values()}
        assert enough is comparison.holds(count, threshold), threshold


@pytest.mark.parametrize("severity", SEVERITIES)
def test_the_declared_severity_direction_is_what_bandit_counts(
    reports: Path, severity: str
) -> None:
    declared = GATES["bandit_severity_min"]
    results = judged(reports, "security", replace(FLOOR, bandit_severity_min=severity))
    [(gate, bandit)] = [(gate, r) for gate, r in results.items() if gate.startswith("bandit")]
    recorded = ("LOW", "HIGH", "MEDIUM")  # the severities of bandit-dirty.json's findings
    counted = [
        found
        for found in recorded
        if declared.direction.comparison.holds(
            SEVERITIES.index(found.lower()), SEVERITIES.index(severity)
        )
    ]
    assert bandit.measured == len(counted)
    assert declared.requirement(severity) in gate
