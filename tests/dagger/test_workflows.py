"""The GitHub workflows stay thin wrappers: pinned CLI, `dagger call` with real flags.

The security standard every workflow holds to (permissions, pins, no injection) is
checked in tests/workflows/; this module checks what they call in the Dagger module.
"""

from __future__ import annotations

import re
import shlex
from typing import TYPE_CHECKING

import pytest

from tests.workflows.workflow_files import ENTRY_POINTS, NAMES, load

if TYPE_CHECKING:
    from tests.dagger.conftest import FakeEngine, FunctionDef

ACTION = re.compile(r"^dagger/dagger-for-github@[0-9a-f]{40}$")
NOT_FUNCTION_FLAGS = frozenset({"progress", "path"})
"""Flags of the dagger CLI itself (`--progress`) and of the chained `export` (`--path`)."""


def dagger_steps(name: str) -> list[str]:
    """Return the scripts of the workflow's steps that run `dagger ... call`."""
    scripts = [step.get("run", "") for step in load(name).steps()]
    return [script for script in scripts if re.search(r"\bdagger\b.*\bcall\b", script, re.DOTALL)]


def calls_of(script: str) -> tuple[str, set[str]]:
    """Return (function, flags given) of a script's `dagger call`.

    A script may collect its flags first (`set -- --flag=value ...`): every `--flag` of
    the script counts, whether before `call` or after it.
    """
    words = shlex.split(script.replace("\\\n", " "), comments=True)
    function = words[words.index("call") + 1]
    flags = {w[2:].split("=")[0].rstrip(";") for w in words if re.match(r"--\w", w)}
    return function, flags - NOT_FUNCTION_FLAGS


def dagger_calls(name: str) -> list[tuple[str, set[str]]]:
    """Return (function, flags given) for each `dagger call` of the workflow."""
    return [calls_of(script) for script in dagger_steps(name)]


def mismatches(functions: dict[str, FunctionDef], function: str, flags: set[str]) -> list[str]:
    """Say what is wrong with a call: an unknown function, a flag it does not take, one missing."""
    registered = functions.get(function)
    if registered is None:
        return [f"no function {function}"]
    takes = {arg.replace("_", "-"): definition for arg, definition in registered.args.items()}
    wrong = [f"{function} takes no --{flag}" for flag in sorted(flags - set(takes))]
    needed = {flag for flag, definition in takes.items() if not definition.optional}
    return wrong + [f"{function} needs --{flag}" for flag in sorted(needed - flags)]


@pytest.fixture(scope="module")
def functions(registered_engine: FakeEngine) -> dict[str, FunctionDef]:
    """Return the module's registered functions by their CLI name (deploy, build-release)."""
    return {n.replace("_", "-"): f for n, f in registered_engine.function_defs().items()}


@pytest.mark.parametrize("name", ENTRY_POINTS)
def test_the_cli_is_pinned(name: str) -> None:
    installs = [s for s in load(name).steps() if "dagger-for-github" in s.get("uses", "")]
    assert installs, name
    for install in installs:
        assert ACTION.match(install["uses"])
        assert install["with"] == {"version": "0.21.8"}  # install only: the scripts call it


def test_ci_exports_summarises_uploads_then_judges() -> None:
    steps = load("ci.yml").steps()
    names = [step.get("name", step.get("uses", "")) for step in steps]
    runs = " ".join(step.get("run", "") for step in steps)
    assert "dagger --progress plain call pipeline export --path reports" in runs
    assert "$GITHUB_STEP_SUMMARY" in runs
    assert any("upload-artifact" in step.get("uses", "") for step in steps)
    assert names[-1] == "Fail unless every gate passed"
    assert set(load("ci.yml").triggers) == {"push", "pull_request"}


