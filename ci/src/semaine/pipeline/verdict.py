"""From step runs and reports to stage results, and from stage results to an exit status."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from semaine.exit_status import ExitStatus
from semaine.pipeline.gates import GateResult, Outcome, failed, inconclusive, passed, worst
from semaine.pipeline.parsers import ReportError

if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path

    from semaine.pipeline.stage import Stage
    from semaine.pipeline.thresholds import Thresholds

TAIL_LINES = 40


@dataclass(frozen=True)
class StepRun:
    """How one step of a stage ended."""

    step: str
    exit_code: int | None
    """None when the command could not be started at all."""
    output_tail: str = ""


@dataclass(frozen=True)
class StageResult:
    """A stage's verdict: its gates, how long it took, and the end of its output."""

    stage: str
    outcome: Outcome
    duration_s: float
    gates: tuple[GateResult, ...] = ()
    output_tail: str = ""
    reason: str = ""
    """Why the stage was skipped or could not run (empty otherwise)."""
    overlapped: tuple[str, ...] = ()
    """The stages that ran while this one did (a timing stage runs alone: none)."""
    key_figures: dict[str, str] = field(default_factory=dict)
    cached_from: str = ""
    """Where a result judged from cached reports comes from (empty when it ran now)."""


def tail(text: str, lines: int = TAIL_LINES) -> str:
    """Return the last `lines` lines of `text`."""
    return "\n".join(text.rstrip().splitlines()[-lines:])


def judge_stage(
    stage: Stage,
    runs: Sequence[StepRun],
    reports: Path,
    thresholds: Thresholds,
    duration_s: float,
) -> StageResult:
    """Judge a stage from its step runs and its report folder (the same for every executor)."""
    gates = _step_gates(stage, runs) + _report_gates(stage, reports, thresholds)
    if not gates:
        gates = (inconclusive(stage.name, "no gate was evaluated"),)
    return StageResult(
        stage=stage.name,
        outcome=worst(gate.outcome for gate in gates),
        duration_s=duration_s,
        gates=gates,
        output_tail=_output_tail(stage, runs),
        key_figures={gate.gate: gate.measurement for gate in gates if gate.measured is not None},
    )


def _output_tail(stage: Stage, runs: Sequence[StepRun]) -> str:
    steps = {step.name: step for step in stage.steps}
    shown = (
        run.output_tail
        for run in runs
        if run.output_tail
        and (run.step not in steps or steps[run.step].shows_output(run.exit_code))
    )
    return tail("\n".join(shown))


def _step_gates(stage: Stage, runs: Sequence[StepRun]) -> tuple[GateResult, ...]:
    by_name = {run.step: run for run in runs}
    gates: list[GateResult] = []
    stopped_by = ""
    for step in stage.steps:
        run = by_name.get(step.name)
        if run is None:
            reason = f"not run: {stopped_by or 'an earlier step'} failed"
            if step.gate:
                gates.append(inconclusive(step.gate, reason))
            continue
        gate = step.gate or step.name
        if run.exit_code is None:
            gates.append(failed(gate, f"{step.name} could not start: {tail(run.output_tail, 3)}"))
        elif not step.accepts(run.exit_code):
            gates.append(
                failed(gate, f"{step.name} exited {run.exit_code}: {tail(run.output_tail, 3)}")
            )
        elif step.gate:
            gates.append(passed(step.gate, f"{step.name} exited {run.exit_code}"))
        if (run.exit_code is None or not step.accepts(run.exit_code)) and step.stop_on_failure:
            stopped_by = step.name
    return tuple(gates)


def _report_gates(stage: Stage, reports: Path, thresholds: Thresholds) -> tuple[GateResult, ...]:
    try:
        return stage.evaluate(reports, thresholds)
    except ReportError as error:
        return (failed(f"{stage.name} reports", str(error)),)


def skipped_stage(stage: Stage, reason: str) -> StageResult:
    """Return the result of a stage this executor cannot run (e.g. `build` without an engine)."""
    return StageResult(stage=stage.name, outcome=Outcome.SKIPPED, duration_s=0.0, reason=reason)


def broken_stage(stage: Stage, reason: str, output_tail: str, duration_s: float) -> StageResult:
    """Return the result of a stage whose executor failed around it (a service did not start)."""
    return StageResult(
        stage=stage.name,
        outcome=Outcome.FAIL,
        duration_s=duration_s,
        gates=(failed(stage.name, reason),),
        output_tail=tail(output_tail),
        reason=reason,
    )


@dataclass(frozen=True)
class RunVerdict:
    """The verdict of a whole run and the exit status that carries it."""

    outcome: Outcome
    exit_status: ExitStatus
    accepted_inconclusive: str | None = None
    """The reason given for accepting inconclusive gates, when they were accepted."""
    quick: bool = False
    """A `--quick` run's (`semaine.pipeline.quick`): the affected tests only, never the
    pipeline's verdict, whatever its exit status."""


def run_verdict(
    results: Sequence[StageResult],
    accept_inconclusive: str | None = None,
    *,
    quick: bool = False,
) -> RunVerdict:
    """Combine stage results: any failure fails; inconclusive stays so unless accepted."""
    outcome = worst((result.outcome for result in results), default=Outcome.INCONCLUSIVE)
    if outcome is Outcome.SKIPPED:
        # Nothing ran: that proves nothing.
        outcome = Outcome.INCONCLUSIVE
    if outcome is Outcome.FAIL:
        return RunVerdict(outcome, ExitStatus.FAILED, quick=quick)
    if outcome is Outcome.INCONCLUSIVE:
        if accept_inconclusive:
            return RunVerdict(outcome, ExitStatus.DONE, accept_inconclusive, quick=quick)
        return RunVerdict(outcome, ExitStatus.INCONCLUSIVE, quick=quick)
    return RunVerdict(outcome, ExitStatus.DONE, quick=quick)
