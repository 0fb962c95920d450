"""`[tool.semaine.lighthouse]`: defaults, validation, and today's week and month filled in."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import pytest

from semaine.probes.lighthouse_settings import (
    DEFAULT_PAGES,
    LighthouseSettings,
    SettingsError,
    load_settings,
    parse_settings,
    resolved_pages,
)
from tests.paths import ROOT, TINY_PROJECT

if TYPE_CHECKING:
    from pathlib import Path


def test_the_defaults_are_a_week_and_a_month_on_both_presets_three_runs_each() -> None:
    settings = parse_settings({})
    assert settings == LighthouseSettings(DEFAULT_PAGES, ("desktop", "mobile"), 3, 250, 2)


def test_the_project_audits_the_default_pages_and_the_tiny_fixture_one_page_once() -> None:
    project = load_settings(ROOT / "pyproject.toml")
    assert project.pages == DEFAULT_PAGES
    # Run 1 scores every category, runs 2 and 3 performance alone.
    assert (project.runs, project.full_runs) == (3, 1)
    tiny = load_settings(TINY_PROJECT / "pyproject.toml")
    assert (len(tiny.pages), tiny.presets, tiny.runs) == (1, ("desktop",), 1)


def test_today_s_week_and_month_are_filled_in_across_the_year_boundary() -> None:
    pages = resolved_pages(DEFAULT_PAGES, "http://127.0.0.1:8000", dt.date(2027, 1, 1))
    assert pages == [
        {
            "page": "/weeks/2026-W53",
            "url": "http://127.0.0.1:8000/weeks/2026-W53",
            "slug": "weeks-2026-W53",
        },
        {
            "page": "/months/2027-01",
            "url": "http://127.0.0.1:8000/months/2027-01",
            "slug": "months-2027-01",
        },
    ]
    assert resolved_pages(("/",), "http://h", dt.date(2026, 1, 1))[0]["slug"] == "root"


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ({"page": ["/"]}, "unknown key(s) page"),
        ({"pages": []}, "pages must be a non-empty list of strings"),
        ({"pages": ["weeks/2026-W01"]}, "pages must be paths starting with /"),
        ({"pages": ["/weeks/{next_week}"]}, "only {this_week} and {this_month}"),
        ({"presets": ["tablet"]}, "presets must be among desktop, mobile"),
        ({"runs": 0}, "runs must be a whole number from 1 to 9"),
        ({"runs": True}, "runs must be a whole number"),
        ({"wait_ms": 2.5}, "wait_ms must be a whole number from 0 to 10000"),
        ({"lanes": 5}, "lanes must be a whole number from 1 to 4"),
        ({"runs": 2, "full_runs": 3}, "full_runs must be a whole number from 1 to 2"),
        ({"full_runs": 0}, "full_runs must be a whole number from 1 to 3"),
    ],
)
def test_a_malformed_table_is_refused_naming_the_key(table: dict[str, Any], message: str) -> None:
    with pytest.raises(SettingsError, match=message.replace("(", r"\(").replace(")", r"\)")):
        parse_settings(table)


def test_an_unreadable_pyproject_is_refused(tmp_path: Path) -> None:
    broken = tmp_path / "pyproject.toml"
    broken.write_text("[tool.semaine.lighthouse\n", encoding="utf-8")
    with pytest.raises(SettingsError, match="cannot read"):
        load_settings(broken)
