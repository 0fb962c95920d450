"""Run a workflow step's script as GitHub's runner does: bash -eo pipefail, its env only."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import TYPE_CHECKING

from tests.workflows.workflow_files import step_script

if TYPE_CHECKING:
    from collections.abc import Mapping
    from pathlib import Path

STUB = """#!{python}
import json, os, sys
with open(os.environ["DAGGER_CALLS"], "a", encoding="utf-8") as calls:
    calls.write(json.dumps(sys.argv[1:]) + "\\n")
"""
"""A `dagger` that records its arguments: what the script would run, nothing more."""


def run_step(
    script: str, env: Mapping[str, str], cwd: Path, *, path_first: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """Run `script` with `env` on top of a minimal environment (PATH, HOME)."""
    file = cwd / "step.sh"
    file.write_text(script, encoding="utf-8")
    search = os.environ["PATH"] if path_first is None else f"{path_first}:{os.environ['PATH']}"
    environment = {"PATH": search, "HOME": str(cwd), **env}
    return subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(file)],
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )


def stub_dagger(folder: Path) -> Path:
    """Write the recording `dagger` into `folder/bin`; return that folder for PATH."""
    bin_folder = folder / "bin"
    bin_folder.mkdir()
    stub = bin_folder / "dagger"
    stub.write_text(STUB.format(python=sys.executable), encoding="utf-8")
    stub.chmod(0o755)
    return bin_folder


def recorded_calls(path: Path) -> list[list[str]]:
    """Return the argument lists the stub recorded, in order."""
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def dagger_calls(
    tmp_path: Path, where: tuple[str, str, str], env: Mapping[str, str]
) -> list[list[str]]:
    """Run the step `where` (workflow, job, name start) with the recording `dagger`: its calls."""
    calls = tmp_path / "calls.jsonl"
    done = run_step(
        step_script(*where),
        {"DAGGER_CALLS": str(calls), **env},
        tmp_path,
        path_first=stub_dagger(tmp_path),
    )
    assert done.returncode == 0, done.stderr
    return recorded_calls(calls)
