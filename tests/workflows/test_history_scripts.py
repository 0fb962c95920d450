"""The history branch's scripts, run for real against a bare git repository standing in for GitHub.

monitoring.yml reads the branch; history.yml commits a monitor run's history or a
delivery's records to it, re-reading the branch when another run pushed meanwhile.
"""

from __future__ import annotations

import shutil
from typing import TYPE_CHECKING

import pytest

from tests.workflows.history_branch import COMMIT, PRODUCTION, READ, History, git
from tests.workflows.step_runner import run_step

if TYPE_CHECKING:
    from pathlib import Path


def test_the_history_starts_a_branch_then_each_run_adds_one_commit(history: History) -> None:
    first = history.monitor_run(['{"run": 1}\n'])
    assert first.returncode == 0, first.stderr
    assert history.show(PRODUCTION) == '{"run": 1}\n'
    second = history.monitor_run(['{"run": 2}\n'])
    assert second.returncode == 0, second.stderr
    assert history.show(PRODUCTION) == '{"run": 1}\n{"run": 2}\n'
    assert history.commits() == 2
    # The token went to git through the environment only: nothing on disk keeps it.
    config = (history.root / "job4" / "history-branch" / ".git" / "config").read_text("utf-8")
    assert "ghs_secret_token" not in config
    assert "extraheader" not in config


def test_an_unchanged_history_makes_no_commit(history: History) -> None:
    history.monitor_run(['{"run": 1}\n'])
    unchanged = history.monitor_run([])
    assert unchanged.returncode == 0, unchanged.stderr
    assert "did not change" in unchanged.stdout
    assert history.commits() == 1


def test_an_unreachable_repository_fails_instead_of_starting_a_new_history(
    history: History, tmp_path: Path
) -> None:
    env = history.env(tmp_path, GITHUB_REPOSITORY="owner/missing")
    done = run_step(READ, env, tmp_path)
    assert done.returncode != 0
    assert "starts the history" not in done.stdout
    pushed = run_step(COMMIT, {**env, "FILES": PRODUCTION}, tmp_path)
    assert pushed.returncode == 0  # no artifact file: nothing to push
    assert "nothing to commit" in pushed.stdout


def test_another_environment_s_history_committed_meanwhile_is_kept(history: History) -> None:
    history.monitor_run(['{"run": 1}\n'])
    # Production's next run reads the branch; staging's run commits before it does.
    history.read()
    staging = history.commit("history/staging.jsonl", {"history/staging.jsonl": '{"s": 1}\n'})
    assert staging.returncode == 0, staging.stderr
    # What the production monitor returns also holds staging's file as it read it: stale.
    done = history.commit(
        PRODUCTION,
        {PRODUCTION: '{"run": 1}\n{"run": 2}\n', "history/staging.jsonl": ""},
    )
    assert done.returncode == 0, done.stderr
    assert history.show(PRODUCTION) == '{"run": 1}\n{"run": 2}\n'
    assert history.show("history/staging.jsonl") == '{"s": 1}\n'


def test_delivery_records_join_the_branch_beside_the_history(history: History) -> None:
    history.monitor_run(['{"run": 1}\n'])
    deploy = {"deployments/1-deploy-staging.json": "{}", "deployments/1-deploy-staging.txt": "x"}
    assert history.commit("deployments", deploy).returncode == 0
    rollback = {"deployments/2-rollback-production.json": "{}", "gates/summary.json": "{}"}
    done = history.commit("deployments", rollback)
    assert done.returncode == 0, done.stderr
    assert history.listing("deployments") == [
        "1-deploy-staging.json",
        "1-deploy-staging.txt",
        "2-rollback-production.json",
    ]
    assert history.listing("") == ["deployments", "history"]  # never the gates' reports
    assert history.show(PRODUCTION) == '{"run": 1}\n'
    assert history.commits() == 3
    # The next monitor run reads them, for the dashboard.
    branch = history.read() / "history-branch"
    assert len(list((branch / "deployments").iterdir())) == 3


@pytest.mark.parametrize("files", ["", "/etc/passwd", "../deployments", "history/../../x"])
def test_a_path_outside_the_artifact_is_refused(history: History, files: str) -> None:
    done = history.commit(files, {"deployments/a.json": "{}"})
    assert done.returncode == 2
    assert "must be a path inside the artifact" in done.stdout
    assert not git("branch", "--list", cwd=history.repo)


def racing_git(folder: Path, history: History, races: int) -> Path:
    """Write a `git` that lets another run push to the branch before each of `races` pushes."""
    real = shutil.which("git") or "git"
    wrapper = folder / "bin" / "git"
    wrapper.parent.mkdir(parents=True)
    (folder / "races").write_text(str(races), encoding="utf-8")
    wrapper.write_text(
        f"""#!/bin/bash
left=$(cat {folder}/races)
if [ "$1" = push ] && [ "$left" -gt 0 ]; then
  echo $((left - 1)) > {folder}/races
  other=$(mktemp -d)
  {real} clone -q --branch monitoring-history file://{history.repo} "$other/clone"
  echo "{{}}" > "$other/clone/deployments/other-$left.json"
  {real} -C "$other/clone" add deployments
  {real} -C "$other/clone" -c user.name=other -c user.email=o@example.org commit -qm other
  {real} -C "$other/clone" push -q origin monitoring-history
fi
exec {real} "$@"
""",
        encoding="utf-8",
    )
    wrapper.chmod(0o755)
    return wrapper.parent


def test_a_push_beaten_by_another_run_reads_the_branch_again(
    history: History, tmp_path: Path
) -> None:
    history.commit("deployments", {"deployments/first.json": "{}"})
    path = racing_git(tmp_path / "race", history, races=1)
    done = history.commit("deployments", {"deployments/mine.json": "{}"}, path_first=path)
    assert done.returncode == 0, done.stderr
    assert "moved while this run wrote to it (attempt 1 of 3)" in done.stdout
    assert history.listing("deployments") == ["first.json", "mine.json", "other-1.json"]
    assert history.commits() == 3  # never forced: the other run's commit is kept


def test_a_branch_that_keeps_moving_fails_loudly(history: History, tmp_path: Path) -> None:
    history.commit("deployments", {"deployments/first.json": "{}"})
    path = racing_git(tmp_path / "race", history, races=3)
    done = history.commit("deployments", {"deployments/mine.json": "{}"}, path_first=path)
    assert done.returncode == 1
    assert "::error::monitoring-history kept moving" in done.stdout
    assert "mine.json" not in history.listing("deployments")
    assert history.commits() == 4
