"""Where the tests find the project and their fixtures, wherever the checkout lives."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TESTS = ROOT / "tests"
FIXTURES = TESTS / "fixtures"
TOOL_OUTPUTS = FIXTURES / "tool-outputs"
TINY_PROJECT = FIXTURES / "projects" / "tiny"
HEROKU_STANDIN = TESTS / "standins" / "heroku.py"
