"""The Dagger executor: each core Stage becomes a container chain, judged by core."""

from __future__ import annotations

import contextlib
import functools
import json
import tempfile
import time
import uuid
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import anyio
import dagger
from dagger import dag

from semaine.executors.dagger.containers import (
    REPORTS_PATH,
    production_image,
    toolchain,
    with_node_modules,
    with_run,
)
from semaine.executors.dagger.services import (
    APP_ALIAS,
    APP_URL,
    DATABASE_URL,
    DB_ALIAS,
    POSTGRES_URL,
    SCRATCH_DATABASE_URL,
    app,
    postgres,
    with_app,
    with_database,
)
from semaine.executors.scheduling import Timeline, Turns, run_in_turns
from semaine.exit_status import ExitStatus
from semaine.pipeline.gates import Outcome
from semaine.pipeline.report import SUMMARY_JSON, SUMMARY_MD, summary_document, summary_markdown
from semaine.pipeline.stage import Need, Placeholder, Stage, Step, debian_packages
from semaine.pipeline.stages import BUILD, BUILD_STEP, BY_NAME, STAGES
from semaine.pipeline.thresholds import Thresholds, load_thresholds
from semaine.pipeline.verdict import (
    StageResult,
    StepRun,
    broken_stage,
    judge_stage,
    run_verdict,
    tail,
)

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Callable, Sequence
    from contextlib import AbstractAsyncContextManager

    from semaine.executors.dagger.containers import Step as ContainerStep

EXECUTOR = "dagger"
RUNNER = ("uv", "run", "--frozen", "--no-sync")
"""How a step's tool is started in the stage container (the venv is synced at build)."""
CPU_HEAVY_AT_ONCE = 2


class StageError(Exception):
    """A stage or a whole run did not pass; the message says which gates and why."""


@dataclass(frozen=True)
class StageRun:
    """What a stage produced: core's verdict and the stage's report folder."""

    result: StageResult
    reports: dagger.Directory


def report_dir(stage: Stage) -> str:
    """Return the in-container report folder of a stage."""
    return f"{REPORTS_PATH}/{stage.name}"


def placeholders(stage: Stage) -> dict[Placeholder, str]:
    """Return the values of core's placeholders inside a stage's container."""
    return {
        Placeholder.REPORT_DIR: report_dir(stage),
        Placeholder.DATABASE_URL: DATABASE_URL,
        Placeholder.POSTGRES_URL: POSTGRES_URL,
        Placeholder.SCRATCH_DATABASE_URL: SCRATCH_DATABASE_URL,
        Placeholder.APP_URL: APP_URL,
    }


def new_run_id() -> str:
    """Return a value no earlier run had (see `containers.with_run`)."""
    return uuid.uuid4().hex


def per_run(stage: Stage, run_id: str) -> str | None:
    """Return the run's mark for a stage that must run every time; None for a cacheable one."""
    return None if stage.cacheable else run_id


def stage_services(
    stage: Stage, source: dagger.Directory, run_id: str
) -> dict[str, dagger.Service]:
    """Return the services a stage needs, by the alias its container reaches them at."""
    services = {}
    run = per_run(stage, run_id)
    if Need.POSTGRES in stage.needs:
        services[DB_ALIAS] = postgres(stage.name, run)
    if Need.APP in stage.needs:
        services[APP_ALIAS] = app(source, services[DB_ALIAS], run)
    return services


def stage_toolchain(stage: Stage, source: dagger.Directory) -> dagger.Container:
    """Return the cached layers of a stage's container: its programs, tools and source.

    A stage that needs Node also gets the pinned Lighthouse (`npm ci`'s node_modules).
    """
    container = toolchain(source, debian_packages(stage.needs))
    if Need.NODE in stage.needs:
        container = container.with_(with_node_modules(source))
    return container


