"""Which test files a change affects, from an earlier whole run's test-impact map."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from semaine.executors.local.result_cache import source_manifest
from semaine.executors.local.test_selection import TestSelection, select_tests

if TYPE_CHECKING:
    from pathlib import Path

PROJECT = {
    "pyproject.toml": "[tool.pytest.ini_options]\n",
    "pkg/__init__.py": "",
    "pkg/alpha.py": "def double(n: int) -> int:\n    return 2 * n\n",
    "pkg/beta.py": "def store() -> dict[str, int]:\n    return {}\n",
    "pkg/gamma.py": "def unused() -> None: ...\n",
    "pkg/delta.py": "from pkg.helper import LIMIT\n",
    "pkg/helper.py": "LIMIT = 3\n",
    "pkg/plugin.py": "OPTION = 1\n",
    "pkg/zeta.py": "def zeta() -> int:\n    return 0\n",
    "pkg/setup.py": "READY = True\n",
    "pkg/data.json": "{}",
    "tests/conftest.py": "import pytest\n",
    "tests/helpers.py": "",
    "tests/test_alpha.py": "from pkg.alpha import double\n",
    "tests/test_store_one.py": "",
    "tests/test_store_two.py": "",
    "tests/test_delta.py": "from pkg import delta\n",
    "tests/sub/conftest.py": "from pkg.plugin import OPTION\n",
    "tests/sub/test_sub.py": "",
    "tests/test_zeta.py": "",
    "tests/unit/__init__.py": "from pkg import setup\n",
    "tests/unit/test_packaged.py": "",
}
"""The project on disk: the import graph is read from the files themselves."""

IMPACT: dict[str, Any] = {
    "format": 1,
    "sources": sorted(name for name in PROJECT if name.startswith("pkg/") and name.endswith(".py")),
    "tests": {
        "tests/test_alpha.py": {"executed": ["pkg/alpha.py"], "fixtures": []},
        "tests/test_store_one.py": {"executed": [], "fixtures": ["tests::store"]},
        "tests/test_store_two.py": {"executed": ["pkg/gamma.py"], "fixtures": ["tests::store"]},
        "tests/test_delta.py": {"executed": [], "fixtures": []},
        "tests/sub/test_sub.py": {"executed": [], "fixtures": []},
        "tests/test_zeta.py": {"executed": ["pkg/zeta.py"], "fixtures": []},
        "tests/unit/test_packaged.py": {"executed": [], "fixtures": []},
    },
    "fixtures": {"tests::store": ["pkg/beta.py"]},
}
"""The earlier whole run: what each test file and the shared fixture executed."""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    for name, text in PROJECT.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


def append(project: Path, name: str, text: str = "\n# edited\n") -> None:
    with (project / name).open("a", encoding="utf-8") as file:
        file.write(text)


def selection_after(project: Path, *edited: str) -> TestSelection | None:
    before = source_manifest(project)
    for name in edited:
        append(project, name)
    return select_tests(project, IMPACT, before, source_manifest(project))


def test_an_unchanged_project_reruns_nothing(project: Path) -> None:
    assert selection_after(project) == TestSelection(rerun=(), changed=(), known=7)


def test_a_changed_test_file_reruns_itself_only(project: Path) -> None:
    selection = selection_after(project, "tests/test_zeta.py")
    assert selection == TestSelection(("tests/test_zeta.py",), ("tests/test_zeta.py",), 7)


@pytest.mark.parametrize(
    ("changed", "rerun"),
    [
        # Executed by the test file itself.
        ("pkg/alpha.py", {"tests/test_alpha.py"}),
        ("pkg/zeta.py", {"tests/test_zeta.py"}),
        # Executed by a shared fixture: every file using the fixture.
        ("pkg/beta.py", {"tests/test_store_one.py", "tests/test_store_two.py"}),
        # Executed by one file using a shared fixture: the fixture may keep its state.
        ("pkg/gamma.py", {"tests/test_store_one.py", "tests/test_store_two.py"}),
        # Imported through another module (never executed by the test: imported once).
        ("pkg/helper.py", {"tests/test_delta.py"}),
        # Imported by the conftest.py on the test file's path.
        ("pkg/plugin.py", {"tests/sub/test_sub.py"}),
        # Imported by the package __init__.py of the test file, which pytest imports first.
        ("pkg/setup.py", {"tests/unit/test_packaged.py"}),
        # Every import of a module of pkg runs pkg/__init__.py.
        (
            "pkg/__init__.py",
            {
                "tests/test_alpha.py",
                "tests/test_delta.py",
                "tests/sub/test_sub.py",
                "tests/unit/test_packaged.py",
            },
        ),
    ],
)
def test_a_changed_source_reruns_the_test_files_depending_on_it_and_no_others(
    project: Path, changed: str, rerun: set[str]
) -> None:
    selection = selection_after(project, changed)
    assert selection is not None
    assert set(selection.rerun) == rerun
    assert selection.changed == (changed,)
    assert selection.known == 7


def test_several_changes_rerun_the_union_of_their_test_files(project: Path) -> None:
    selection = selection_after(project, "pkg/alpha.py", "tests/test_zeta.py")
    assert selection is not None
    assert selection.rerun == ("tests/test_alpha.py", "tests/test_zeta.py")
    assert selection.changed == ("pkg/alpha.py", "tests/test_zeta.py")


@pytest.mark.parametrize(
    "edited",
    [
        "pyproject.toml",  # configuration
        "pkg/data.json",  # a data file the sources read
        "tests/conftest.py",  # hooks and fixtures of every test below it
        "tests/helpers.py",  # a test helper: neither a test file nor a measured source
    ],
)
def test_a_change_outside_tests_and_measured_sources_asks_for_a_whole_run(
    project: Path, edited: str
) -> None:
    assert selection_after(project, edited) is None


def test_a_new_file_asks_for_a_whole_run(project: Path) -> None:
    before = source_manifest(project)
    (project / "pkg" / "new.py").write_text("", encoding="utf-8")
    assert select_tests(project, IMPACT, before, source_manifest(project)) is None


@pytest.mark.parametrize("removed", ["pkg/zeta.py", "tests/test_zeta.py"])
def test_a_removed_file_asks_for_a_whole_run(project: Path, removed: str) -> None:
    before = source_manifest(project)
    (project / removed).unlink()
    assert select_tests(project, IMPACT, before, source_manifest(project)) is None


@pytest.mark.parametrize(
    ("selection", "text"),
    [
        (
            TestSelection(("tests/a.py",), ("pkg/a.py",), 5),
            "1 of 5 test files affected by 1 changed file ran; the other 4 kept their results",
        ),
        (
            TestSelection(("tests/a.py", "tests/b.py"), ("pkg/a.py", "pkg/b.py"), 2),
            "2 of 2 test files affected by 2 changed files ran; the other 0 kept their results",
        ),
    ],
)
def test_describe_says_what_ran_and_why(selection: TestSelection, text: str) -> None:
    assert selection.describe() == text
