"""Where the tests find the project and their fixtures, wherever the checkout lives."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent
TESTS = ROOT / "tests"
FIXTURES = TESTS / "fixtures"
TOOL_OUTPUTS = FIXTURES / "tool-outputs"
TINY_PROJECT = FIXTURES / "projects" / "tiny"
HEROKU_STANDIN = TESTS / "standins" / "heroku.py"


def load_module(name: str, path: Path) -> ModuleType:
    """Import the file at `path` as module `name` (a script, a stand-in), once per session."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up while the file runs
    spec.loader.exec_module(module)
    return module
