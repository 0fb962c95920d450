"""dagger call dashboard: the inputs exported from the engine, the page returned as a Directory."""

from __future__ import annotations

import argparse
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import anyio
import pytest
from dagger import dag

from semaine.cli import build_parser
from semaine.executors.dagger.dashboard import DashboardInputsError
from semaine.main import Semaine
from tests.dashboard_histories import (
    MONDAY,
    every,
    pipeline_summary,
    record,
    run,
    write_history,
    write_records,
)

if TYPE_CHECKING:
    from tests.dagger.conftest import FakeEngine

NOW = MONDAY + timedelta(hours=12)


def exporter(history: bool = True) -> Any:  # noqa: FBT001, FBT002 - one switch, read as such
    """Answer `export` as the engine would: write the asked input at the asked path."""

    def export(args: dict[str, Any]) -> str:
        path = Path(args["path"])
        if path.name == "history" and history:
            times = every(MONDAY, NOW, timedelta(minutes=15))
            write_history(path, [run(at) for at in times])
        elif path.name == "history":
            path.mkdir(parents=True)
        elif path.name == "deployments":
            write_records(path.parent / "reports", [record("deploy", MONDAY, 95.0)])
            (path.parent / "reports" / "deployments").rename(path)
        else:
            pipeline_summary(path)
        return str(path)

    return export


def written_files(engine: FakeEngine, folder: str) -> dict[str, str]:
    return {
        call.args["path"]: call.args["contents"]
        for call in engine.chain(folder)
        if call.field == "withNewFile"
    }


def test_dashboard_renders_the_page_from_exported_inputs(engine: FakeEngine) -> None:
    engine.answer("Directory.export", exporter())
    engine.answer("File.export", exporter())

    async def call() -> str:
        return await Semaine().dashboard(
            history=dag.host().directory("state"),
            environment=["production"],
            deployments=dag.host().directory("reports/deployments"),
            pipeline_summary=dag.host().file("reports/summary.json"),
            now=NOW.isoformat(),
        )

    folder = anyio.run(call)
    files = written_files(engine, folder)
    assert set(files) == {"index.html"}
    page = files["index.html"]
    assert '<h2 id="env-production-title">production:' in page
    assert "1 of 1 deploys and promotions succeeded" in page
    assert "coverage" in page
    assert "<script" not in page
    exported = [chain[-1].args["path"] for chain in engine.chains if chain[-1].field == "export"]
    assert [Path(path).name for path in exported] == ["history", "deployments", "summary.json"]


def test_an_empty_history_names_the_argument_not_a_scratch_path(engine: FakeEngine) -> None:
    engine.answer("Directory.export", exporter(history=False))
    with pytest.raises(DashboardInputsError, match=r"--history holds no history") as caught:
        anyio.run(lambda: Semaine().dashboard(history=dag.host().directory("state")))
    assert "semaine-dashboard-" not in str(caught.value)
    assert str(caught.value).startswith("--history holds no history")


def test_a_time_without_timezone_is_refused_before_any_export(engine: FakeEngine) -> None:
    with pytest.raises(ValueError, match="no timezone"):
        anyio.run(
            lambda: Semaine().dashboard(
                history=dag.host().directory("state"), now="2026-11-30T12:00:00"
            )
        )
    assert engine.documents == []


def test_dagger_arguments_are_the_cli_flags(registered_engine: FakeEngine) -> None:
    parser = build_parser()
    (verbs,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]  # noqa: SLF001 - argparse offers no public walk
    cli = {
        option
        for action in verbs.choices["dashboard"]._actions  # noqa: SLF001 - same
        for option in action.option_strings
        if option.startswith("--")
    }
    registered = registered_engine.function_defs()["dashboard"]
    dagger_flags = {f"--{arg.replace('_', '-')}" for arg in registered.args}
    assert dagger_flags == cli - {"--help", "--output"}, "--output: the function returns the site"
