"""Each core stage as a Dagger chain, and the Dagger executor judging it with core."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import anyio
import dagger
import pytest
from dagger import dag

from semaine.executors.dagger import chains as executor
from semaine.executors.dagger import containers
from semaine.executors.dagger.services import APP_URL, POSTGRES_URL
from semaine.main import Semaine
from semaine.pipeline.gates import Outcome
from semaine.pipeline.stage import Need, programs
from semaine.pipeline.stages import (
    BUILD,
    LOAD,
    MIGRATIONS,
    STAGES,
    EmptySelectionError,
    UnknownStageError,
)
from tests.paths import ROOT

if TYPE_CHECKING:
    from collections.abc import Callable
    from contextlib import AbstractContextManager

    from semaine.pipeline.stage import Stage
    from tests.dagger.conftest import Call, FakeEngine

RUN_STAGES = [stage for stage in STAGES if stage is not BUILD]


def export_for_real(args: dict) -> str:
    """Answer File.export / Directory.export the way the module runtime would see it."""
    target = Path(args["path"])
    if target.name == "pyproject.toml":
        shutil.copy(ROOT / "pyproject.toml", target)
    else:
        target.mkdir(parents=True, exist_ok=True)
    return args["path"]


def source_on(engine: FakeEngine) -> dagger.Directory:
    """Return the repository's directory, its exports answered as the module runtime sees them."""
    engine.answer("File.export", export_for_real)
    engine.answer("Directory.export", export_for_real)
    return dag.host().directory("/repo")


@pytest.fixture
def source(engine: FakeEngine) -> dagger.Directory:
    return source_on(engine)


@pytest.fixture(scope="module")
def pipeline_run(
    fake_engines: Callable[[], AbstractContextManager[FakeEngine]],
) -> tuple[FakeEngine, dagger.Directory]:
    """Run the whole pipeline once on a fake engine: its tests only read what it recorded."""
    with fake_engines() as engine:
        directory = anyio.run(Semaine().pipeline, source_on(engine))
        anyio.run(directory.id)
    return engine, directory


RUN = "run-1"


def stage_chain(stage: Stage, source: dagger.Directory, run_id: str = RUN) -> dagger.Container:
    services = executor.stage_services(stage, source, run_id)
    container = executor.stage_container(stage, source, services, run_id)
    for step in stage.steps:
        container = container.with_(
            executor.with_step(stage, step.rendered(executor.placeholders(stage)))
        )
    return container


@pytest.mark.parametrize("stage", RUN_STAGES, ids=lambda stage: stage.name)
def test_stage_chain_is_valid_and_runs_core_argv(
    engine: FakeEngine, source: dagger.Directory, stage: Stage
) -> None:
    container = stage_chain(stage, source)
    anyio.run(container.id)
    execs = [
        args
        for args in engine.calls(container, "withExec")
        if args["args"][:4] == list(executor.RUNNER)
    ]
    assert len(execs) == len(stage.steps)
    for args, step in zip(execs, stage.steps, strict=True):
        rendered = step.rendered(executor.placeholders(stage))
        assert args["args"] == [*executor.RUNNER, *rendered.argv]
        assert args["expect"] == "ANY"
        assert "{" not in " ".join(args["args"]), "a placeholder was left unreplaced"
        folder = executor.report_dir(stage)
        assert args.get("redirectStdout", "") == (
            f"{folder}/{step.stdout_to}" if step.stdout_to else ""
        )
        assert args.get("redirectStderr", "") == (
            f"{folder}/{step.stderr_to}" if step.stderr_to else ""
        )


@pytest.mark.parametrize("stage", RUN_STAGES, ids=lambda stage: stage.name)
def test_stage_services_match_its_needs(
    engine: FakeEngine, source: dagger.Directory, stage: Stage
) -> None:
    container = stage_chain(stage, source)
    anyio.run(container.id)
    aliases = {args["alias"] for args in engine.calls(container, "withServiceBinding")}
    expected = {"db"} if Need.POSTGRES in stage.needs else set()
    expected |= {"app"} if Need.APP in stage.needs else set()
    assert aliases == expected
    env = {args["name"]: args["value"] for args in engine.calls(container, "withEnvVariable")}
    if Need.POSTGRES in stage.needs:
        assert env["SEMAINE_TEST_POSTGRES_URL"] == POSTGRES_URL
    if Need.APP in stage.needs:
        assert env["APP_URL"] == APP_URL
    assert not engine.calls(container, "withSecretVariable")


