from pathlib import Path

import pytest

from semaine.pipeline.thresholds import FLOOR, ThresholdsError, load_thresholds, parse_thresholds
from tests.paths import ROOT

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
