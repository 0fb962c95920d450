"""A small project whose tests pytest runs under coverage with the test-context plugin.

Two test files: `tests/test_alpha.py` executes `pkg/alpha.py` (also in a subprocess)
and sets up a module-scoped fixture of its own; `tests/test_beta.py` executes
`pkg/beta.py` and uses `store`, a module-scoped fixture of `tests/conftest.py`, and
`settings`, a session-scoped fixture of the root's `conftest.py` executing `pkg/delta.py`.
`pkg/gamma.py` is executed by no test.
"""

from __future__ import annotations

import os
import subprocess
import sys
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping
    from pathlib import Path

SMALL_PROJECT = {
    "pyproject.toml": """\
[tool.pytest.ini_options]
testpaths = ["tests"]
addopts = ["--import-mode=importlib"]

[tool.coverage.run]
branch = true
parallel = true
patch = ["subprocess"]
source = ["pkg"]
""",
    "pkg/__init__.py": '"""The small project."""\n',
    "pkg/alpha.py": """\
def double(number):
    if number > 0:
        return 2 * number
    return 0
""",
    "pkg/beta.py": """\
def shout(text):
    return text.upper() + "!"


def make_store():
    return {"ready": True}
""",
    "pkg/gamma.py": """\
def unused(number):
    if number:
        return 1
    return 2
""",
    "pkg/delta.py": """\
def load():
    return {"mode": "test"}
""",
    "conftest.py": """\
import pytest

from pkg import delta


@pytest.fixture(scope="session")
def settings():
    return delta.load()
""",
    "tests/conftest.py": """\
import pytest

from pkg import beta


@pytest.fixture(scope="module")
def store():
    return beta.make_store()
""",
    "tests/test_alpha.py": """\
import subprocess
import sys

import pytest

from pkg import alpha


@pytest.fixture(scope="module")
def limit():
    return alpha.double(5)


def test_double():
    assert alpha.double(2) == 4


def test_double_in_a_subprocess(limit):
    code = "from pkg.alpha import double; print(double(-1))"
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "0"
    assert limit == 10
""",
    "tests/test_beta.py": """\
from pkg import beta


def test_shout(store):
    assert store["ready"]
    assert beta.shout("a") == "A!"


def test_shout_twice(store, settings):
    assert beta.shout("b") == "B!"
    assert settings["mode"] == "test"
""",
}
"""Line numbers matter: the tests name lines of pkg/alpha.py and pkg/beta.py."""

# Inherited, these would make the outer suite's coverage (or xdist) measure or steer the
# child: the child must be measured by its own configuration only.
_NOT_INHERITED = ("COVERAGE_", "COV_CORE_", "PYTEST_XDIST_", "PYTEST_ADDOPTS")


def write_project(root: Path, files: Mapping[str, str]) -> Path:
    """Write `files` (relative path: text) under `root` and return it."""
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def child_environment(project: Path, report: Path, **extra: str) -> dict[str, str]:
    """Return the environment of a pytest run on `project` writing coverage to `report`."""
    environment = {
        name: value for name, value in os.environ.items() if not name.startswith(_NOT_INHERITED)
    }
    environment["PYTHONPATH"] = str(project)
    environment["COVERAGE_FILE"] = str(report / ".coverage")
    # An edit of the same size within the same second would reuse a stale .pyc.
    environment["PYTHONDONTWRITEBYTECODE"] = "1"
    environment.update(extra)
    return environment


def run_pytest_as_the_test_stage(
    project: Path, report: Path, *arguments: str, coverage: bool = True, **environment: str
) -> subprocess.CompletedProcess[str]:
    """Run pytest on `project` as the test stage does, its reports in `report`.

    `arguments`: test files to run (all when none); `environment`: more variables.
    """
    report.mkdir(parents=True, exist_ok=True)
    measured = (
        ("--cov", "--cov-report=", f"--cov-report=json:{report}/coverage.json") if coverage else ()
    )
    command = (
        sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
        "-p", "semaine.probes.test_contexts", f"--test-map={report}/test-map.json",
        f"--junitxml={report}/junit.xml", *measured, *arguments,
    )  # fmt: skip
    return subprocess.run(
        command,
        cwd=project,
        env=child_environment(project, report, **environment),
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture
def small_project(tmp_path: Path) -> Path:
    """Give a fresh copy of the small project."""
    return write_project(tmp_path / "project", SMALL_PROJECT)


@pytest.fixture(scope="session")
def run_pytest() -> Callable[..., subprocess.CompletedProcess[str]]:
    """Give `run_pytest_as_the_test_stage` (test modules do not import the conftest)."""
    return run_pytest_as_the_test_stage