def stage_container(
    stage: Stage, source: dagger.Directory, services: dict[str, dagger.Service], run_id: str
) -> dagger.Container:
    """Return the container a stage's steps run in, with its services bound.

    A stage that is not cacheable (it asks a changing service, or measures time) is
    marked with the run before its first command: it runs every time, on cached layers.
    """
    container = (
        stage_toolchain(stage, source)
        .with_(with_run(per_run(stage, run_id)))
        .with_exec(["mkdir", "-p", report_dir(stage)])
    )
    if DB_ALIAS in services:
        container = container.with_(with_database(services[DB_ALIAS]))
    if APP_ALIAS in services:
        container = container.with_(with_app(services[APP_ALIAS]))
    return container


@contextlib.asynccontextmanager
async def started(services: dict[str, dagger.Service]) -> AsyncIterator[dict[str, dagger.Service]]:
    """Start services in order for a whole stage (state survives between its steps).

    Whatever happens, even a later service failing to start, those started are stopped,
    in reverse order (the app before the database it uses).
    """
    running: dict[str, dagger.Service] = {}
    try:
        for alias, service in services.items():
            running[alias] = await service.start()
        yield running
    finally:
        with anyio.CancelScope(shield=True):
            for service in reversed(running.values()):
                with contextlib.suppress(dagger.DaggerError):
                    await service.stop()


def with_step(stage: Stage, step: Step) -> ContainerStep:
    """Run one (rendered) step with its env, keeping its report even when the tool fails."""
    folder = report_dir(stage)

    def run(container: dagger.Container) -> dagger.Container:
        for name, value in step.env.items():
            container = container.with_env_variable(name, value)
        container = container.with_exec(
            [*RUNNER, *step.argv],
            expect=dagger.ReturnType.ANY,
            redirect_stdout=f"{folder}/{step.stdout_to}" if step.stdout_to else "",
            redirect_stderr=f"{folder}/{step.stderr_to}" if step.stderr_to else "",
        )
        for name in step.env:
            container = container.without_env_variable(name)
        return container

    return run


async def _output(container: dagger.Container, stage: Stage, step: Step) -> str:
    """Return the step's stdout then stderr, read back from report files when redirected."""
    folder = report_dir(stage)
    out = await (
        container.file(f"{folder}/{step.stdout_to}").contents()
        if step.stdout_to
        else container.stdout()
    )
    err = await (
        container.file(f"{folder}/{step.stderr_to}").contents()
        if step.stderr_to
        else container.stderr()
    )
    return tail(f"{out}\n{err}")


async def run_steps(
    stage: Stage,
    container: dagger.Container,
    turn: Callable[[], AbstractAsyncContextManager[None]] = contextlib.nullcontext,
) -> tuple[dagger.Container, list[StepRun]]:
    """Run a stage's steps in order; stop after a failing `stop_on_failure` step.

    The first step that `measures`, and every step after it, run inside `turn()`: when the
    stage has the engine to itself (semaine.executors.scheduling.Turns).
    """
    runs: list[StepRun] = []
    async with contextlib.AsyncExitStack() as alone:
        for index, template in enumerate(stage.steps):
            if index == stage.measuring_from:
                await alone.enter_async_context(turn())
            step = template.rendered(placeholders(stage))
            ran = container.with_(with_step(stage, step))
            try:
                exit_code = await ran.exit_code()
            except dagger.DaggerError as error:
                runs.append(StepRun(step.name, None, tail(_describe(error))))
                break
            container = ran
            runs.append(StepRun(step.name, exit_code, await _output(ran, stage, step)))
            if step.stop_on_failure and not step.accepts(exit_code):
                break
    return container, runs


async def judge(
    stage: Stage,
    runs: list[StepRun],
    reports: dagger.Directory,
    thresholds: Thresholds,
    started: float,
) -> StageResult:
    """Bring the stage's reports into the module's filesystem and let core judge them."""
    with tempfile.TemporaryDirectory(prefix=f"semaine-{stage.name}-") as local:
        await reports.export(local)
        return judge_stage(stage, runs, Path(local), thresholds, time.monotonic() - started)


