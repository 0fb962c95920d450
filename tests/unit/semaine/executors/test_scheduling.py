"""The timing stages run alone, after every other stage, in both executors."""

from __future__ import annotations

import io
import itertools
import sys
from typing import TYPE_CHECKING

import anyio
import anyio.lowlevel

from semaine.executors.local.executor import ExecutorSettings, LocalExecutor
from semaine.executors.scheduling import Timeline, phases, run_in_phases
from semaine.pipeline.gates import Outcome, passed
from semaine.pipeline.report import summary_document, summary_markdown
from semaine.pipeline.stage import Stage, Step
from semaine.pipeline.stages import STAGES
from semaine.pipeline.thresholds import FLOOR
from semaine.pipeline.verdict import StageResult, run_verdict

if TYPE_CHECKING:
    from pathlib import Path


def _stage(name: str, *, timed: bool = False, cpu_heavy: bool = False) -> Stage:
    return Stage(
        name=name,
        description=name,
        steps=(Step(name="run", argv=("python", "-c", "pass")),),
        evaluate=lambda _reports, _thresholds: (passed(f"{name} ran"),),
        timed=timed,
        cpu_heavy=cpu_heavy,
    )


def test_the_timing_stages_are_declared_and_come_last_one_by_one() -> None:
    assert {stage.name for stage in STAGES if stage.timed} == {"migrations", "load", "e2e"}
    first, *alone = phases(STAGES)
    assert [stage.name for stage in first] == ["lint", "typecheck", "security", "test", "build"]
    assert [[stage.name for stage in phase] for phase in alone] == [
        ["migrations"],
        ["load"],
        ["e2e"],
    ]
    assert phases([]) == ()


def test_a_timing_stage_starts_after_every_other_ended_and_nothing_runs_beside_it() -> None:
    stages = [
        _stage("slow", timed=True),
        _stage("a"),
        _stage("b", cpu_heavy=True),
        _stage("fast", timed=True),
    ]
    events: list[tuple[str, str]] = []

    async def run(stage: Stage) -> None:
        events.append(("start", stage.name))
        for _ in range(3):  # yield to every other task that could run now
            await anyio.lowlevel.checkpoint()
        events.append(("end", stage.name))

    anyio.run(run_in_phases, stages, run)
    assert events[:2] == [("start", "a"), ("start", "b")], "untimed stages run at once"
    assert {name for _, name in events[:4]} == {"a", "b"}
    assert events[4:] == [("start", "slow"), ("end", "slow"), ("start", "fast"), ("end", "fast")]


def test_the_timeline_names_the_stages_that_overlapped() -> None:
    ticks = itertools.count()
    timeline = Timeline(clock=lambda: next(ticks))
    with timeline.running("a"), timeline.running("b"):
        pass
    with timeline.running("alone"):
        pass
    assert timeline.overlapping("a") == ("b",)
    assert timeline.overlapping("b") == ("a",)
    assert timeline.overlapping("alone") == ()
    assert timeline.overlapping("never ran") == ()


def test_the_summary_says_which_stages_overlapped() -> None:
    results = [
        StageResult("lint", Outcome.PASS, 1.0, overlapped=("test",)),
        StageResult("test", Outcome.PASS, 2.0, overlapped=("lint",)),
        StageResult("load", Outcome.PASS, 3.0),
    ]
    document = summary_document(results, run_verdict(results), executor="local")
    assert [stage["overlapped_with"] for stage in document["stages"]] == [["test"], ["lint"], []]
    markdown = summary_markdown(results, run_verdict(results))
    assert "- lint: with test" in markdown
    assert "- load:" not in markdown


def test_the_local_executor_runs_timing_stages_alone_and_last(tmp_path: Path) -> None:
    stages = [
        _stage("timed-1", timed=True),
        _stage("a"),
        _stage("b", cpu_heavy=True),
        _stage("c"),
        _stage("timed-2", timed=True, cpu_heavy=True),
    ]
    (tmp_path / ".venv" / "bin").mkdir(parents=True)
    (tmp_path / ".venv" / "bin" / "python").symlink_to(sys.executable)
    settings = ExecutorSettings(
        project_dir=tmp_path,
        report_dir=tmp_path / "reports",
        thresholds=FLOOR,
        max_parallel=4,
        max_cpu_heavy=2,
    )
    results = anyio.run(LocalExecutor(settings, stream=io.StringIO()).run, stages)
    by_name = {result.stage: result for result in results}
    assert {result.outcome for result in results} == {Outcome.PASS}
    assert by_name["timed-1"].overlapped == ()
    assert by_name["timed-2"].overlapped == ()
    for name in ("a", "b", "c"):
        assert not {"timed-1", "timed-2"} & set(by_name[name].overlapped), name
