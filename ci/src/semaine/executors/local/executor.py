"""The engine-free executor: each stage's steps as local processes, stages concurrently."""

from __future__ import annotations

import os
import shutil
import sys
import time
import traceback
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, TextIO

import anyio

from semaine.executors.local.app_server import AppStartError, served_app
from semaine.executors.local.needs import without_programs
from semaine.executors.local.postgres import ThrowawayPostgres
from semaine.executors.local.postgres_error import PostgresError
from semaine.executors.local.progress import Progress
from semaine.executors.local.report_folder import claim
from semaine.executors.local.result_cache import ResultCache, result_key, source_manifest
from semaine.executors.local.steps import run_steps
from semaine.executors.scheduling import Timeline, Turns, run_in_turns
from semaine.pipeline.gates import Outcome
from semaine.pipeline.report import SUMMARY_JSON, SUMMARY_MD
from semaine.pipeline.stage import Need, Placeholder
from semaine.pipeline.verdict import broken_stage, judge_stage, skipped_stage

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Callable, Sequence
    from pathlib import Path

    from semaine.pipeline.stage import Stage
    from semaine.pipeline.thresholds import Thresholds
    from semaine.pipeline.verdict import StageResult, StepRun

NO_ENGINE = "needs a container engine: run it with `dagger call pipeline`"
EXECUTOR_NAME = "local"


CPU_HEAVY_AT_LEAST = 2
"""typecheck beside test even on 2 cores: mypy is one process and fills what the test
stage leaves idle, where running it first added all of its time to the run's. The timing
stages, which must not share the machine while they measure, do so alone after these
whatever the limit."""