def test_dispatch_inputs() -> None:
    def inputs(name: str) -> set[str]:
        return set(load(name).triggers["workflow_dispatch"]["inputs"])

    assert inputs("migrate.yml") == {"environment", "dry_run", "batch_size", "dump"}
    assert inputs("rollback.yml") == {
        "environment",
        "rollback_type",
        "reason",
        "to_release",
        "confirm",
    }
    assert inputs("monitoring.yml") == {"environment"}
    assert inputs("deploy.yml") == {"accept_inconclusive"}


@pytest.mark.parametrize("name", ENTRY_POINTS)
def test_every_call_names_a_registered_function_with_flags_it_takes(
    functions: dict[str, FunctionDef], name: str
) -> None:
    calls = dagger_calls(name)
    assert calls, name
    for function, flags in calls:
        assert mismatches(functions, function, flags) == [], name


@pytest.mark.parametrize("name", ENTRY_POINTS)
def test_who_acts_is_passed_wherever_a_function_records_it(
    functions: dict[str, FunctionDef], name: str
) -> None:
    # The engine cannot see GITHUB_ACTOR: a record would name nobody (or the wrong person
    # for a rollback's authorisation) unless the workflow passes it.
    for function, flags in dagger_calls(name):
        if "actor" in functions[function].args:
            assert "actor" in flags, (name, function)
            (script,) = [s for s in dagger_steps(name) if calls_of(s)[0] == function]
            assert '--actor="$GITHUB_ACTOR"' in script


@pytest.mark.parametrize(
    ("script", "said"),
    [
        ("dagger call deploy --environment staging --heroku-api-key env://K --actr=x",
         ["deploy takes no --actr"]),
        ("dagger call deploy --environment staging", ["deploy needs --heroku-api-key"]),
        ('set -- --to production\ndagger call promote "$@" --heroku-api-key env://K',
         []),
        ("dagger call publish --environment staging", ["no function publish"]),
    ],
)  # fmt: skip
def test_a_call_the_module_does_not_take_is_caught(
    functions: dict[str, FunctionDef], script: str, said: list[str]
) -> None:
    assert mismatches(functions, *calls_of(script)) == said


def test_each_workflow_calls_the_functions_of_its_job() -> None:
    called = {name: [function for function, _ in dagger_calls(name)] for name in NAMES}
    assert called == {
        "ci.yml": ["pipeline", "verdict"],
        "deploy.yml": ["deploy", "promote"],
        "history.yml": [],
        "migrate.yml": ["migrate"],
        "monitoring.yml": ["monitor", "dashboard"],
        "rollback.yml": ["rollback"],
    }


@pytest.mark.parametrize(
    ("name", "job", "folder", "artifact"),
    [
        ("migrate.yml", "migrate", "reports/data-migration", "data-migration-reports"),
        ("rollback.yml", "rollback", "reports/rollback", "rollback-reports"),
        ("deploy.yml", "staging", "reports/deploy", "deploy-staging-reports"),
        ("deploy.yml", "production", "reports/promote", "promote-production-reports"),
    ],
)
def test_changes_export_upload_then_fail_with_the_verb_s_status(
    name: str, job: str, folder: str, artifact: str
) -> None:
    steps = load(name).steps(job)
    (script,) = [s["run"] for s in steps if re.search(r"dagger\b.*\bcall\b", s.get("run", ""))]
    assert script.rstrip().endswith(f"export --path {folder}")
    uploads = [step for step in steps if "upload-artifact" in step.get("uses", "")]
    assert uploads[0]["with"]["name"] == artifact
    assert all(step["if"].startswith("always()") for step in uploads)
    assert steps[-1]["run"] == f'exit "$(cat {folder}/exit-status)"'


def test_the_dump_is_never_in_the_reports_artifact_and_kept_one_day() -> None:
    steps = load("migrate.yml").steps()
    reports, dump = [step for step in steps if "upload-artifact" in step.get("uses", "")]
    assert "!reports/data-migration/entries.dump" in reports["with"]["path"]
    assert dump["with"] == {
        "name": "data-migration-dump",
        "path": "reports/data-migration/entries.dump",
        "retention-days": 1,
        "if-no-files-found": "warn",
    }
