"""The timing stages prepare beside the others, then measure alone, in both executors."""

from __future__ import annotations

import contextlib
import io
import itertools
import sys
from typing import TYPE_CHECKING

import anyio
import anyio.lowlevel

from semaine.executors.local.executor import ExecutorSettings, LocalExecutor
from semaine.executors.scheduling import Timeline, Turns, run_in_turns
from semaine.pipeline.gates import Outcome, passed
from semaine.pipeline.report import summary_document, summary_markdown
from semaine.pipeline.stage import Stage, Step
from semaine.pipeline.stages import STAGES
from semaine.pipeline.thresholds import FLOOR
from semaine.pipeline.verdict import StageResult, run_verdict

if TYPE_CHECKING:
    from pathlib import Path


def _stage(name: str, *, timed: bool = False, cpu_heavy: bool = False) -> Stage:
    prepare = Step(name="prepare", argv=("python", "-c", "pass"))
    measure = Step(name="measure", argv=("python", "-c", "pass"), measures=True)
    return Stage(
        name=name,
        description=name,
        steps=(prepare, measure) if timed else (prepare,),
        evaluate=lambda _reports, _thresholds: (passed(f"{name} ran"),),
        cpu_heavy=cpu_heavy,
    )


def test_the_timing_stages_are_those_with_a_step_that_measures() -> None:
    assert {stage.name for stage in STAGES if stage.timed} == {"migrations", "load", "e2e"}
    measuring = {
        stage.name: [step.name for step in stage.steps if step.measures] for stage in STAGES
    }
    assert measuring["migrations"] == ["rehearse"]
    assert measuring["load"] == ["locust"]
    assert measuring["e2e"] == ["page timing", "lighthouse"]
    # What measures comes after what prepares: nothing unmeasured runs once it is alone.
    for stage in STAGES:
        flags = [step.measures for step in stage.steps]
        assert flags == sorted(flags), stage.name


async def _schedule(stages: list[Stage], events: list[tuple[str, str]]) -> Timeline:
    timeline = Timeline()
    turns = Turns(stages, timeline)

    async def run(stage: Stage) -> None:
        with timeline.running(stage.name):
            events.append(("prepare", stage.name))
            for _ in range(3):  # yield to every other task that could run now
                await anyio.lowlevel.checkpoint()
            if stage.timed:
                async with turns.turn(stage.name):
                    events.append(("measure", stage.name))
                    for _ in range(3):
                        await anyio.lowlevel.checkpoint()
                    events.append(("measured", stage.name))
        events.append(("end", stage.name))

    await run_in_turns(stages, turns, run)
    return timeline


def test_timing_stages_prepare_beside_the_others_and_measure_alone_one_by_one() -> None:
    stages = [
        _stage("slow", timed=True),
        _stage("a"),
        _stage("b", cpu_heavy=True),
        _stage("fast", timed=True),
    ]
    events: list[tuple[str, str]] = []
    timeline = anyio.run(_schedule, stages, events)
    assert events[:2] == [("prepare", "a"), ("prepare", "b")], "untimed stages start first"
    assert {name for kind, name in events[:4]} == {"a", "b", "slow", "fast"}, "all prepare at once"
    first_measure = events.index(("measure", "slow"))
    assert {("end", "a"), ("end", "b")} <= set(events[:first_measure])
    measures = [event for event in events[first_measure:] if event[0] != "end"]
    assert measures == [
        ("measure", "slow"),
        ("measured", "slow"),
        ("measure", "fast"),
        ("measured", "fast"),
    ], "one at a time, in the order declared"
    assert timeline.overlapping("slow") == ()
    assert timeline.overlapping("fast") == ()
    # The untimed stages overlapped the timed ones' preparation, and that is said.
    assert "slow" in timeline.overlapping("a")


def test_a_timing_stage_that_stops_before_measuring_lets_the_next_one_measure() -> None:
    stages = [_stage("broken", timed=True), _stage("next", timed=True)]
    timeline = Timeline()
    turns = Turns(stages, timeline)
    measured: list[str] = []

    async def run(stage: Stage) -> None:
        if stage.name == "broken":
            return  # its seed failed: it never asks for its turn
        async with turns.turn(stage.name):
            measured.append(stage.name)

    anyio.run(run_in_turns, stages, turns, run)
    assert measured == ["next"]


def test_a_stage_waiting_for_its_turn_gives_back_its_slot_to_the_others() -> None:
    stages = [_stage("timed", timed=True), _stage("other")]
    turns = Turns(stages, Timeline())
    slot = anyio.CapacityLimiter(1)
    done: list[str] = []

    async def run(stage: Stage) -> None:
        if not stage.timed:
            for _ in range(3):  # the timed stage takes the slot first
                await anyio.lowlevel.checkpoint()
        async with contextlib.AsyncExitStack() as holding:
            await holding.enter_async_context(slot)
            if stage.timed:
                # Without giving the slot back, "other" would wait for it forever.
                async with turns.turn(stage.name, holding=holding):
                    assert slot.borrowed_tokens == 0
            done.append(stage.name)

    anyio.run(run_in_turns, stages, turns, run)
    assert done == ["other", "timed"]


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


def test_a_stage_waiting_for_its_turn_is_not_busy_and_its_measure_is_what_counts() -> None:
    ticks = itertools.count()
    timeline = Timeline(clock=lambda: next(ticks))
    with timeline.running("timed"):
        with timeline.idle("timed"), timeline.running("other"):
            pass  # "other" runs while "timed" waits
        with timeline.measuring("timed"):
            pass
    assert timeline.overlapping("timed") == ()
    assert timeline.overlapping("other") == ()
    assert len(timeline.spans["timed"]) == 2


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


def test_the_local_executor_measures_the_timing_stages_alone(tmp_path: Path) -> None:
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
    # Each timing stage measured alone; the others ran beside their preparation only.
    assert by_name["timed-1"].overlapped == ()
    assert by_name["timed-2"].overlapped == ()
    assert {"a", "b", "c"} & set(by_name["a"].overlapped + by_name["b"].overlapped)
