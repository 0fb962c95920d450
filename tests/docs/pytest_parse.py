"""Parse pytest command lines with pytest's own parser, then stop: nothing is collected or run.

`python -m tests.docs.pytest_parse` reads a JSON list of argument lists on stdin and
prints, for each, pytest's verdict as JSON: its exit status (4: usage error), its error
message, the paths it would collect or ignore that do not exist, and the names of its
`-m` expression that are not declared markers. Each list goes through `pytest.main`
(so the plugins' options, `-n` or `--testmon`, are known exactly as in a terminal), and
a plugin of ours ends the run once the command line is parsed.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
import sys
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from pathlib import Path

MARK_OPERATORS = frozenset({"and", "or", "not"})


class _StopAfterParsing:
    """Answer `pytest_cmdline_main` first: the command line was parsed, run nothing."""

    def __init__(self) -> None:
        self.missing: list[str] = []
        self.undeclared: list[str] = []

    @pytest.hookimpl(tryfirst=True)
    def pytest_cmdline_main(self, config: pytest.Config) -> int:
        """Record what the parsed command line names that does not exist; stop."""
        root = config.invocation_params.dir
        named = [*config.args, *(config.option.ignore or [])]
        self.missing = [path for path in named if not _exists(root, path)]
        declared = {line.split(":", 1)[0].split("(", 1)[0].strip() for line in _markers(config)}
        words = re.findall(r"[A-Za-z_][\w.]*", config.option.markexpr or "")
        self.undeclared = [w for w in words if w not in MARK_OPERATORS and w not in declared]
        return 0


def _exists(root: Path, node_id: str) -> bool:
    """Tell whether a path, or `path::test_name` (its file defines that name), exists."""
    path, _, name = node_id.partition("::")
    if not (root / path).exists():
        return False
    base = re.split(r"[\[:]", name, maxsplit=1)[0]
    if not base:
        return True
    definition = rf"^\s*(?:async def|def|class) {re.escape(base)}\b"
    return (
        re.search(definition, (root / path).read_text(encoding="utf-8"), re.MULTILINE) is not None
    )


def _markers(config: pytest.Config) -> list[str]:
    markers = config.getini("markers")
    return [str(marker) for marker in markers] if isinstance(markers, list) else []


def verdict(argv: list[str]) -> dict[str, Any]:
    """Parse one pytest command line; return its verdict."""
    stop = _StopAfterParsing()
    stderr = io.StringIO()
    with contextlib.redirect_stderr(stderr), contextlib.redirect_stdout(io.StringIO()):
        status = int(pytest.main(argv, plugins=[stop]))
    return {
        "status": status,
        "error": " ".join(stderr.getvalue().split()),
        "missing": stop.missing,
        "undeclared_markers": stop.undeclared,
    }


def main() -> None:
    """Print the verdict of every command line read on stdin."""
    argvs = json.load(sys.stdin)
    verdicts = [verdict([str(arg) for arg in argv]) for argv in argvs]
    sys.stdout.write(json.dumps(verdicts) + "\n")


if __name__ == "__main__":
    main()
