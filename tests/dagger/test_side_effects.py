"""migrate, rollback and verdict: the CLI's flags, secrets only as secrets, loud failures."""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING

import anyio
import dagger
import pytest
from dagger import dag

from semaine.cli import build_parser
from semaine.executors.dagger import chains as executor
from semaine.main import Environment, RollbackType, Semaine

if TYPE_CHECKING:
    from tests.dagger.conftest import FakeEngine


@pytest.fixture
def source() -> dagger.Directory:
    return dag.host().directory("/repo")


def last_exec(engine: FakeEngine) -> list[str]:
    (chain,) = [chain for chain in engine.chains if chain[-1].field == "stdout"][-1:]
    return [call.args["args"] for call in chain if call.field == "withExec"][-1]


def secret_variables(engine: FakeEngine) -> dict[str, list]:
    (chain,) = [chain for chain in engine.chains if chain[-1].field == "stdout"][-1:]
    found = {
        call.args["name"]: call.args["secret"]
        for call in chain
        if call.field == "withSecretVariable"
    }
    return {name: engine.chain(secret) for name, secret in found.items()}


def plain_env(engine: FakeEngine) -> dict[str, str]:
    (chain,) = [chain for chain in engine.chains if chain[-1].field == "stdout"][-1:]
    return {
        call.args["name"]: call.args["value"] for call in chain if call.field == "withEnvVariable"
    }


def test_migrate_runs_the_cli_with_secrets_as_secret_variables(
    engine: FakeEngine, source: dagger.Directory
) -> None:
    database_url = dag.secret("env://DATABASE_URL")
    api_key = dag.secret("env://HEROKU_API_KEY")

    async def call() -> str:
        return await Semaine().migrate(
            environment=Environment.staging,
            source=source,
            database_url=database_url,
            heroku_api_key=api_key,
            dry_run=True,
            batch_size=500,
        )

    anyio.run(call)
    assert last_exec(engine) == [
        *executor.RUNNER,
        "semaine",
        "migrate",
        "--environment",
        "staging",
        "--dry-run",
        "--batch-size",
        "500",
        "--database-url",
        "env://DATABASE_URL",
        "--heroku-api-key",
        "env://HEROKU_API_KEY",
        "--report-dir",
        executor.REPORTS_PATH,
    ]
    secrets = secret_variables(engine)
    assert secrets["DATABASE_URL"][-1].args == {"uri": "env://DATABASE_URL"}
    assert secrets["HEROKU_API_KEY"][-1].args == {"uri": "env://HEROKU_API_KEY"}
    assert not {"DATABASE_URL", "HEROKU_API_KEY"} & set(plain_env(engine))
    assert "SEMAINE_INVOCATION" in plain_env(engine), "side effects must never hit the exec cache"
    (chain,) = [chain for chain in engine.chains if chain[-1].field == "stdout"][-1:]
    fields = [call.field for call in chain]
    mark = next(
        index
        for index, call in enumerate(chain)
        if call.field == "withEnvVariable" and call.args["name"] == "SEMAINE_INVOCATION"
    )
    assert mark < len(fields) - 1 - fields[::-1].index("withExec"), "marked before the verb runs"


def test_migrate_without_optional_flags(engine: FakeEngine, source: dagger.Directory) -> None:
    anyio.run(lambda: Semaine().migrate(environment=Environment.production, source=source))
    assert last_exec(engine)[len(executor.RUNNER) :] == [
        "semaine",
        "migrate",
        "--environment",
        "production",
        "--report-dir",
        executor.REPORTS_PATH,
    ]
    assert secret_variables(engine) == {}


def test_rollback_database_runs_the_cli(engine: FakeEngine, source: dagger.Directory) -> None:
    async def call() -> str:
        return await Semaine().rollback(
            environment=Environment.production,
            rollback_type=RollbackType.database,
            reason="wrong weeks after migration",
            source=source,
            run_id="run-42",
            database_url=dag.secret("env://DATABASE_URL"),
        )

    anyio.run(call)
    assert last_exec(engine)[len(executor.RUNNER) :] == [
        "semaine",
        "rollback",
        "--environment",
        "production",
        "--rollback-type",
        "database",
        "--reason",
        "wrong weeks after migration",
        "--run-id",
        "run-42",
        "--reports",
        executor.REPORTS_PATH,
        "--database-url",
        "env://DATABASE_URL",
        "--report-dir",
        executor.REPORTS_PATH,
    ]


