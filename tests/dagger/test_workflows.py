"""The GitHub workflows stay thin wrappers: pinned CLI, `dagger call` with real flags.

The security standard every workflow holds to (permissions, pins, no injection) is
checked in tests/workflows/; this module checks what they call in the Dagger module.
"""

from __future__ import annotations

import re
import shlex
from typing import TYPE_CHECKING

import pytest

from tests.workflows.workflow_files import NAMES, load

if TYPE_CHECKING:
    from tests.dagger.conftest import FakeEngine

ACTION = re.compile(r"^dagger/dagger-for-github@[0-9a-f]{40}$")
NOT_FUNCTION_FLAGS = frozenset({"progress", "path"})
"""Flags of the dagger CLI itself (`--progress`) and of the chained `export` (`--path`)."""

AWAITED: dict[str, frozenset[str]] = {
    "deploy": frozenset({"environment", "heroku-api-key", "accept-inconclusive"}),
    "promote": frozenset({"to", "heroku-api-key", "force", "reason"}),
    "rollback": frozenset({"to-release", "confirm", "slack-webhook"}),
    "monitor": frozenset(
        {"environment", "database-url", "slack-webhook", "github-token", "github-repo", "state"}
    ),
    "dashboard": frozenset({"history", "deployments", "pipeline-summary"}),
}
"""Functions and flags agreed in the interfaces of issues 12-13, built by other branches.

Until they are registered in main.py, a call is checked against this list; once they
are, against the registration too (a flag counts if either has it). Remove an entry
when its function is registered with all its flags.
"""


def dagger_steps(name: str) -> list[str]:
    """Return the scripts of the workflow's steps that run `dagger ... call`."""
    scripts = [step.get("run", "") for step in load(name).steps()]
    return [script for script in scripts if re.search(r"\bdagger\b.*\bcall\b", script, re.DOTALL)]


def dagger_calls(name: str) -> list[tuple[str, set[str]]]:
    """Return (function, flags given) for each `dagger call` of the workflow.

    A script may collect its flags first (`set -- --flag=value ...`): every `--flag` of
    the script counts, whether before `call` or after it.
    """
    calls = []
    for script in dagger_steps(name):
        words = shlex.split(script.replace("\\\n", " "))
        function = words[words.index("call") + 1]
        flags = {w[2:].split("=")[0].rstrip(";") for w in words if re.match(r"--\w", w)}
        calls.append((function, flags - NOT_FUNCTION_FLAGS))
    return calls


@pytest.mark.parametrize("name", NAMES)
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


@pytest.mark.parametrize("name", NAMES)
def test_every_called_function_and_flag_exists(registered_engine: FakeEngine, name: str) -> None:
    functions = {n.replace("_", "-"): f for n, f in registered_engine.function_defs().items()}
    calls = dagger_calls(name)
    assert calls, name
    for function, flags in calls:
        registered = functions.get(function)
        known = set(AWAITED.get(function, ()))
        if registered is not None:
            known |= {arg.replace("_", "-") for arg in registered.args}
        assert registered is not None or function in AWAITED, (name, function)
        assert flags <= known, (name, function, flags - known)


def test_each_workflow_calls_the_functions_of_its_job() -> None:
    called = {name: [function for function, _ in dagger_calls(name)] for name in NAMES}
    assert called == {
        "ci.yml": ["pipeline", "verdict"],
        "deploy.yml": ["deploy", "promote"],
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
