"""Every command README.md and docs/*.md show is checked by something real, so docs cannot drift.

What checks which command: tests/docs/command_checks.py. A command no check can
classify fails here and says how to classify it; a wrong command is fixed in the doc.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tomllib
from typing import TYPE_CHECKING

import pytest

from semaine.pipeline.sources import SOURCE_IGNORE
from tests.docs.argparse_checks import help_problems
from tests.docs.command_checks import (
    ALLOWED_UNRUN,
    NOT_COMMANDS,
    VENV_BIN,
    argvs,
    prefetch_pytest,
    problems,
    pytest_argvs,
    verb_paths,
    without_comment,
)
from tests.docs.markdown_commands import commands_in, inline_code
from tests.paths import ROOT

if TYPE_CHECKING:
    from tests.docs.markdown_commands import DocCommand

DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
REPOSITORY_PATH = re.compile(r"^(?:app|ci|tests|bench|scripts|docs|\.ci|\.github)/[\w./-]*$")
"""Inline code naming a file or folder of the repository (not a pattern: no `*`, `<x>`)."""
COMMANDS = [c for path in DOCS for c in commands_in(path, path.relative_to(ROOT).as_posix())]


@pytest.fixture(scope="module", autouse=True)
def _pytest_lines_parsed_at_once() -> None:
    """Parse every pytest command of the docs in one pytest process, not one each."""
    prefetch_pytest(pytest_argvs(COMMANDS))


@pytest.mark.parametrize("command", COMMANDS, ids=[c.where for c in COMMANDS])
def test_the_command_checks_out(command: DocCommand) -> None:
    found = problems(command)
    assert not found, "\n".join(found)


def test_every_verb_shown_answers_help() -> None:
    paths = verb_paths(COMMANDS)
    assert {program.name for program, _ in paths} == {"semaine", "python -m app"}
    found = [problem for program, path in paths for problem in help_problems(program, path)]
    assert not found, "\n".join(found)


def test_the_programs_start_as_the_docs_run_them() -> None:
    # `uv run semaine` runs the venv's console script; `python -m app` the package's main.
    for command in ([str(VENV_BIN / "semaine"), "--help"], [sys.executable, "-m", "app", "--help"]):
        done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
        assert done.returncode == 0, done.stderr
        assert done.stdout.startswith("usage:"), done.stdout[:200]


def test_the_readme_starts_with_the_main_job_and_the_tests() -> None:
    first = [c for c in COMMANDS if c.path == "README.md" and c.strict][:2]
    assert [without_comment(c.text) for c in first] == [
        "scripts/setup && uv run semaine pipeline",
        "scripts/setup && uv run pytest -n auto",
    ]
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert text.index("scripts/setup && uv run semaine pipeline") < text.index("\n## ")


def test_ci_run_runs_the_readme_test_command() -> None:
    readme = next(c for c in COMMANDS if c.path == "README.md" and "pytest" in c.text)
    (readme_pytest,) = [argv for argv in argvs(readme) if "pytest" in argv]
    ci_run = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    (line,) = [line for line in ci_run.splitlines() if re.match(r"\s*uv run .*pytest", line)]
    words = line.split()
    assert words[words.index("pytest") :] == readme_pytest[readme_pytest.index("pytest") :]


def test_the_dagger_installer_pins_the_engine_version() -> None:
    engine = json.loads((ROOT / "dagger.json").read_text(encoding="utf-8"))["engineVersion"]
    installs = [c for c in COMMANDS if "install.sh" in c.text]
    assert {c.path for c in installs} >= {"README.md", "docs/dagger.md"}
    for command in installs:
        (pinned,) = re.findall(r"DAGGER_VERSION=(\S+)", command.text)
        assert f"v{pinned}" == engine, command.where
        assert "BIN_DIR=" in command.text, f"{command.where}: installs into ./bin of the checkout"


def test_every_exception_is_still_shown_somewhere() -> None:
    shown = {without_comment(c.text) for c in COMMANDS}
    assert set(ALLOWED_UNRUN) <= shown, set(ALLOWED_UNRUN) - shown
    assert set(NOT_COMMANDS) <= shown, set(NOT_COMMANDS) - shown


def test_every_repository_path_shown_exists() -> None:
    generated = [entry for entry in SOURCE_IGNORE if "*" not in entry]  # bench/results, ...
    missing = [
        f"{path.relative_to(ROOT)}:{line}: {code}"
        for path in DOCS
        for line, code in inline_code(path)
        if REPOSITORY_PATH.match(code.rstrip(".,:;"))
        and not (ROOT / code.rstrip(".,:;")).exists()
        and not any(code == e or code.startswith(f"{e}/") for e in generated)
    ]
    assert not missing, "\n".join(missing)


def test_the_load_profile_the_docs_state_is_pyprojects() -> None:
    # The load stage's users and run time have one source, [tool.locust] of pyproject.toml.
    locust = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["locust"]
    text = "\n".join(path.read_text(encoding="utf-8") for path in DOCS)
    users = re.findall(r"\busers \((\d+)\)|\((\d+) users\)", text)
    run_times = re.findall(r"run time \((\d+) s\b", text)
    assert users, "no doc states the load stage's users any more: drop this test"
    assert {int(a or b) for a, b in users} == {locust["users"]}
    assert {f"{t}s" for t in run_times} <= {locust["run-time"]}
