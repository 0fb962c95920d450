"""A bare git repository standing in for GitHub's, and the history branch's scripts run on it.

monitoring.yml's read step and history.yml's commit step, as each job of a run would
run them, each on a runner of its own (a fresh RUNNER_TEMP).
"""

from __future__ import annotations

import subprocess
from typing import TYPE_CHECKING

from tests.workflows.step_runner import run_step
from tests.workflows.workflow_files import load, step_script

if TYPE_CHECKING:
    from pathlib import Path

READ = step_script("monitoring.yml", "monitor", "Read the history")
COMMIT = step_script("history.yml", "commit", "Commit")
PRODUCTION = "history/production.jsonl"


def git(*args: str, cwd: Path) -> str:
    """Run git in `cwd`; return its output."""
    done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True)
    return done.stdout


class History:
    """A bare repository standing in for GitHub's, and the runner's folders around it."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.server = root / "server"
        (self.server / "owner").mkdir(parents=True)
        git("init", "-q", "--bare", "semaine.git", cwd=self.server / "owner")
        self.repo = self.server / "owner" / "semaine.git"
        self.jobs = 0

    def env(self, runner_temp: Path, **extra: str) -> dict[str, str]:
        """Return what the runner and the workflow set for a step, the token included."""
        return {
            **load("history.yml").document["env"],  # HISTORY_BRANCH, the same in both files
            "GITHUB_SERVER_URL": f"file://{self.server}",
            "GITHUB_REPOSITORY": "owner/semaine",
            "GITHUB_WORKFLOW": "monitoring",
            "GITHUB_RUN_ID": str(self.jobs),
            "GITHUB_TOKEN": "ghs_secret_token",
            "RUNNER_TEMP": str(runner_temp),
            **extra,
        }

    def job_folder(self) -> Path:
        """Return a fresh RUNNER_TEMP: every job runs on a runner of its own."""
        self.jobs += 1
        folder = self.root / f"job{self.jobs}"
        folder.mkdir()
        return folder

    def read(self) -> Path:
        """Run monitoring.yml's read step; return the RUNNER_TEMP holding `history-branch/`."""
        temp = self.job_folder()
        done = run_step(READ, self.env(temp), temp)
        assert done.returncode == 0, done.stderr
        return temp

    def commit(
        self, files: str, artifact: dict[str, str], *, path_first: Path | None = None
    ) -> subprocess.CompletedProcess[str]:
        """Run history.yml's commit step on an artifact holding `artifact` {path: text}."""
        temp = self.job_folder()
        for path, text in artifact.items():
            (temp / "artifact" / path).parent.mkdir(parents=True, exist_ok=True)
            (temp / "artifact" / path).write_text(text, encoding="utf-8")
        return run_step(COMMIT, self.env(temp, FILES=files), temp, path_first=path_first)

    def monitor_run(self, lines: list[str]) -> subprocess.CompletedProcess[str]:
        """Read the branch, append `lines` to production's history as the monitor does, commit."""
        state = self.read() / "history-branch" / PRODUCTION
        before = state.read_text(encoding="utf-8") if state.exists() else ""
        return self.commit(PRODUCTION, {PRODUCTION: before + "".join(lines)})

    def show(self, path: str) -> str:
        """Return a file as the branch holds it."""
        return git("show", f"monitoring-history:{path}", cwd=self.repo)

    def listing(self, folder: str) -> list[str]:
        """Return the names the branch holds in `folder`."""
        return git("ls-tree", "--name-only", f"monitoring-history:{folder}", cwd=self.repo).split()

    def commits(self) -> int:
        """Return how many commits the branch has."""
        return int(git("rev-list", "--count", "monitoring-history", cwd=self.repo))
