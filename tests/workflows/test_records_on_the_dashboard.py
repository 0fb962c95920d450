"""A delivery's record, from the verb's reports folder to the published page, script by script.

The record is written by the function the verbs use, committed by history.yml as the
delivery's artifact, read back by the monitor job, carried in its artifact, and handed
by the dashboard job's own script to the dashboard (`semaine dashboard` takes the flags
`dagger call dashboard` takes). Main's pipeline summary travels the same way.
"""

from __future__ import annotations

import shutil
from datetime import timedelta
from typing import TYPE_CHECKING

from semaine import cli
from semaine.exit_status import ExitStatus
from tests.dashboard_histories import (
    MONDAY,
    every,
    pipeline_summary,
    record,
    run,
    write_records,
)
from tests.workflows.step_runner import recorded_calls, run_step, stub_dagger
from tests.workflows.workflow_files import step_script

if TYPE_CHECKING:
    from pathlib import Path

    from tests.workflows.history_branch import History

NOW = MONDAY + timedelta(hours=10)
ADD_RECORDS = step_script("monitoring.yml", "monitor", "Add the deployment records")
RENDER = step_script("monitoring.yml", "dashboard", "Render the status page")


def artifact_copy(folder: Path, into: Path) -> None:
    """Copy `folder` as an artifact's round trip does: files only, empty folders dropped."""
    for path in folder.rglob("*"):
        if path.is_file():
            (into / path.relative_to(folder)).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(path, into / path.relative_to(folder))


def monitor_job(history: History) -> Path:
    """Run the monitor job's scripts around a monitor that appended runs; return its artifact."""
    temp = history.read()
    exported = temp / "monitoring" / "history"
    exported.mkdir(parents=True)
    runs = every(MONDAY + timedelta(hours=7), NOW, timedelta(minutes=15))
    lines = "".join(run(at).model_dump_json() + "\n" for at in runs)
    (exported / "production.jsonl").write_text(lines, encoding="utf-8")
    added = run_step(ADD_RECORDS, history.env(temp), temp)
    assert added.returncode == 0, added.stderr
    return temp / "monitoring"


def dashboard_job(history: History, artifact: Path) -> str:
    """Run the dashboard job's render script, then the dashboard with its flags; return the page."""
    temp = history.job_folder()
    artifact_copy(artifact, temp / "monitoring")
    calls = temp / "calls.jsonl"
    env = history.env(temp, DAGGER_CALLS=str(calls))
    rendered = run_step(RENDER, env, temp, path_first=stub_dagger(temp))
    assert rendered.returncode == 0, rendered.stderr
    (call,) = recorded_calls(calls)
    flags = call[call.index("dashboard") + 1 : call.index("export")]
    site = temp / "site"
    arguments = ["dashboard", *flags, "--output", str(site), "--now", NOW.isoformat()]
    assert cli.main(arguments) == ExitStatus.DONE
    return (site / "index.html").read_text(encoding="utf-8")


def test_a_rollback_record_reaches_the_page(history: History, tmp_path: Path) -> None:
    rolled_back = record("rollback", MONDAY + timedelta(hours=8), 95.0, reason="v43 breaks weeks")
    reports = tmp_path / "reports" / "rollback"  # as rollback.yml exports the function's folder
    write_records(reports, [rolled_back])
    artifact = {
        str(path.relative_to(reports)): path.read_text(encoding="utf-8")
        for path in reports.rglob("*")
        if path.is_file()
    }
    committed = history.commit("deployments", artifact)
    assert committed.returncode == 0, committed.stderr
    assert history.listing("") == ["deployments"]  # before the monitor's first run

    page = dashboard_job(history, monitor_job(history))

    assert "v43 breaks weeks" in page
    assert "<td>alice</td>" in page
    assert "No deployment records were given" not in page


def test_main_s_latest_gates_reach_the_page(history: History, tmp_path: Path) -> None:
    summary = pipeline_summary(tmp_path / "summary.json", detail="84.2 % < 90.0 %")
    committed = history.commit("summary.json", {"summary.json": summary.read_text("utf-8")})
    assert committed.returncode == 0, committed.stderr

    page = dashboard_job(history, monitor_job(history))

    assert "Gates of the latest pipeline run" in page
    assert "84.2 % &lt; 90.0 %" in page


def test_no_record_or_summary_yet_makes_empty_panels_not_a_failure(history: History) -> None:
    page = dashboard_job(history, monitor_job(history))

    assert "No deployment, promotion or rollback in the last 30 days." in page
    assert "No pipeline summary was given" in page
