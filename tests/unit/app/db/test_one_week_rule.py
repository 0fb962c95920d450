"""The ISO-week rule is written once per language: app/weeks.py and app/db/week_functions.py."""

from __future__ import annotations

import re

import pytest

from tests.paths import ROOT

APP = ROOT / "app"
SQL_HOME = APP / "db" / "week_functions.py"
PYTHON_HOME = APP / "weeks.py"
# What spelling the rule out again takes, in PostgreSQL and in Python.
SQL_RULE = re.compile(
    r"isodow|isoyear|extract\s*\(\s*week\b|date_trunc\s*\(\s*'week'|IYYY|'IW'|\"IW\"",
    re.IGNORECASE,
)
PYTHON_RULE = re.compile(r"\.isocalendar\(|\.isoweekday\(|\.weekday\(|fromisocalendar")


def sources(*patterns: str) -> list[str]:
    return sorted(
        str(path.relative_to(ROOT)) for pattern in patterns for path in APP.rglob(pattern)
    )


def copies(pattern: re.Pattern[str], home: str, *globs: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for name in sources(*globs):
        if name == home:
            continue
        hits = pattern.findall((ROOT / name).read_text("utf-8"))
        if hits:
            found[name] = hits
    return found


def test_the_sql_rule_is_only_in_the_week_functions() -> None:
    assert SQL_RULE.search(SQL_HOME.read_text("utf-8"))  # the pattern finds the definition
    assert copies(SQL_RULE, str(SQL_HOME.relative_to(ROOT)), "*.py", "*.sql") == {}


def test_the_python_rule_is_only_in_app_weeks() -> None:
    assert PYTHON_RULE.search(PYTHON_HOME.read_text("utf-8"))
    assert copies(PYTHON_RULE, str(PYTHON_HOME.relative_to(ROOT)), "*.py") == {}


def test_the_scan_covers_the_revisions_the_migration_sql_and_the_service() -> None:
    scanned = sources("*.py", "*.sql")
    for expected in (
        "app/db/migrations/versions/v0003_us16_contract.py",
        "app/db/datamigration/sql/migrate_batch.sql",
        "app/db/entries.py",
        "app/db/schema.py",
    ):
        assert expected in scanned


@pytest.mark.parametrize(
    "copy",
    [
        "d - (extract(isodow FROM d)::int - 1)",
        "date_trunc('week', d)::date",
        "to_char(d, 'IYYY-\"W\"IW')",
        "extract(week from d)",
        "EXTRACT(ISOYEAR FROM d)",
    ],
)
def test_the_sql_pattern_recognises_a_copy(copy: str) -> None:
    assert SQL_RULE.search(copy)
