"""The system programs a stage needs, looked for on PATH before the stage runs."""

from __future__ import annotations

import shutil
from typing import TYPE_CHECKING

from semaine.executors.local.environment import command_environment
from semaine.pipeline.gates import Outcome, inconclusive
from semaine.pipeline.stage import programs
from semaine.pipeline.verdict import StageResult

if TYPE_CHECKING:
    from pathlib import Path

    from semaine.pipeline.stage import Program, Stage


def missing_programs(stage: Stage, path: str) -> tuple[Program, ...]:
    """Return the programs `stage` cannot run without that are not on `path`."""
    return tuple(
        program
        for program in programs(stage.needs)
        if program.required and shutil.which(program.name, path=path) is None
    )


def without_programs(stage: Stage, project_dir: Path) -> StageResult | None:
    """Return an inconclusive result naming what is missing, or None when the stage can run."""
    missing = missing_programs(stage, command_environment(project_dir)["PATH"])
    if not missing:
        return None
    names = ", ".join(program.name for program in missing)
    packages = " ".join(sorted({program.debian_package for program in missing}))
    reason = (
        f"{names} not on PATH: run scripts/setup, or apt-get install {packages}"
        " (the Dagger executor installs them itself)"
    )
    return StageResult(
        stage=stage.name,
        outcome=Outcome.INCONCLUSIVE,
        duration_s=0.0,
        gates=(inconclusive(f"{stage.name} programs", reason),),
        reason=reason,
    )
