"""The committed schema is the engine's, descriptions stripped by our own script."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from graphql import build_schema

from tests.paths import ROOT

if TYPE_CHECKING:
    from types import ModuleType

ORIGINAL = ROOT.parent / "shared" / "dagger" / "engine-schema-v0.21.8.graphqls"
STRIPPED = Path(__file__).parent / "schema" / "engine-schema-v0.21.8.stripped.graphqls"


def strip_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "strip", ROOT / "scripts" / "strip_dagger_schema.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_stripped_schema_has_no_prose() -> None:
    text = STRIPPED.read_text(encoding="utf-8")
    assert '"""' not in text
    usages = [line for line in text.splitlines() if not line.startswith("directive ")]
    assert not [line for line in usages if "@deprecated(" in line or "@experimental(" in line]
    assert build_schema(text).get_type("Container") is not None


@pytest.mark.skipif(not ORIGINAL.exists(), reason=f"the original schema is not at {ORIGINAL}")
def test_the_stripped_schema_is_the_script_output() -> None:
    expected = strip_module().stripped_sdl(ORIGINAL.read_text(encoding="utf-8"))
    assert STRIPPED.read_text(encoding="utf-8") == expected
