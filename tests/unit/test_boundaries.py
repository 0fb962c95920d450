"""The layering rules, checked on the import statements of every source file."""

from __future__ import annotations

import ast
from typing import TYPE_CHECKING

import pytest

from tests.paths import ROOT

if TYPE_CHECKING:
    from pathlib import Path

SEMAINE = ROOT / "ci" / "src" / "semaine"


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def _offenders(folder: Path, banned: tuple[str, ...]) -> list[str]:
    return sorted(
        f"{path.relative_to(ROOT)}: {module}"
        for path in ([folder] if folder.is_file() else folder.rglob("*.py"))
        for module in _imported_modules(path)
        if module.split(".")[0] in banned or module.startswith(tuple(b + "." for b in banned))
    )


def test_the_service_never_imports_the_pipeline_package() -> None:
    assert _offenders(ROOT / "app", ("semaine",)) == []


@pytest.mark.parametrize(
    "folder",
    ["pipeline", "executors/local", "integrations", "cli", "probes", "delivery", "records"],
)
def test_only_main_and_the_dagger_executor_import_dagger(folder: str) -> None:
    assert _offenders(SEMAINE / folder, ("dagger",)) == []


def test_the_pipeline_model_runs_nothing_and_imports_no_executor() -> None:
    banned = ("subprocess", "socket", "httpx", "psycopg", "app", "semaine.executors")
    assert _offenders(SEMAINE / "pipeline", banned) == []


def test_the_engine_facing_code_never_imports_the_service() -> None:
    for part in ("pipeline", "executors/dagger"):
        assert _offenders(SEMAINE / part, ("app",)) == []
    assert _offenders(SEMAINE / "main.py", ("app",)) == []