def test_a_verb_returns_its_reports_output_and_exit_status(
    engine: FakeEngine, source: dagger.Directory
) -> None:
    engine.answer("Container.exitCode", 2)
    folder = anyio.run(lambda: Semaine().migrate(environment=Environment.staging, source=source))
    calls = engine.chain(folder)
    assert [call.args for call in calls if call.field == "directory"][-1] == {
        "path": executor.REPORTS_PATH
    }
    written = {
        call.args["path"]: call.args["contents"] for call in calls if call.field == "withNewFile"
    }
    assert written[executor.VERB_EXIT_STATUS] == "2\n"
    assert {executor.VERB_OUTPUT, executor.VERB_LOG} <= written.keys()
    (verb,) = [call for call in calls if call.field == "withExec"][-1:]
    assert verb.args.get("expect") == "ANY", "a refusal must still bring its log"


def test_migrate_dump_goes_into_the_returned_folder_with_pg_dump_installed(
    engine: FakeEngine, source: dagger.Directory
) -> None:
    anyio.run(lambda: Semaine().migrate(environment=Environment.staging, source=source, dump=True))
    argv = last_exec(engine)
    assert argv[argv.index("--dump-path") + 1] == executor.DUMP_PATH
    assert executor.DUMP_PATH.startswith(executor.REPORTS_PATH + "/")
    (chain,) = [chain for chain in engine.chains if chain[-1].field == "stdout"][-1:]
    installs = " ".join(" ".join(call.args["args"]) for call in chain if call.field == "withExec")
    assert "postgresql-client" in installs


@pytest.mark.parametrize("kind", [RollbackType.application, RollbackType.full])
def test_rollback_application_and_full_run_the_cli_with_secrets_as_secrets(
    engine: FakeEngine, source: dagger.Directory, kind: RollbackType
) -> None:
    async def call() -> dagger.Directory:
        return await Semaine().rollback(
            environment=Environment.production,
            rollback_type=kind,
            reason="v43 breaks the week page",
            source=source,
            confirm="production",
            to_release="v41",
            actor="octocat",
            heroku_api_key=dag.secret("env://HEROKU_API_KEY"),
            slack_webhook=dag.secret("env://SLACK_WEBHOOK_URL"),
        )

    anyio.run(call)
    argv = last_exec(engine)[len(executor.RUNNER) :]
    assert argv[:6] == [
        "semaine",
        "rollback",
        "--environment",
        "production",
        "--rollback-type",
        kind.value,
    ]
    for flag, value in [
        ("--confirm", "production"),
        ("--to-release", "v41"),
        ("--actor", "octocat"),
        ("--heroku-api-key", "env://HEROKU_API_KEY"),
        ("--slack-webhook", "env://SLACK_WEBHOOK"),
        ("--reports", executor.REPORTS_PATH),
    ]:
        assert argv[argv.index(flag) + 1] == value
    assert set(secret_variables(engine)) == {"HEROKU_API_KEY", "SLACK_WEBHOOK"}


def summary(exit_status: int) -> str:
    gate = {"gate": "coverage", "outcome": "fail", "detail": "85 % < 90 %"}
    stages = [{"name": "test", "gates": [gate]}]
    verdict = "pass" if exit_status == 0 else "fail"
    return json.dumps({"verdict": verdict, "exit_status": exit_status, "stages": stages})


def test_verdict_fails_on_a_failed_run_naming_the_gate(engine: FakeEngine) -> None:
    engine.answer("File.contents", summary(1))
    reports = dag.host().directory("reports")
    with pytest.raises(executor.StageError, match="test / coverage: fail 85 % < 90 %"):
        anyio.run(Semaine().verdict, reports)
    assert engine.chains[-1][-2].args == {"path": "summary.json"}


def test_verdict_passes_on_a_passed_run(engine: FakeEngine) -> None:
    engine.answer("File.contents", summary(0))
    anyio.run(Semaine().verdict, dag.host().directory("reports"))


CLI_ONLY = {"--help", "--report-dir", "--dump-path", "--reports", "--project-dir"}
"""Flags about the caller's filesystem: meaningless inside the function's container (the
function sets --report-dir and --reports to the folder it returns; the project is --source)."""
DAGGER_ONLY = {"--dump"}
"""The function's form of --dump-path: the dump comes back in the returned folder."""


@pytest.mark.parametrize("verb", ["migrate", "rollback"])
def test_dagger_flags_are_the_cli_flags(registered_engine: FakeEngine, verb: str) -> None:
    parser = build_parser()
    (verbs,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]  # noqa: SLF001 - argparse offers no public walk
    cli = {o for a in verbs.choices[verb]._actions for o in a.option_strings if o.startswith("--")}  # noqa: SLF001
    registered = registered_engine.function_defs()[verb]
    dagger_flags = {f"--{arg.replace('_', '-')}" for arg in registered.args}
    assert dagger_flags - {"--source"} - DAGGER_ONLY == cli - CLI_ONLY
