"""The committed stripped schemas are scripts/strip_schema.py's output of the published ones."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from tests.paths import ROOT, load_module

if TYPE_CHECKING:
    from pathlib import Path
    from types import ModuleType

SHARED = ROOT.parent / "shared"
STANDINS = ROOT / "tests" / "standins"
COPIES = [
    ("heroku", SHARED / "heroku" / "platform-api-schema.json", "heroku-schema.stripped.json"),
    ("openapi", SHARED / "github" / "issues-subset.json", "github-issues.stripped.json"),
]


def strip_module() -> ModuleType:
    return load_module("strip_schema", ROOT / "scripts" / "strip_schema.py")


@pytest.mark.parametrize(("kind", "original", "copy"), COPIES)
def test_the_stripped_copy_is_the_script_output(
    kind: str, original: Path, copy: str, tmp_path: Path
) -> None:
    if not original.exists():
        pytest.skip(f"the original schema is not at {original}")
    target = tmp_path / copy
    assert strip_module().main([kind, str(original), str(target)]) == 0
    assert target.read_text("utf-8") == (STANDINS / copy).read_text("utf-8")


def test_an_unknown_kind_is_refused(tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as refused:
        strip_module().main(["swagger", str(tmp_path / "in.json"), str(tmp_path / "out.json")])
    assert refused.value.code == 2
