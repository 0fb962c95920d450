"""What reaches the history branch, and from there the dashboard: the callers of history.yml.

Deploys, promotions and rollbacks leave records in their reports folder
(`semaine.records`); each delivery job's follow-up job hands that folder's
`deployments/` to history.yml, which commits it to the branch the monitor's history
lives on; ci.yml does the same with main's summary.json; monitoring.yml reads the
branch and gives both to the dashboard.
"""

from __future__ import annotations

import re

import pytest

from semaine.pipeline.report import SUMMARY_JSON
from semaine.records.deployment import RECORDS_FOLDER
from tests.workflows.workflow_files import load

DELIVERIES = [
    ("deploy.yml", "staging", "staging-record", "reports/deploy"),
    ("deploy.yml", "production", "production-record", "reports/promote"),
    ("rollback.yml", "rollback", "record", "reports/rollback"),
]
"""(workflow, the job that delivers, the job that commits its record, its reports folder)."""


@pytest.mark.parametrize(("name", "job", "record_job", "folder"), DELIVERIES)
def test_each_delivery_hands_its_records_to_the_history_branch(
    name: str, job: str, record_job: str, folder: str
) -> None:
    workflow = load(name)
    caller = workflow.jobs[record_job]
    assert workflow.called(record_job) == "history.yml"
    assert caller["needs"] == job
    (upload,) = [s for s in workflow.steps(job) if "upload-artifact" in s.get("uses", "")]
    assert upload["with"]["path"] == f"{folder}/"
    # The artifact it uploads, and in it the folder the verbs write their records to.
    assert caller["with"] == {"artifact": upload["with"]["name"], "files": RECORDS_FOLDER}
    # Only when a record was written (a deploy stopped by its gates writes none), but
    # whatever the outcome: a failed deploy counts in the dashboard's success rate.
    assert caller["if"] == f"${{{{ !cancelled() && needs.{job}.outputs.record == 'true' }}}}"
    assert workflow.jobs[job]["outputs"] == {"record": "${{ steps.record.outputs.written }}"}
    (note,) = [s for s in workflow.steps(job) if s.get("id") == "record"]
    assert note["if"] == "always()"
    assert f'"{folder}/{RECORDS_FOLDER}/*.json"' in note["run"]


def test_the_monitor_s_history_is_committed_by_the_same_workflow() -> None:
    monitoring = load("monitoring.yml")
    assert monitoring.called("history") == "history.yml"
    assert monitoring.jobs["history"]["with"] == {
        "artifact": "monitoring",
        "files": "history/${{ inputs.environment || 'production' }}.jsonl",
    }


def test_main_s_pipeline_summary_is_committed_for_the_latest_gates_panel() -> None:
    ci = load("ci.yml")
    assert ci.called("record") == "history.yml"
    (upload,) = [s for s in ci.steps("pipeline") if "upload-artifact" in s.get("uses", "")]
    assert upload["with"] == {"name": "reports", "path": "reports/", "if-no-files-found": "warn"}
    assert ci.jobs["record"]["with"] == {"artifact": "reports", "files": SUMMARY_JSON}
    # Pushes to main only: never a pull request (a fork's code), never another branch.
    assert ci.jobs["record"]["if"] == (
        "${{ !cancelled() && github.event_name == 'push' && github.ref == 'refs/heads/main' }}"
    )


def test_one_branch_name() -> None:
    # monitoring.yml reads the branch history.yml writes (GitHub passes no env to a callee).
    assert load("monitoring.yml").document["env"] == load("history.yml").document["env"]
    assert load("history.yml").document["env"] == {"HISTORY_BRANCH": "monitoring-history"}


def test_the_dashboard_gets_the_records_the_branch_holds() -> None:
    monitoring = load("monitoring.yml")
    (read,) = [s for s in monitoring.steps("monitor") if s.get("name") == "Read the history branch"]
    assert "mkdir -p history deployments" in read["run"]
    names = [step.get("name") for step in monitoring.steps("monitor")]
    add = names.index("Add the deployment records and the gates for the dashboard")
    assert names.index("Monitor, export the report and the updated history") < add
    assert add < names.index("Upload the report and the history")
    (render,) = [s for s in monitoring.steps("dashboard") if "call dashboard" in s.get("run", "")]
    flags = dict(re.findall(r'--(history|deployments|pipeline-summary) "([^"]+)"', render["run"]))
    assert flags == {
        "history": "$RUNNER_TEMP/monitoring/history",
        "deployments": f"$RUNNER_TEMP/monitoring/{RECORDS_FOLDER}",
        "pipeline-summary": f"$RUNNER_TEMP/monitoring/{SUMMARY_JSON}",
    }
