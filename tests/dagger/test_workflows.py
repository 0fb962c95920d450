"""The GitHub workflows stay thin wrappers: pinned CLI, `dagger call` with real flags."""

from __future__ import annotations

import re
import shlex
from typing import TYPE_CHECKING

import pytest
import yaml

from tests.paths import ROOT

if TYPE_CHECKING:
    from tests.dagger.conftest import FakeEngine

WORKFLOWS = ROOT / ".github" / "workflows"
ACTION = re.compile(r"^dagger/dagger-for-github@v8\.\d+\.\d+$")


def workflow(name: str) -> dict:
    return yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))


def steps(name: str) -> list[dict]:
    return [step for job in workflow(name)["jobs"].values() for step in job["steps"]]


def dagger_calls(name: str) -> list[list[str]]:
    words = [shlex.split(step["run"].replace("\\\n", " ")) for step in steps(name) if "run" in step]
    calls = []
    for script in words:
        calls += [script[i + 1 :] for i, word in enumerate(script) if word == "call"]
    return calls


@pytest.mark.parametrize("name", ["ci.yml", "migrate.yml", "rollback.yml"])
def test_the_cli_is_pinned(name: str) -> None:
    (install,) = [step for step in steps(name) if "dagger-for-github" in step.get("uses", "")]
    assert ACTION.match(install["uses"])
    assert install["with"]["version"] == "0.21.8"


@pytest.mark.parametrize("name", ["ci.yml", "migrate.yml", "rollback.yml"])
def test_inputs_never_reach_a_shell_unquoted(name: str) -> None:
    for step in steps(name):
        assert "${{ inputs." not in step.get("run", ""), step.get("name")


def test_ci_exports_summarises_uploads_then_judges() -> None:
    names = [step.get("name", step.get("uses", "")) for step in steps("ci.yml")]
    runs = " ".join(step.get("run", "") for step in steps("ci.yml"))
    assert "dagger --progress plain call pipeline export --path reports" in runs
    assert "$GITHUB_STEP_SUMMARY" in runs
    assert any("upload-artifact" in step.get("uses", "") for step in steps("ci.yml"))
    assert names[-1] == "Fail unless every gate passed"
    assert set(workflow("ci.yml")[True]) == {"push", "pull_request"}  # YAML 1.1 reads `on` as True


def test_dispatch_inputs() -> None:
    assert set(workflow("migrate.yml")[True]["workflow_dispatch"]["inputs"]) == {
        "environment",
        "dry_run",
        "batch_size",
        "dump",
    }
    assert set(workflow("rollback.yml")[True]["workflow_dispatch"]["inputs"]) == {
        "environment",
        "rollback_type",
        "reason",
        "run_id",
    }


def test_every_called_function_and_flag_exists(registered_engine: FakeEngine) -> None:
    functions = {name.replace("_", "-"): f for name, f in registered_engine.function_defs().items()}
    for name in ["ci.yml", "migrate.yml", "rollback.yml"]:
        for call in dagger_calls(name):
            function = functions[call[0]]
            flags = {word[2:] for word in call[1:] if word.startswith("--")}
            known = {arg.replace("_", "-") for arg in function.args} | {"path"}
            assert flags <= known, (name, call)


@pytest.mark.parametrize(
    ("name", "artifact"),
    [("migrate.yml", "data-migration-reports"), ("rollback.yml", "rollback-reports")],
)
def test_data_workflows_export_upload_then_fail_with_the_verb_s_status(
    name: str, artifact: str
) -> None:
    found = steps(name)
    (call,) = dagger_calls(name)
    assert call[-3:] == ["export", "--path", "reports/data-migration"]
    uploads = [step for step in found if "upload-artifact" in step.get("uses", "")]
    assert uploads[0]["with"]["name"] == artifact
    assert all(step["if"].startswith("always()") for step in uploads)
    assert found[-1]["run"] == 'exit "$(cat reports/data-migration/exit-status)"'


def test_the_dump_is_never_in_the_reports_artifact_and_kept_one_day() -> None:
    uploads = [step for step in steps("migrate.yml") if "upload-artifact" in step.get("uses", "")]
    reports, dump = uploads
    assert "!reports/data-migration/entries.dump" in reports["with"]["path"]
    assert dump["with"] == {
        "name": "data-migration-dump",
        "path": "reports/data-migration/entries.dump",
        "retention-days": 1,
        "if-no-files-found": "warn",
    }
