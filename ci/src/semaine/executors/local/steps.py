"""Running one stage's steps as subprocesses, keeping the reports they print."""

from __future__ import annotations

import math
import shutil
import subprocess
import time
from contextlib import AbstractAsyncContextManager, AsyncExitStack, nullcontext
from typing import TYPE_CHECKING

import anyio

from semaine.executors.local.environment import command_environment
from semaine.pipeline.verdict import StepRun, tail

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping
    from pathlib import Path

    from semaine.pipeline.stage import Placeholder, Stage, Step

STEP_TIMEOUT_S = 900.0
OUTPUT_LOG = "output.log"
"""Every step's full output, in the stage's report folder."""


async def run_steps(
    stage: Stage,
    values: Mapping[Placeholder, str],
    project_dir: Path,
    report: Path,
    *,
    turn: Callable[[], AbstractAsyncContextManager[None]] = nullcontext,
) -> list[StepRun]:
    """Run the stage's steps in order; stop early only after a failed `stop_on_failure` step.

    The first step that `measures`, and every step after it, run inside `turn()`: when the
    stage has the machine to itself (semaine.executors.scheduling.Turns).
    """
    runs: list[StepRun] = []
    async with AsyncExitStack() as alone:
        for index, template in enumerate(stage.steps):
            if index == stage.measuring_from:
                await alone.enter_async_context(turn())
            step = template.rendered(values)
            run = await run_step(step, project_dir, report, timeout_s=STEP_TIMEOUT_S)
            runs.append(run)
            if step.stop_on_failure and (run.exit_code is None or not step.accepts(run.exit_code)):
                break
    return runs


async def run_step(step: Step, project_dir: Path, report: Path, *, timeout_s: float) -> StepRun:
    """Run one rendered step and return how it ended, with the tail of its output."""
    environment = command_environment(project_dir, dict(step.env))
    executable = shutil.which(step.argv[0], path=environment["PATH"])
    if executable is None:
        return StepRun(step.name, None, f"{step.argv[0]}: command not found on PATH")
    started = time.monotonic()
    try:
        with anyio.move_on_after(timeout_s if math.isfinite(timeout_s) else None) as scope:
            completed = await anyio.run_process(
                [executable, *step.argv[1:]],
                cwd=project_dir,
                env=environment,
                check=False,
                stdin=subprocess.DEVNULL,
            )
    except OSError as error:
        return StepRun(step.name, None, f"{step.argv[0]} could not start: {error}")
    if scope.cancelled_caught:
        return StepRun(step.name, None, f"{step.name} timed out after {timeout_s:.0f} s")
    stdout = completed.stdout.decode("utf-8", errors="replace")
    stderr = completed.stderr.decode("utf-8", errors="replace")
    _save(report, step.stdout_to, stdout)
    _save(report, step.stderr_to, stderr)
    output = f"{stdout}\n{stderr}".strip()
    with (report / OUTPUT_LOG).open("a", encoding="utf-8") as log:
        seconds = time.monotonic() - started
        ended = f"[exit {completed.returncode} after {seconds:.1f} s]"
        log.write(f"$ {' '.join(step.argv)}\n{output}\n{ended}\n\n")
    return StepRun(step.name, completed.returncode, tail(output))


def _save(report: Path, name: str | None, text: str) -> None:
    if name is not None:
        path = report / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