def default_parallelism() -> tuple[int, int]:
    """Return (stages at once, CPU-heavy stages at once) for this machine."""
    cores = os.cpu_count() or 1
    return cores + 1, max(CPU_HEAVY_AT_LEAST, cores // 2)


class StageBroken(Exception):  # noqa: N818 - it names the situation, like StopIteration
    """A service a stage needs could not be provided; `output` is the end of its log."""

    def __init__(self, reason: str, output: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.output = output


@dataclass(frozen=True)
class ExecutorSettings:
    """Where the local executor works and how much it runs at once."""

    project_dir: Path
    report_dir: Path
    thresholds: Thresholds
    max_parallel: int
    max_cpu_heavy: int
    result_cache: ResultCache | None = None
    """Where passed results of cacheable stages are kept and reused (None: always run)."""


class LocalExecutor:
    """Run stages as subprocesses; every stage reports, whatever the others do."""

    def __init__(self, settings: ExecutorSettings, *, stream: TextIO | None = None) -> None:
        self._settings = settings
        self._report_dir = settings.report_dir.resolve()
        self._stream = stream or sys.stderr
        self._stages = anyio.CapacityLimiter(max(1, settings.max_parallel))
        self._cpu = anyio.CapacityLimiter(max(1, settings.max_cpu_heavy))
        self._postgres: ThrowawayPostgres | None = None
        self._postgres_error: StageBroken | None = None
        self._postgres_ready = anyio.Event()
        self._timeline = Timeline()

    async def run(self, stages: Sequence[Stage]) -> list[StageResult]:
        """Run `stages` and return their results in the order given.

        Raises ReportFolderError, before anything runs, when the report folder holds a
        path the run would write that no earlier run wrote.
        """
        written = [stage.name for stage in stages if Need.ENGINE not in stage.needs]
        claim(self._report_dir, [*written, SUMMARY_JSON, SUMMARY_MD])
        progress = Progress.for_stream(stages, self._stream)
        results: dict[str, StageResult] = {}
        keys = self._cache_keys(stages)
        for stage in stages:
            cached = self._cached_result(stage, keys.get(stage.name))
            if cached is not None:
                results[stage.name] = cached
                progress.finished(cached)
        to_run = [stage for stage in stages if stage.name not in results]
        needs_postgres = any(
            Need.POSTGRES in stage.needs for stage in to_run if Need.ENGINE not in stage.needs
        )
        progress.start()
        try:
            async with anyio.create_task_group() as group:
                if needs_postgres:
                    group.start_soon(self._start_postgres)
                else:
                    self._postgres_ready.set()

                turns = Turns(to_run, self._timeline)

                async def one(stage: Stage) -> None:
                    results[stage.name] = await self._run_stage(
                        stage, progress, keys.get(stage.name), turns
                    )
                    progress.finished(results[stage.name])

                async with anyio.create_task_group() as stage_group:
                    stage_group.start_soon(run_in_turns, to_run, turns, one)
                    if progress.live:
                        stage_group.start_soon(
                            self._tick, progress, lambda: len(results) == len(stages)
                        )
        finally:
            progress.stop()
            with anyio.CancelScope(shield=True):
                await self._stop_postgres()
        return [
            replace(results[stage.name], overlapped=self._timeline.overlapping(stage.name))
            for stage in stages
        ]

    async def _tick(self, progress: Progress, done: Callable[[], bool]) -> None:
        while not done():
            progress.tick()
            await anyio.sleep(0.5)

    def _cache_keys(self, stages: Sequence[Stage]) -> dict[str, str]:
        cacheable = [stage for stage in stages if stage.cacheable]
        if self._settings.result_cache is None or not cacheable:
            return {}
        # Taken before anything runs: a file edited during the run makes a new key next time.
        project = self._settings.project_dir.resolve()
        sources = source_manifest(project, also_ignored=_inside(self._report_dir, project))
        thresholds = self._settings.thresholds
        return {stage.name: result_key(stage, thresholds, sources) for stage in cacheable}

    def _cached_result(self, stage: Stage, key: str | None) -> StageResult | None:
        cache = self._settings.result_cache
        if cache is None or key is None:
            return None
        report = self._report_dir / stage.name
        started = time.monotonic()
        cached = cache.lookup(stage, key, report)
        if cached is None:
            return None
        duration = time.monotonic() - started
        result = judge_stage(stage, cached.runs, report, self._settings.thresholds, duration)
        if result.outcome is not Outcome.PASS:
            # Judged differently now (e.g. by a newer evaluation): run it for real.
            return None
        return replace(result, cached_from=cached.describe())

    async def _run_stage(
        self, stage: Stage, progress: Progress, key: str | None, turns: Turns
    ) -> StageResult:
        if Need.ENGINE in stage.needs:
            return skipped_stage(stage, NO_ENGINE)
        if (unable := without_programs(stage, self._settings.project_dir)) is not None:
            return unable
        report = self._report_dir / stage.name
        async with AsyncExitStack() as limits:
            await limits.enter_async_context(self._stages)
            if stage.cpu_heavy:
                await limits.enter_async_context(self._cpu)
            progress.started(stage.name)
            started = time.monotonic()

            @asynccontextmanager
            async def alone() -> AsyncIterator[None]:
                progress.prepared(stage.name)
                async with turns.turn(stage.name, holding=limits):
                    progress.measuring(stage.name)
                    yield

            def took() -> float:
                return time.monotonic() - started - turns.waited(stage.name)

            try:
                _fresh_folder(report)
                with self._timeline.running(stage.name):
                    async with self._services(stage, report) as values:
                        runs = await run_steps(
                            stage, values, self._settings.project_dir, report, turn=alone
                        )
                result = judge_stage(stage, runs, report, self._settings.thresholds, took())
            except StageBroken as error:
                return broken_stage(stage, error.reason, error.output, took())
            except Exception as error:  # noqa: BLE001 - one stage's crash must not hide the others
                reason = f"the local executor failed on this stage: {error!r}"
                return broken_stage(stage, reason, traceback.format_exc(), took())
        await self._keep(stage, key, result, runs, report)
        return result

    async def _keep(
        self,
        stage: Stage,
        key: str | None,
        result: StageResult,
        runs: Sequence[StepRun],
        report: Path,
    ) -> None:
        cache = self._settings.result_cache
        if cache is None or key is None:
            return
        try:
            await anyio.to_thread.run_sync(cache.store, stage, key, result, runs, report)
        except OSError as error:
            # A cache that cannot be written costs time next run, never this run's verdict.
            self._stream.write(f"semaine: the {stage.name} result was not cached: {error}\n")

    @asynccontextmanager
    async def _services(self, stage: Stage, report: Path) -> AsyncIterator[dict[Placeholder, str]]:
        values = {Placeholder.REPORT_DIR: str(report)}
        if Need.POSTGRES not in stage.needs:
            yield values
            return
        postgres = await self._running_postgres()
        name = f"pipeline_{stage.name}"
        await anyio.to_thread.run_sync(postgres.drop_database, name)
        values[Placeholder.DATABASE_URL] = await anyio.to_thread.run_sync(
            postgres.create_database, name
        )
        values[Placeholder.POSTGRES_URL] = postgres.url
        if _uses(stage, Placeholder.SCRATCH_DATABASE_URL):
            scratch = f"{name}_scratch"
            await anyio.to_thread.run_sync(postgres.drop_database, scratch)
            values[Placeholder.SCRATCH_DATABASE_URL] = await anyio.to_thread.run_sync(
                postgres.create_database, scratch
            )
        if Need.APP not in stage.needs:
            yield values
            return
        try:
            server = served_app(
                self._settings.project_dir, values[Placeholder.DATABASE_URL], report / "app.log"
            )
            async with server as url:
                values[Placeholder.APP_URL] = url
                yield values
        except AppStartError as error:
            raise StageBroken(error.message, error.output) from error

    async def _running_postgres(self) -> ThrowawayPostgres:
        await self._postgres_ready.wait()
        if self._postgres is None:
            raise self._postgres_error or StageBroken("PostgreSQL was not started")
        return self._postgres

    async def _start_postgres(self) -> None:
        postgres = ThrowawayPostgres()
        try:
            await anyio.to_thread.run_sync(postgres.start)
        except (PostgresError, OSError) as error:
            self._postgres_error = StageBroken(f"the throwaway PostgreSQL did not start: {error}")
        else:
            self._postgres = postgres
        finally:
            self._postgres_ready.set()

    async def _stop_postgres(self) -> None:
        postgres, self._postgres = self._postgres, None
        if postgres is not None:
            await anyio.to_thread.run_sync(postgres.stop)


def _uses(stage: Stage, placeholder: Placeholder) -> bool:
    return any(
        placeholder.value in text
        for step in stage.steps
        for text in (*step.argv, *step.env.values())
    )


def _inside(folder: Path, project: Path) -> tuple[str, ...]:
    # Reports written inside the project must not count as its sources.
    if folder == project or not folder.is_relative_to(project):
        return ()
    return (folder.relative_to(project).as_posix(),)


def _fresh_folder(path: Path) -> None:
    # Reports of an earlier run must never be judged as this run's.
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