def apt_layers(engine: FakeEngine, container: dagger.Container) -> list[list[str]]:
    """Return the argv of every `apt-get install` layer of a chain."""
    return [
        args["args"]
        for args in engine.calls(container, "withExec")
        if args["args"][:2] == ["sh", "-c"] and "apt-get install" in args["args"][2]
    ]


@pytest.mark.parametrize("stage", RUN_STAGES, ids=lambda stage: stage.name)
def test_the_programs_a_stage_needs_are_installed_in_one_layer(
    engine: FakeEngine, source: dagger.Directory, stage: Stage
) -> None:
    container = stage_chain(stage, source)
    anyio.run(container.id)
    layers = apt_layers(engine, container)
    wanted = sorted({program.debian_package for program in programs(stage.needs)})
    if not wanted:
        assert layers == []
        return
    (layer,) = layers
    assert "DEBIAN_FRONTEND=noninteractive apt-get install" in layer[2]
    assert layer[4:] == wanted
    assert stage.name != "test" or {"chromium", "postgresql-client"} <= set(layer[4:])


@pytest.mark.parametrize("stage", RUN_STAGES, ids=lambda stage: stage.name)
def test_a_stage_that_needs_node_gets_the_pinned_lighthouse_before_its_commands(
    engine: FakeEngine, source: dagger.Directory, stage: Stage
) -> None:
    container = stage_chain(stage, source)
    anyio.run(container.id)
    chain = engine.chain(container)
    copies = [
        index
        for index, call in enumerate(chain)
        if call.field == "withDirectory" and call.args["path"] == "/src/node_modules"
    ]
    if Need.NODE not in stage.needs:
        assert copies == []
        return
    (copy,) = copies
    first_step = next(
        index
        for index, call in enumerate(chain)
        if call.field == "withExec" and call.args["args"][:4] == list(executor.RUNNER)
    )
    assert copy < first_step
    npm = engine.chain(chain[copy].args["source"])
    assert any(call.field == "withExec" and call.args["args"][:2] == ["npm", "ci"] for call in npm)


def _layers(engine: FakeEngine, chain: list[Call]) -> dict[str, int]:
    """Return where each layer of a Python container starts in its chain."""
    positions: dict[str, int] = {}
    for index, call in enumerate(chain):
        if call.field == "withExec" and "apt-get install" in " ".join(call.args["args"]):
            positions["apt"] = index
        elif call.field == "withFile" and call.args["path"] == "/usr/local/bin/uv":
            positions["uv"] = index
        elif call.field == "withExec" and "--no-install-workspace" in call.args["args"]:
            positions["dependencies"] = index
        elif call.field == "withDirectory":
            source = engine.chain(call.args["source"])
            if source[0].field == "host":
                positions.setdefault("source", index)
    return positions


@pytest.mark.parametrize("stage", RUN_STAGES, ids=lambda stage: stage.name)
def test_the_source_comes_after_the_system_and_dependency_layers(
    engine: FakeEngine, source: dagger.Directory, stage: Stage
) -> None:
    services = executor.stage_services(stage, source, RUN)
    container = executor.stage_container(stage, source, services, RUN)
    anyio.run(container.id)
    chains = [engine.chain(container)]
    if "app" in services:
        chains.append(engine.chain(services["app"]))
    for chain in chains:
        layers = _layers(engine, chain)
        order = ["apt", "uv", "dependencies", "source"]
        if "apt" not in layers:
            order.remove("apt")
        assert sorted(layers, key=layers.__getitem__) == order, layers


def _shape(chain: list[Call]) -> list[tuple[str, object]]:
    """Return each call's field and command (object arguments differ once rendered)."""
    return [(call.field, call.args.get("args")) for call in chain]


def _marks(chain: list[Call]) -> list[tuple[int, str]]:
    return [
        (index, call.args["value"])
        for index, call in enumerate(chain)
        if call.field == "withEnvVariable" and call.args["name"] == containers.RUN_VARIABLE
    ]


@pytest.mark.parametrize("stage", RUN_STAGES, ids=lambda stage: stage.name)
def test_a_stage_that_must_run_every_time_is_marked_with_the_run_before_its_commands(
    engine: FakeEngine, source: dagger.Directory, stage: Stage
) -> None:
    services = executor.stage_services(stage, source, RUN)
    container = executor.stage_container(stage, source, services, RUN)
    anyio.run(container.id)
    chain = engine.chain(container)
    layers = engine.chain(executor.stage_toolchain(stage, source))
    assert _shape(chain[: len(layers)]) == _shape(layers)
    service_chains = [engine.chain(service) for service in services.values()]
    if stage.cacheable:
        assert _marks(chain) == []
        assert all(_marks(service) == [] for service in service_chains)
        return
    # Right after the shared layers (they stay cached), before any command of the stage.
    assert _marks(chain) == [(len(layers), RUN)]
    assert any(call.field == "withExec" for call in chain[len(layers) :])
    assert all(_marks(service) != [] for service in service_chains)
    again = stage_chain(stage, source, run_id="run-2")
    assert [value for _, value in _marks(engine.chain(again))] == ["run-2"]


