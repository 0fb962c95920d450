"""Load the Heroku stand-in (tests/standins is a folder of files, not a package)."""

from __future__ import annotations

import importlib.util
import sys
from typing import TYPE_CHECKING, Any

import pytest

from tests.paths import HEROKU_STANDIN

if TYPE_CHECKING:
    from collections.abc import Iterator
    from types import ModuleType

STANDIN = HEROKU_STANDIN


def load_standin() -> ModuleType:
    """Import tests/standins/heroku.py by path."""
    name = "semaine_tests_heroku_standin"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, STANDIN)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def heroku() -> Iterator[Any]:
    """Give a running Heroku stand-in."""
    with load_standin().HerokuStandIn() as standin:
        yield standin
