"""The workflows' scripts, run for real: what they pass to dagger, what they do to git."""

from __future__ import annotations

import subprocess
from typing import TYPE_CHECKING

import pytest

from tests.workflows.step_runner import recorded_calls, run_step, stub_dagger
from tests.workflows.workflow_files import load

if TYPE_CHECKING:
    from pathlib import Path

HOSTILE = 'it broke "badly"; $(touch pwned) `touch pwned` $HOME --force'
"""A reason as a person might type it, and as an attacker would: it must arrive verbatim."""


def step(workflow: str, job: str, name_starts: str) -> str:
    """Return the script of the step whose name starts with `name_starts`."""
    (found,) = [s for s in load(workflow).steps(job) if s.get("name", "").startswith(name_starts)]
    return str(found["run"])


def dagger_calls(
    tmp_path: Path, where: tuple[str, str, str], env: dict[str, str]
) -> list[list[str]]:
    """Run the step `where` (workflow, job, name start) with a recording `dagger`: its calls."""
    calls = tmp_path / "calls.jsonl"
    done = run_step(
        step(*where),
        {"DAGGER_CALLS": str(calls), **env},
        tmp_path,
        path_first=stub_dagger(tmp_path),
    )
    assert done.returncode == 0, done.stderr
    return recorded_calls(calls)


def test_rollback_passes_every_input_verbatim_and_secrets_as_addresses(tmp_path: Path) -> None:
    env = {
        "ENVIRONMENT": "production",
        "ROLLBACK_TYPE": "full",
        "REASON": HOSTILE,
        "TO_RELEASE": "v41",
        "CONFIRM": "production",
        "DATABASE_URL": "postgresql://u:secret@db.example:5432/d",
        "HEROKU_API_KEY": "heroku-secret",
        "SLACK_WEBHOOK_URL": "",
    }
    calls = dagger_calls(tmp_path, ("rollback.yml", "rollback", "Roll back"), env)
    assert calls == [[
        "--progress", "plain", "call", "rollback",
        "--environment=production", "--rollback-type=full", f"--reason={HOSTILE}",
        "--to-release=v41", "--confirm=production",
        "--database-url", "env://DATABASE_URL", "--heroku-api-key", "env://HEROKU_API_KEY",
        "export", "--path", "reports/rollback",
    ]]  # fmt: skip
    assert not (tmp_path / "pwned").exists()
    assert "secret" not in (tmp_path / "calls.jsonl").read_text(encoding="utf-8")


def test_rollback_leaves_out_what_was_not_given(tmp_path: Path) -> None:
    env = {"ENVIRONMENT": "staging", "ROLLBACK_TYPE": "application",
           "REASON": "smoke test failed", "TO_RELEASE": "", "CONFIRM": ""}  # fmt: skip
    (call,) = dagger_calls(tmp_path, ("rollback.yml", "rollback", "Roll back"), env)
    assert call[call.index("rollback") + 1 : call.index("export")] == [
        "--environment=staging", "--rollback-type=application", "--reason=smoke test failed",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("reason", "flags"), [("", []), (HOSTILE, [f"--accept-inconclusive={HOSTILE}"])]
)
def test_deploy_accepts_inconclusive_gates_only_when_given_a_reason(
    tmp_path: Path, reason: str, flags: list[str]
) -> None:
    env = {"HEROKU_API_KEY": "k", "ACCEPT_INCONCLUSIVE": reason}
    calls = dagger_calls(tmp_path, ("deploy.yml", "staging", "Run the gates"), env)
    assert calls == [[
        "--progress", "plain", "call", "deploy",
        "--environment", "staging", "--heroku-api-key", "env://HEROKU_API_KEY", *flags,
        "export", "--path", "reports/deploy",
    ]]  # fmt: skip


def test_the_monitor_gets_the_history_folder_and_its_secrets_as_addresses(tmp_path: Path) -> None:
    env = {
        "ENVIRONMENT": "production",
        "RUNNER_TEMP": "/runner",
        "GITHUB_REPOSITORY": "owner/semaine",
        "DATABASE_URL": "postgresql://x@db.example/d",
        "SLACK_WEBHOOK_URL": "https://hooks.slack.example/T/B/X",
        "GITHUB_TOKEN": "ghs_x",
    }
    calls = dagger_calls(tmp_path, ("monitoring.yml", "monitor", "Monitor"), env)
    assert calls == [[
        "--progress", "plain", "call", "monitor",
        "--environment=production", "--state", "/runner/history-branch/history",
        "--github-token", "env://GITHUB_TOKEN", "--github-repo=owner/semaine",
        "--database-url", "env://DATABASE_URL", "--slack-webhook", "env://SLACK_WEBHOOK_URL",
        "export", "--path", "/runner/monitoring",
    ]]  # fmt: skip