@pytest.mark.parametrize("stage", RUN_STAGES, ids=lambda stage: stage.name)
@pytest.mark.usefixtures("engine")
def test_run_stage_is_judged_by_core_from_exported_reports(
    source: dagger.Directory, stage: Stage
) -> None:
    thresholds = anyio.run(executor.thresholds_of, source)
    run = anyio.run(executor.run_stage, stage, source, thresholds, RUN)
    assert run.result.stage == stage.name
    assert run.result.gates
    # The fake engine produced no report files: core must never call that a pass.
    assert run.result.outcome is not Outcome.PASS


def test_a_failing_stop_step_stops_the_stage(engine: FakeEngine, source: dagger.Directory) -> None:
    engine.answer("Container.exitCode", 2)
    thresholds = anyio.run(executor.thresholds_of, source)
    run = anyio.run(executor.run_stage, MIGRATIONS, source, thresholds, RUN)
    gates = {gate.gate: gate for gate in run.result.gates}
    assert gates["upgrade head"].outcome is Outcome.FAIL
    assert gates["downgrade base"].outcome is Outcome.INCONCLUSIVE
    exit_code_queries = [chain for chain in engine.chains if chain[-1].field == "exitCode"]
    assert len(exit_code_queries) == 1


def test_an_engine_error_becomes_a_failed_stage_by_name(
    engine: FakeEngine, source: dagger.Directory
) -> None:
    def broken(_args: dict) -> int:
        message = "engine went away"
        raise RuntimeError(message)

    engine.answer("Container.exitCode", broken)
    thresholds = anyio.run(executor.thresholds_of, source)
    run = anyio.run(executor.run_stage, MIGRATIONS, source, thresholds, RUN)
    assert run.result.outcome is Outcome.FAIL
    assert "migrations" in run.result.reason
    assert "engine went away" in run.result.output_tail


@pytest.mark.usefixtures("engine")
def test_build_stage_passes_when_the_image_builds(source: dagger.Directory) -> None:
    thresholds = anyio.run(executor.thresholds_of, source)
    run = anyio.run(executor.run_stage, BUILD, source, thresholds, RUN)
    assert run.result.outcome is Outcome.PASS
    assert [gate.gate for gate in run.result.gates] == ["image builds"]


@pytest.mark.usefixtures("engine")
def test_check_raises_unless_the_stage_passed(source: dagger.Directory) -> None:
    with pytest.raises(executor.StageError, match="lint"):
        anyio.run(executor.check_stage, "lint", source)


def summary_of(engine: FakeEngine, directory: dagger.Directory) -> dict:
    files = {args["path"]: args["contents"] for args in engine.calls(directory, "withNewFile")}
    return json.loads(files["summary.json"])


def test_pipeline_runs_every_stage_and_returns_the_reports(
    pipeline_run: tuple[FakeEngine, dagger.Directory],
) -> None:
    engine, directory = pipeline_run
    summary = summary_of(engine, directory)
    assert [stage["name"] for stage in summary["stages"]] == [stage.name for stage in STAGES]
    assert summary["executor"] == "dagger"
    assert summary["exit_status"] != 0
    subfolders = {args["path"] for args in engine.calls(directory, "withDirectory")}
    assert subfolders == {stage.name for stage in STAGES}
    assert "summary.md" in {args["path"] for args in engine.calls(directory, "withNewFile")}


def test_pipeline_measures_the_timing_stages_alone_and_says_what_overlapped(
    pipeline_run: tuple[FakeEngine, dagger.Directory],
) -> None:
    engine, directory = pipeline_run
    overlaps = {
        stage["name"]: stage["overlapped_with"] for stage in summary_of(engine, directory)["stages"]
    }
    timed = {stage.name for stage in STAGES if stage.timed}
    assert timed == {"migrations", "load", "e2e"}
    for name in timed:
        assert overlaps[name] == [], name  # while it measured
    assert overlaps["lint"], "the other stages still run at once"


