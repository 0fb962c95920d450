"""The environment the local executor gives its commands: the project's tools first."""

from __future__ import annotations

import os
import sys
from pathlib import Path

# Variables that would make a child process inspect another project or colour its output,
# or recompile every module it imports: without bytecode caches, each of the test stage's
# pytest processes rewrote the asserts of every pytest plugin's package (hypothesis,
# locust...) again, ~0.5 CPU-s a process and ~30 CPU-s a test stage (docs/pipeline.md).
_DROPPED = ("VIRTUAL_ENV", "PYTHONHOME", "FORCE_COLOR", "CLICOLOR_FORCE", "PYTHONDONTWRITEBYTECODE")


def tools_directory(project_dir: Path) -> Path:
    """Return the directory of the Python tools: the project's .venv, else the running one's."""
    project_venv = project_dir / ".venv" / "bin"
    if (project_venv / "python").exists():
        return project_venv
    return Path(sys.executable).parent


def command_environment(project_dir: Path, extra: dict[str, str] | None = None) -> dict[str, str]:
    """Return the environment of a step: tools on PATH first, the project importable first."""
    environment = {key: value for key, value in os.environ.items() if key not in _DROPPED}
    tools = tools_directory(project_dir)
    environment["PATH"] = os.pathsep.join([str(tools), environment.get("PATH", os.defpath)])
    environment["VIRTUAL_ENV"] = str(tools.parent)
    # Put the project's own packages ahead of an editable install of another checkout.
    environment["PYTHONPATH"] = os.pathsep.join(
        filter(None, [str(project_dir), environment.get("PYTHONPATH", "")]),
    )
    environment["NO_COLOR"] = "1"
    environment["PYTHONUNBUFFERED"] = "1"
    environment.update(extra or {})
    return environment