async def run_stage(
    stage: Stage,
    source: dagger.Directory,
    thresholds: Thresholds,
    run_id: str,
    turn: Callable[[], AbstractAsyncContextManager[None]] = contextlib.nullcontext,
) -> StageRun:
    """Run one stage in Dagger and judge it; an executor failure becomes a failed stage."""
    began = time.monotonic()
    try:
        if stage is BUILD:
            return await _run_build(source, thresholds, began)
        async with started(stage_services(stage, source, run_id)) as services:
            container = stage_container(stage, source, services, run_id)
            container, runs = await run_steps(stage, container, turn)
            reports = container.directory(report_dir(stage))
            return StageRun(await judge(stage, runs, reports, thresholds, began), reports)
    except Exception as error:  # noqa: BLE001 - any failure is reported by stage name, never lost
        reason = f"the Dagger executor could not run {stage.name}: {type(error).__name__}"
        result = broken_stage(stage, reason, _describe(error), time.monotonic() - began)
        return StageRun(result, dag.directory())


async def _run_build(source: dagger.Directory, thresholds: Thresholds, started: float) -> StageRun:
    """Build the production image; its success is the build stage's (core) gate."""
    try:
        await production_image(source).sync()
        run = StepRun(BUILD_STEP.name, 0)
    except dagger.DaggerError as error:
        run = StepRun(BUILD_STEP.name, 1, tail(_describe(error)))
    return StageRun(
        await judge(BUILD, [run], dag.directory(), thresholds, started), dag.directory()
    )


def _describe(error: BaseException) -> str:
    """Return an error's message with the tail of a failed command's output."""
    if isinstance(error, dagger.ExecError):
        return f"{error}\n{error.stdout}\n{error.stderr}"
    return str(error) or type(error).__name__


async def thresholds_of(source: dagger.Directory) -> Thresholds:
    """Load `[tool.semaine.gates]` from the source's pyproject.toml, as every executor does."""
    with tempfile.TemporaryDirectory(prefix="semaine-gates-") as local:
        path = Path(local) / "pyproject.toml"
        await source.file("pyproject.toml").export(str(path))
        return load_thresholds(path)


async def run_stages(stages: Sequence[Stage], source: dagger.Directory) -> list[StageRun]:
    """Run stages in turns (timing ones measure alone, last; CPU-heavy ones bounded), judged.

    Each stage catches its own errors; each result names the stages it overlapped.
    """
    thresholds = await thresholds_of(source)
    limiter = anyio.CapacityLimiter(CPU_HEAVY_AT_ONCE)
    runs: dict[str, StageRun] = {}
    run_id = new_run_id()
    timeline = Timeline()
    turns = Turns(stages, timeline)

    async def one(stage: Stage) -> None:
        async with contextlib.AsyncExitStack() as limits:
            if stage.cpu_heavy:
                await limits.enter_async_context(limiter)
            alone = functools.partial(turns.turn, stage.name, limits)
            with timeline.running(stage.name):
                run = await run_stage(stage, source, thresholds, run_id, alone)
        waited = turns.waited(stage.name)
        runs[stage.name] = replace(
            run, result=replace(run.result, duration_s=max(0.0, run.result.duration_s - waited))
        )

    await run_in_turns(stages, turns, one)
    results = []
    for stage in stages:
        run, overlapped = runs[stage.name], timeline.overlapping(stage.name)
        results.append(replace(run, result=replace(run.result, overlapped=overlapped)))
    return results


def reports_directory(runs: list[StageRun], accept_inconclusive: str | None) -> dagger.Directory:
    """Return the run's report folder: summary.json, summary.md and each stage's artifacts."""
    results = [run.result for run in runs]
    verdict = run_verdict(results, accept_inconclusive)
    document = summary_document(results, verdict, executor=EXECUTOR)
    directory = (
        dag.directory()
        .with_new_file(SUMMARY_JSON, json.dumps(document, indent=2) + "\n")
        .with_new_file(SUMMARY_MD, summary_markdown(results, verdict))
    )
    for run in runs:
        directory = directory.with_directory(run.result.stage, run.reports)
    return directory


