"""The committed schema is the engine's, descriptions stripped by our own script."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from graphql import build_schema

from tests.paths import ROOT, load_module

if TYPE_CHECKING:
    from types import ModuleType

ORIGINAL = ROOT.parent / "shared" / "dagger" / "engine-schema-v0.21.8.graphqls"
STRIPPED = Path(__file__).parent / "schema" / "engine-schema-v0.21.8.stripped.graphqls"


def strip_module() -> ModuleType:
    return load_module("strip_dagger_schema", ROOT / "scripts" / "strip_dagger_schema.py")


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
