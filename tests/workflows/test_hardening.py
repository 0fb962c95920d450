"""Every workflow holds to the same standard: least privilege, pinned actions, no injection."""

from __future__ import annotations

import re

import pytest

from tests.workflows.workflow_files import (
    ENTRY_POINTS,
    NAMES,
    REUSABLE,
    SELF_REPOSITORY,
    WORKFLOWS,
    Workflow,
    every_workflow,
    load,
)

PINS = {
    "actions/checkout": ("08c6903cd8c0fde910a37f88322edcfb5dd907a8", "v5.0.0"),
    "actions/upload-artifact": ("330a01c490aca151604b8cf639adc76d48f6c5d4", "v5.0.0"),
    "actions/download-artifact": ("634f93cb2916e3fdff6788551b99b062d0335ce0", "v5.0.0"),
    "actions/upload-pages-artifact": ("fc324d3547104276b827a68afc52ff2a11cc49c9", "v5.0.0"),
    "actions/deploy-pages": ("cd2ce8fcbc39b97be8ca5fce6e763baed58fa128", "v5.0.0"),
    "dagger/dagger-for-github": ("27b130bf0f79a7f6fbbbe0fbca6760dc9bb40a77", "v8.4.1"),
}
"""The one reviewed commit of each action (docs/workflows.md says where each was checked)."""
USES = re.compile(r"^\s*(?:-\s+)?uses:\s*(?P<ref>\S+)(?P<comment>\s+#.*)?$")
PINNED = re.compile(r"^(?P<action>[\w.-]+/[\w.-]+)@(?P<sha>[0-9a-f]{40})$")
VERSION_COMMENT = re.compile(r"^\s+# (?P<version>v\d+\.\d+\.\d+)$")

WRITES = {
    ("monitoring.yml", "monitor"): {"issues"},
    ("monitoring.yml", "history"): {"contents"},
    ("monitoring.yml", "pages"): {"pages", "id-token"},
    ("deploy.yml", "staging-record"): {"contents"},
    ("deploy.yml", "production-record"): {"contents"},
    ("rollback.yml", "record"): {"contents"},
    ("ci.yml", "record"): {"contents"},
    ("history.yml", "commit"): {"contents"},
}
"""The only jobs that may write anything, and what: every other job reads at most.

Every `contents: write` is history.yml's push or a job that calls it (a caller's
permissions are the most the called workflow may have)."""

WORKFLOWS_PARAMS = pytest.mark.parametrize("workflow", every_workflow(), ids=list(NAMES))


def test_the_folder_holds_exactly_the_known_workflows() -> None:
    found = {path.name for path in WORKFLOWS.iterdir() if path.suffix in {".yml", ".yaml"}}
    assert found == set(NAMES)


@WORKFLOWS_PARAMS
def test_nothing_is_granted_at_the_top_and_each_job_says_what_it_needs(
    workflow: Workflow,
) -> None:
    assert workflow.document["permissions"] == {}
    for job_id, job in workflow.jobs.items():
        assert isinstance(job.get("permissions"), dict), f"{workflow.name}:{job_id}"


@WORKFLOWS_PARAMS
def test_only_the_named_jobs_write_and_only_what_they_need(workflow: Workflow) -> None:
    for job_id, job in workflow.jobs.items():
        writes = {scope for scope, level in job["permissions"].items() if level == "write"}
        assert writes == WRITES.get((workflow.name, job_id), set()), f"{workflow.name}:{job_id}"
        assert set(job["permissions"].values()) <= {"read", "write"}


@pytest.mark.parametrize("name", ENTRY_POINTS)
def test_every_checkout_leaves_no_credentials_behind(name: str) -> None:
    workflow = load(name)
    checkouts = [s for s in workflow.steps() if s.get("uses", "").startswith("actions/checkout@")]
    assert checkouts, workflow.name
    assert all(step["with"]["persist-credentials"] is False for step in checkouts)