def raise_unless_passed(results: list[StageResult] | dict[str, Any]) -> None:
    """Raise StageError naming every failed or inconclusive gate; return when all passed."""
    document = results if isinstance(results, dict) else _document(results)
    if document["exit_status"] == ExitStatus.DONE:
        return
    lines = [f"pipeline verdict: {document['verdict']} (exit status {document['exit_status']})"]
    for stage in document["stages"]:
        lines.extend(
            f"  {stage['name']} / {gate['gate']}: {gate['outcome']} {gate['detail']}".rstrip()
            for gate in stage["gates"]
            if gate["outcome"] in {Outcome.FAIL.value, Outcome.INCONCLUSIVE.value}
        )
    raise StageError("\n".join(lines))


def _document(results: list[StageResult]) -> dict[str, Any]:
    return summary_document(results, run_verdict(results), executor=EXECUTOR)


async def check_stage(name: str, source: dagger.Directory) -> None:
    """Run one stage alone: return when it passed, raise StageError otherwise."""
    stage_run = await run_stage(BY_NAME[name], source, await thresholds_of(source), new_run_id())
    raise_unless_passed([stage_run.result])


async def check_every_stage(source: dagger.Directory) -> None:
    """Run every stage as `pipeline` does: return when all passed, raise StageError otherwise."""
    raise_unless_passed([run.result for run in await run_stages(STAGES, source)])


VERB_OUTPUT = "output.txt"
"""The verb's standard output (its report, as printed), beside its reports."""
VERB_LOG = "log.txt"
"""The verb's standard error (progress and messages), beside its reports."""
VERB_EXIT_STATUS = "exit-status"
"""The verb's exit status, beside its reports: the workflow fails with it after the upload."""
DUMP_FILE = "entries.dump"
"""Where `migrate --dump` puts pg_dump's copy of the table, in the returned folder."""
DUMP_PATH = f"{REPORTS_PATH}/{DUMP_FILE}"


async def semaine_verb(  # noqa: PLR0913 - the verb, its flags, secrets, needs, report flag
    source: dagger.Directory,
    verb: str,
    flags: list[str],
    secrets: dict[str, dagger.Secret | None],
    needs: frozenset[Need] = frozenset(),
    *,
    report_flag: str = "--report-dir",
) -> dagger.Directory:
    """Run a side-effect `semaine` verb; return its reports, output and exit status.

    Each secret flag reads a secret variable, never a value. A function that returns
    the reports cannot also fail (a failed call returns nothing to export), so the exit
    status travels in the folder, as `pipeline`'s does in summary.json. `report_flag`
    is the verb's flag for its report folder (the delivery verbs say `--reports`).
    """
    container, flags = with_secret_flags(
        toolchain(source, debian_packages(needs)).with_(with_run(new_run_id())), flags, secrets
    )
    argv = [*RUNNER, "semaine", verb, *flags, report_flag, REPORTS_PATH]
    ran = container.with_exec(argv, expect=dagger.ReturnType.ANY)
    status = await ran.exit_code()
    return (
        ran.directory(REPORTS_PATH)
        .with_new_file(VERB_OUTPUT, await ran.stdout())
        .with_new_file(VERB_LOG, await ran.stderr())
        .with_new_file(VERB_EXIT_STATUS, f"{status}\n")
    )


def with_secret_flags(
    container: dagger.Container, flags: list[str], secrets: dict[str, dagger.Secret | None]
) -> tuple[dagger.Container, list[str]]:
    """Give each secret as a secret variable and its flag as `env://NAME`, never as a value."""
    for flag, secret in secrets.items():
        if secret is not None:
            name = flag.upper().replace("-", "_")
            container = container.with_secret_variable(name, secret)
            flags = [*flags, f"--{flag}", f"env://{name}"]
    return container, flags