def test_every_stage_is_one_check_that_fails_unless_all_pass(
    engine: FakeEngine, source: dagger.Directory
) -> None:
    with pytest.raises(executor.StageError, match="pipeline verdict"):
        anyio.run(Semaine().every_stage, source)
    stopped = [chain for chain in engine.chains if chain[-1].field == "stop"]
    assert stopped, "the stages ran, with their services"


def test_pipeline_survives_a_broken_stage(engine: FakeEngine, source: dagger.Directory) -> None:
    calls = iter(range(1000))

    def flaky(_args: dict) -> int:
        if next(calls) == 0:
            message = "first stage lost its engine"
            raise RuntimeError(message)
        return 0

    engine.answer("Container.exitCode", flaky)
    directory = anyio.run(Semaine().pipeline, source)
    summary = summary_of(engine, directory)
    broken = [stage for stage in summary["stages"] if "first stage lost" in stage["output_tail"]]
    assert len(broken) == 1
    assert broken[0]["verdict"] == "fail"
    assert len(summary["stages"]) == len(STAGES)


@pytest.mark.parametrize("stage", [s for s in RUN_STAGES if s.needs], ids=lambda stage: stage.name)
def test_services_are_started_for_the_whole_stage_then_stopped(
    engine: FakeEngine, source: dagger.Directory, stage: Stage
) -> None:
    thresholds = anyio.run(executor.thresholds_of, source)
    anyio.run(executor.run_stage, stage, source, thresholds, RUN)
    fields = [chain[-1].field for chain in engine.chains]
    starts, stops = fields.count("start"), fields.count("stop")
    assert starts == stops == len(executor.stage_services(stage, source, RUN))
    assert fields.index("stop") > max(i for i, f in enumerate(fields) if f == "exitCode")


def _stopped(engine: FakeEngine) -> list[str]:
    """Return the IDs of the services stopped, in order."""
    return [chain[0].args["id"] for chain in engine.chains if chain[-1].field == "stop"]


def test_services_are_stopped_in_reverse_order(
    engine: FakeEngine, source: dagger.Directory
) -> None:
    ids = iter(["db-started", "app-started"])
    engine.answer("Service.start", lambda _args: next(ids))
    thresholds = anyio.run(executor.thresholds_of, source)
    anyio.run(executor.run_stage, LOAD, source, thresholds, RUN)
    assert _stopped(engine) == ["app-started", "db-started"]


def test_a_service_that_does_not_start_stops_those_started_before_it(
    engine: FakeEngine, source: dagger.Directory
) -> None:
    starts = iter(range(2))

    def start(_args: dict) -> str:
        if next(starts) == 1:
            message = "app did not start"
            raise RuntimeError(message)
        return "db-started"

    engine.answer("Service.start", start)
    thresholds = anyio.run(executor.thresholds_of, source)
    run = anyio.run(executor.run_stage, LOAD, source, thresholds, RUN)
    assert _stopped(engine) == ["db-started"]
    assert run.result.outcome is Outcome.FAIL
    assert "app did not start" in run.result.output_tail


def test_only_and_skip_select_stages_as_the_cli_does(
    engine: FakeEngine, source: dagger.Directory
) -> None:
    directory = anyio.run(lambda: Semaine().pipeline(source, only="lint,test", skip="test"))
    assert [stage["name"] for stage in summary_of(engine, directory)["stages"]] == ["lint"]
    with pytest.raises(UnknownStageError, match="lnt"):
        anyio.run(lambda: Semaine().pipeline(source, only="lnt"))


@pytest.mark.parametrize("only", ["", ","])
def test_an_empty_only_is_refused_not_read_as_every_stage(
    engine: FakeEngine, source: dagger.Directory, only: str
) -> None:
    with pytest.raises(EmptySelectionError, match="--only names no stage"):
        anyio.run(lambda: Semaine().pipeline(source, only=only))
    assert engine.documents == []  # refused before any container was asked for


def test_loading_the_module_imports_neither_the_local_executor_nor_the_cli_nor_the_app() -> None:
    # The engine's module runtime installs ci/ alone: `app` is not there to import.
    code = (
        "import sys, semaine.main; "
        "banned = ('semaine.executors.local', 'semaine.cli', 'semaine.integrations', 'app.');"
        " banned += ('app',); "
        "print(sorted(m for m in sys.modules if m.startswith(banned[:4]) or m == banned[4]))"
    )
    env = {**os.environ, "DAGGER_MAIN_OBJECT": "Semaine"}
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    assert done.stdout.strip() == "[]", done.stdout
