"""The test files a change can affect, from an earlier whole run's test-impact map.

A test file is rerun when it changed, or when a changed source file is among the
files it depends on:
- those it executed, in its process or in the subprocesses it started;
- those a shared fixture it uses executed, and those every other test file using that
  fixture executed (a shared fixture may keep state a test built: template databases);
- those it imports, directly or through other project files, its conftest.py and
  package __init__.py files included (a module imported once per process is not
  executed again by the tests that follow).
Any other change (configuration, data files, templates, conftest.py and test helpers,
a new or removed file) can affect any test: only a whole run is sound, and None says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any

from semaine.executors.local.import_graph import ImportGraph

if TYPE_CHECKING:
    from collections.abc import Mapping
    from pathlib import Path


@dataclass(frozen=True)
class TestSelection:
    """The test files to run again, the changed files that make it so, and the total."""

    __test__ = False  # a value, not a pytest test class

    rerun: tuple[str, ...]
    changed: tuple[str, ...]
    known: int
    """Test files in the earlier whole run."""

    def describe(self) -> str:
        """Say what ran, for progress lines and reports."""
        changes = f"{len(self.changed)} changed file{'s' if len(self.changed) != 1 else ''}"
        return (
            f"{len(self.rerun)} of {self.known} test files affected by {changes} ran;"
            f" the other {self.known - len(self.rerun)} kept their results"
        )


def select_tests(
    project: Path,
    impact: Mapping[str, Any],
    before: Mapping[str, str],
    after: Mapping[str, str],
) -> TestSelection | None:
    """Return the test files that the change from `before` to `after` affects, or None.

    `before` and `after` map each source file (relative path) to its content digest.
    """
    tests: dict[str, Any] = impact["tests"]
    sources = set(impact["sources"])
    paths = before.keys() | after.keys()
    changed = sorted(path for path in paths if before.get(path) != after.get(path))
    for path in changed:
        if path not in after or (path not in tests and path not in sources):
            return None
    changed_sources = {path for path in changed if path in sources}
    users: dict[str, set[str]] = {}
    for name, entry in tests.items():
        for fixture in entry["fixtures"]:
            users.setdefault(fixture, set()).add(name)
    fixtures: dict[str, list[str]] = impact["fixtures"]
    graph = ImportGraph(project, after)
    rerun = []
    for name, entry in sorted(tests.items()):
        executed = set(entry["executed"])
        for fixture in entry["fixtures"]:
            executed.update(fixtures.get(fixture, ()))
            for user in users[fixture]:
                executed.update(tests[user]["executed"])
        if name in changed or executed & changed_sources:
            rerun.append(name)
            continue
        if graph.closure([name, *_loaded_first(name, after)]) & changed_sources:
            rerun.append(name)
    return TestSelection(tuple(rerun), tuple(changed), len(tests))


def _loaded_first(test_file: str, files: Mapping[str, str]) -> list[str]:
    """Return the conftest.py and package __init__.py files pytest loads for `test_file`."""
    found: list[str] = []
    for folder in PurePosixPath(test_file).parents:
        prefix = "" if str(folder) == "." else f"{folder}/"
        found.extend(f"{prefix}{name}" for name in ("conftest.py", "__init__.py"))
    return [name for name in found if name in files]