def test_the_jobs_that_write_contents_run_no_project_code() -> None:
    # The write token only ever meets history.yml's own script: no checkout, no dagger,
    # no action but the download of the caller's artifact.
    for workflow in every_workflow():
        for job_id, job in workflow.jobs.items():
            if job.get("permissions", {}).get("contents") != "write":
                continue
            assert workflow.called(job_id) == "history.yml" or workflow.name in REUSABLE
    (history,) = [load(name) for name in REUSABLE]
    actions = [step["uses"].split("@")[0] for step in history.steps() if "uses" in step]
    assert actions == ["actions/download-artifact"]
    assert "dagger" not in history.text
    assert history.triggers.keys() == {"workflow_call"}


@WORKFLOWS_PARAMS
def test_every_action_is_pinned_to_its_reviewed_commit(workflow: Workflow) -> None:
    lines = [USES.match(line) for line in workflow.text.splitlines()]
    uses = [match for match in lines if match]
    assert uses, workflow.name
    for match in uses:
        if match["ref"].startswith(SELF_REPOSITORY):
            # This repository's own workflow, at the commit that runs: pinned by being here.
            assert match["ref"].removeprefix(SELF_REPOSITORY) in REUSABLE, match["ref"]
            continue
        pinned = PINNED.match(match["ref"])
        assert pinned, f"{workflow.name}: {match['ref']} is not pinned to a full commit SHA"
        comment = VERSION_COMMENT.match(match["comment"] or "")
        assert comment, f"{workflow.name}: {match['ref']} has no `# vX.Y.Z` comment"
        expected = PINS[pinned["action"]]
        assert (pinned["sha"], comment["version"]) == expected, match["ref"]


@WORKFLOWS_PARAMS
def test_no_expression_is_expanded_inside_a_shell_script(workflow: Workflow) -> None:
    # Inputs, secrets and contexts reach scripts through `env:` only (no template injection).
    for step in workflow.steps():
        assert "${{" not in step.get("run", ""), f"{workflow.name}: {step.get('name')}"


@WORKFLOWS_PARAMS
def test_secrets_reach_dagger_only_as_secret_addresses(workflow: Workflow) -> None:
    for step in workflow.steps():
        script = step.get("run", "")
        if not re.search(r"\bdagger\b.*\bcall\b", script, re.DOTALL):
            continue
        for name, value in step.get("env", {}).items():
            if "secrets." not in str(value) and "github.token" not in str(value):
                continue
            assert f"env://{name}" in script, f"{workflow.name}: {name} is not passed as a secret"
            # Besides env://NAME, a script may only test that the secret is set.
            rest = script.replace(f'[ -n "${name}" ]', "")
            assert not re.search(rf"\$\{{?{name}\b", rest), f"{workflow.name}: ${name} is expanded"


@WORKFLOWS_PARAMS
def test_every_job_has_a_timeout(workflow: Workflow) -> None:
    for job_id, job in workflow.jobs.items():
        called = workflow.called(job_id)
        # A job that calls a workflow may not set one: the called workflow's jobs do.
        jobs = load(called).jobs.values() if called else [job]
        for each in jobs:
            assert 0 < each["timeout-minutes"] <= 60, f"{workflow.name}:{job_id}"


ENVIRONMENT_CHANGES = [
    ("deploy.yml", "staging", "staging"),
    ("deploy.yml", "production", "production"),
    ("rollback.yml", "rollback", "${{ inputs.environment }}"),
    ("migrate.yml", "migrate", "${{ inputs.environment }}"),
]


@pytest.mark.parametrize(("name", "job_id", "environment"), ENVIRONMENT_CHANGES)
def test_changes_to_one_environment_queue_in_one_group_and_are_never_cancelled(
    name: str, job_id: str, environment: str
) -> None:
    job = load(name).jobs[job_id]
    assert job["environment"] == environment
    # One group name per environment across deploy, rollback and migrate.
    assert job["concurrency"] == {
        "group": f"environment-{environment}",
        "cancel-in-progress": False,
    }


def test_no_workflow_cancels_a_run_that_changes_something() -> None:
    for workflow in every_workflow():
        top = workflow.document.get("concurrency", {})
        if top.get("cancel-in-progress"):
            # Only the pipeline, which changes nothing, gives way to a newer push.
            assert workflow.name == "ci.yml"