def git(*args: str, cwd: Path) -> str:
    """Run git in `cwd`; return its output."""
    done = subprocess.run(
        ["git", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


class History:
    """A bare repository standing in for GitHub's, and the runner's folders around it."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.server = root / "server"
        (self.server / "owner").mkdir(parents=True)
        git("init", "-q", "--bare", "semaine.git", cwd=self.server / "owner")
        self.runs = 0

    def env(self, runner_temp: Path) -> dict[str, str]:
        """Return what the runner sets for the steps, the token included."""
        return {
            "GITHUB_SERVER_URL": f"file://{self.server}",
            "GITHUB_REPOSITORY": "owner/semaine",
            "GITHUB_RUN_ID": str(self.runs),
            "GITHUB_TOKEN": "ghs_secret_token",
            "HISTORY_BRANCH": "monitoring-history",
            "ENVIRONMENT": "production",
            "RUNNER_TEMP": str(runner_temp),
        }

    def run(self, lines: list[str]) -> tuple[subprocess.CompletedProcess[str], Path]:
        """Run read, then (the monitor having appended `lines`) commit; as one workflow run."""
        self.runs += 1
        temp = self.root / f"run{self.runs}"
        temp.mkdir()
        before = self.read(temp)
        produce(temp, "production.jsonl", before + "".join(lines))
        return self.commit(temp), temp

    def read(self, temp: Path) -> str:
        """Run the monitor job's read step in `temp`; return production.jsonl as it read it."""
        read = run_step(step("monitoring.yml", "monitor", "Read the history"), self.env(temp), temp)
        assert read.returncode == 0, read.stderr
        state = temp / "history-branch" / "history" / "production.jsonl"
        return state.read_text(encoding="utf-8") if state.exists() else ""

    def commit(self, temp: Path) -> subprocess.CompletedProcess[str]:
        """Run the history job's commit step in `temp`, which starts afresh (no read copy)."""
        (temp / "history-branch").rename(temp / "read-copy")
        return run_step(step("monitoring.yml", "history", "Commit"), self.env(temp), temp)

    def branch_file(self) -> str:
        """Return production.jsonl as the branch holds it."""
        repo = self.server / "owner" / "semaine.git"
        return git("show", "monitoring-history:history/production.jsonl", cwd=repo)

    def commits(self) -> int:
        """Return how many commits the branch has."""
        repo = self.server / "owner" / "semaine.git"
        return int(git("rev-list", "--count", "monitoring-history", cwd=repo))


def produce(temp: Path, name: str, text: str) -> None:
    """Write `name` into the history folder the monitor returns in `temp`."""
    produced = temp / "monitoring" / "history"
    produced.mkdir(parents=True, exist_ok=True)
    (produced / name).write_text(text, encoding="utf-8")


def test_the_history_starts_a_branch_then_each_run_adds_one_commit(tmp_path: Path) -> None:
    history = History(tmp_path)
    first, _ = history.run(['{"run": 1}\n'])
    assert first.returncode == 0, first.stderr
    assert history.branch_file() == '{"run": 1}\n'
    second, temp = history.run(['{"run": 2}\n'])
    assert second.returncode == 0, second.stderr
    assert history.branch_file() == '{"run": 1}\n{"run": 2}\n'
    assert history.commits() == 2
    # The token went to git through the environment only: nothing on disk keeps it.
    config = (temp / "history-branch" / ".git" / "config").read_text(encoding="utf-8")
    assert "ghs_secret_token" not in config
    assert "extraheader" not in config


def test_an_unchanged_history_makes_no_commit(tmp_path: Path) -> None:
    history = History(tmp_path)
    history.run(['{"run": 1}\n'])
    unchanged, _ = history.run([])
    assert unchanged.returncode == 0, unchanged.stderr
    assert "did not change" in unchanged.stdout
    assert history.commits() == 1


def test_an_unreachable_repository_fails_instead_of_starting_a_new_history(tmp_path: Path) -> None:
    history = History(tmp_path)
    env = {**history.env(tmp_path), "GITHUB_REPOSITORY": "owner/missing"}
    done = run_step(step("monitoring.yml", "monitor", "Read the history"), env, tmp_path)
    assert done.returncode != 0
    assert "starts the history" not in done.stdout


def test_another_environment_s_history_committed_meanwhile_is_kept(tmp_path: Path) -> None:
    history = History(tmp_path)
    history.run(['{"run": 1}\n'])
    # Production's next run reads the branch; staging's run commits before it does.
    temp = tmp_path / "late"
    temp.mkdir()
    history.read(temp)
    produce(temp, "production.jsonl", '{"run": 1}\n{"run": 2}\n')
    # What the production monitor returns also holds staging's file as it read it: stale.
    produce(temp, "staging.jsonl", "")
    staging = tmp_path / "staging"
    produce(staging, "staging.jsonl", '{"s": 1}\n')
    env = {**history.env(staging), "ENVIRONMENT": "staging"}
    assert run_step(step("monitoring.yml", "history", "Commit"), env, staging).returncode == 0
    done = history.commit(temp)
    assert done.returncode == 0, done.stderr
    assert history.branch_file() == '{"run": 1}\n{"run": 2}\n'
    repo = history.server / "owner" / "semaine.git"
    assert git("show", "monitoring-history:history/staging.jsonl", cwd=repo) == '{"s": 1}\n'
