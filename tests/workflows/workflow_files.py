"""The GitHub workflows as the tests read them: parsed YAML, jobs, steps, raw text."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

import yaml

from tests.paths import ROOT

if TYPE_CHECKING:
    from pathlib import Path

WORKFLOWS = ROOT / ".github" / "workflows"
NAMES = ("ci.yml", "deploy.yml", "history.yml", "migrate.yml", "monitoring.yml", "rollback.yml")
"""Every workflow the project keeps (a test checks this list against the folder)."""
REUSABLE = ("history.yml",)
"""Workflows only other workflows call (`on: workflow_call`): no checkout, no dagger."""
ENTRY_POINTS = tuple(name for name in NAMES if name not in REUSABLE)
"""The workflows GitHub starts: each checks out the code and runs `dagger call`."""
SELF_REPOSITORY = "$/.github/workflows/"
"""How a job calls a workflow of this repository, at the commit that runs (`uses: $/...`)."""


@dataclass(frozen=True)
class Workflow:
    """One workflow file: its name, its text and its parsed document."""

    name: str
    text: str
    document: dict[Any, Any]

    @property
    def triggers(self) -> dict[str, Any]:
        """Return the `on:` mapping (YAML 1.1 reads the bare key `on` as True)."""
        found = self.document.get("on", self.document.get(True))
        assert isinstance(found, dict), f"{self.name}: `on` is not a mapping"
        return found

    @property
    def jobs(self) -> dict[str, dict[str, Any]]:
        """Return the jobs by id."""
        return dict(self.document["jobs"])

    def called(self, job: str) -> str | None:
        """Return the name of the workflow of this repository the job calls, if it calls one."""
        uses = str(self.jobs[job].get("uses", ""))
        return uses.removeprefix(SELF_REPOSITORY) if uses.startswith(SELF_REPOSITORY) else None

    def steps(self, job: str | None = None) -> list[dict[str, Any]]:
        """Return the steps of one job, or of every job in order."""
        chosen = [self.jobs[job]] if job else list(self.jobs.values())
        return [step for each in chosen for step in each.get("steps", [])]


@cache
def load(name: str) -> Workflow:
    """Read and parse `.github/workflows/<name>`."""
    path: Path = WORKFLOWS / name
    text = path.read_text(encoding="utf-8")
    return Workflow(name, text, yaml.safe_load(text))


def every_workflow() -> list[Workflow]:
    """Return every workflow of NAMES."""
    return [load(name) for name in NAMES]


def step_script(workflow: str, job: str, name_starts: str) -> str:
    """Return the script of the step of `job` whose name starts with `name_starts`."""
    (found,) = [s for s in load(workflow).steps(job) if s.get("name", "").startswith(name_starts)]
    return str(found["run"])
