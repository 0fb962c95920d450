"""dagger call monitor: the CLI's flags, secrets only as secrets, the history in and out."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

import anyio
import dagger
import pytest
from dagger import dag

from semaine.cli import build_parser
from semaine.executors.dagger import chains as executor
from semaine.executors.dagger.monitoring import HISTORY_FOLDER, STATE_PATH
from semaine.main import Environment, Semaine

if TYPE_CHECKING:
    from tests.dagger.conftest import FakeEngine


@pytest.fixture
def source() -> dagger.Directory:
    return dag.host().directory("/repo")


def verb_chain(engine: FakeEngine) -> list:
    return [chain for chain in engine.chains if chain[-1].field == "stdout"][-1]


def test_monitor_runs_the_cli_with_secrets_as_secret_variables(
    engine: FakeEngine, source: dagger.Directory
) -> None:
    async def call() -> dagger.Directory:
        return await Semaine().monitor(
            environment=Environment.production,
            source=source,
            database_url=dag.secret("env://DATABASE_URL"),
            slack_webhook=dag.secret("env://SLACK_WEBHOOK_URL"),
            github_token=dag.secret("env://GITHUB_TOKEN"),
            github_repo="octo-org/semaine",
            state=dag.host().directory("history"),
        )

    anyio.run(call)
    chain = verb_chain(engine)
    (argv,) = [call.args["args"] for call in chain if call.field == "withExec"][-1:]
    assert argv == [
        *executor.RUNNER,
        "semaine",
        "monitor",
        "--environment",
        "production",
        "--github-repo",
        "octo-org/semaine",
        "--database-url",
        "env://DATABASE_URL",
        "--slack-webhook",
        "env://SLACK_WEBHOOK",
        "--github-token",
        "env://GITHUB_TOKEN",
        "--state",
        STATE_PATH,
        "--report",
        executor.REPORTS_PATH,
    ]
    secrets = {
        call.args["name"]: engine.chain(call.args["secret"])[-1].args
        for call in chain
        if call.field == "withSecretVariable"
    }
    assert secrets == {
        "DATABASE_URL": {"uri": "env://DATABASE_URL"},
        "SLACK_WEBHOOK": {"uri": "env://SLACK_WEBHOOK_URL"},
        "GITHUB_TOKEN": {"uri": "env://GITHUB_TOKEN"},
    }
    plain = {call.args["name"] for call in chain if call.field == "withEnvVariable"}
    assert not plain & set(secrets)
    assert "SEMAINE_INVOCATION" in plain, "a monitor run is never replayed from the cache"
    mounted = [call.args["path"] for call in chain if call.field == "withDirectory"]
    assert STATE_PATH in mounted


def test_monitor_returns_report_history_and_exit_status(
    engine: FakeEngine, source: dagger.Directory
) -> None:
    engine.answer("Container.exitCode", 1)
    folder = anyio.run(
        lambda: Semaine().monitor(
            environment=Environment.staging, source=source, url="https://preview.example"
        )
    )
    calls = engine.chain(folder)
    written = {
        call.args["path"]: call.args["contents"] for call in calls if call.field == "withNewFile"
    }
    assert written[executor.VERB_EXIT_STATUS] == "1\n"
    assert {executor.VERB_OUTPUT, executor.VERB_LOG} <= written.keys()
    directories = [call.args["path"] for call in calls if call.field == "withDirectory"]
    assert HISTORY_FOLDER in directories
    (verb,) = [call for call in calls if call.field == "withExec"][-1:]
    assert verb.args["args"][verb.args["args"].index("--url") + 1] == "https://preview.example"
    assert verb.args.get("expect") == "ANY", "a down service must still bring its report"


CLI_ONLY = {"--help", "--report", "--project-dir"}
"""Flags about the caller's filesystem: the function's folder and source stand for them."""


def test_dagger_flags_are_the_cli_flags(registered_engine: FakeEngine) -> None:
    parser = build_parser()
    (verbs,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]  # noqa: SLF001 - argparse offers no public walk
    cli = {o for a in verbs.choices["monitor"]._actions for o in a.option_strings}  # noqa: SLF001
    registered = registered_engine.function_defs()["monitor"]
    dagger_flags = {f"--{arg.replace('_', '-')}" for arg in registered.args}
    assert dagger_flags - {"--source"} == {flag for flag in cli if flag.startswith("--")} - CLI_ONLY
