from pathlib import Path

import pytest

from semaine.exit_status import ExitStatus
from semaine.pipeline.gates import GateResult, Outcome, passed
from semaine.pipeline.stage import Stage, Step
from semaine.pipeline.stages import BUILD, MIGRATIONS
from semaine.pipeline.thresholds import FLOOR, Thresholds
from semaine.pipeline.verdict import (
    StageResult,
    StepRun,
    broken_stage,
    judge_stage,
    run_verdict,
    skipped_stage,
)


def no_reports(_reports: Path, _thresholds: Thresholds) -> tuple[GateResult, ...]:
    return ()


def one_pass(_reports: Path, _thresholds: Thresholds) -> tuple[GateResult, ...]:
    return (passed("report"),)


TOOL = Stage(
    "tool", "a tool", (Step("tool", ("tool",), allowed_exit_codes=frozenset({0, 1})),), one_pass
)


def test_an_allowed_exit_code_leaves_the_verdict_to_the_reports(tmp_path: Path) -> None:
    result = judge_stage(TOOL, [StepRun("tool", 1)], tmp_path, FLOOR, 1.0)
    assert result.outcome is Outcome.PASS
    assert [gate.gate for gate in result.gates] == ["report"]


@pytest.mark.parametrize("exit_code", [2, None])
def test_a_crash_fails_with_the_output_tail(tmp_path: Path, exit_code: int | None) -> None:
    run = StepRun("tool", exit_code, "line 1\nTraceback: boom")
    result = judge_stage(TOOL, [run], tmp_path, FLOOR, 1.0)
    assert result.outcome is Outcome.FAIL
    assert "boom" in result.gates[0].detail
    assert "boom" in result.output_tail


def test_steps_after_a_stopping_failure_are_inconclusive(tmp_path: Path) -> None:
    runs = [
        StepRun("upgrade head", 0),
        StepRun("schema check", 1),
        StepRun("downgrade base", 1, "x"),
    ]
    result = judge_stage(MIGRATIONS, runs, tmp_path, FLOOR, 1.0)
    outcomes = {gate.gate: gate.outcome for gate in result.gates}
    assert outcomes["upgrade head"] is Outcome.PASS
    assert outcomes["schema matches declared"] is Outcome.FAIL
    assert outcomes["downgrade base"] is Outcome.FAIL
    assert outcomes["upgrade head again"] is Outcome.INCONCLUSIVE
    assert result.outcome is Outcome.FAIL


def test_a_stage_without_any_gate_is_inconclusive(tmp_path: Path) -> None:
    stage = Stage("empty", "nothing", (), no_reports)
    assert judge_stage(stage, [], tmp_path, FLOOR, 0.0).outcome is Outcome.INCONCLUSIVE


def result(outcome: Outcome) -> StageResult:
    return StageResult("s", outcome, 0.0)


@pytest.mark.parametrize(
    ("outcomes", "accepted", "status"),
    [
        ([Outcome.PASS, Outcome.SKIPPED], None, ExitStatus.DONE),
        ([Outcome.PASS, Outcome.FAIL, Outcome.INCONCLUSIVE], None, ExitStatus.FAILED),
        ([Outcome.PASS, Outcome.FAIL], "offline", ExitStatus.FAILED),
        ([Outcome.PASS, Outcome.INCONCLUSIVE], None, ExitStatus.INCONCLUSIVE),
        ([Outcome.PASS, Outcome.INCONCLUSIVE], "offline", ExitStatus.DONE),
        ([Outcome.SKIPPED], None, ExitStatus.INCONCLUSIVE),
    ],
)
@pytest.mark.parametrize("quick", [False, True])
def test_exit_status(
    outcomes: list[Outcome], accepted: str | None, status: ExitStatus, *, quick: bool
) -> None:
    # A quick run's statuses mean the same for what it ran; it says it is one.
    verdict = run_verdict([result(outcome) for outcome in outcomes], accepted, quick=quick)
    assert verdict.exit_status is status
    assert verdict.quick is quick


def test_accepted_inconclusive_records_the_reason() -> None:
    verdict = run_verdict([result(Outcome.INCONCLUSIVE)], "no internet on the runner")
    assert verdict.accepted_inconclusive == "no internet on the runner"
    assert verdict.outcome is Outcome.INCONCLUSIVE


def test_skipped_and_broken_stages() -> None:
    assert skipped_stage(BUILD, "no engine").outcome is Outcome.SKIPPED
    broken = broken_stage(BUILD, "PostgreSQL did not start", "log line", 2.0)
    assert broken.outcome is Outcome.FAIL
    assert broken.gates[0].detail == "PostgreSQL did not start"
