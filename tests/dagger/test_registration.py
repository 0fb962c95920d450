"""The module's registration: what `dagger functions` and `dagger call --help` would show."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pathspec
import pytest

from semaine.pipeline.sources import SOURCE_IGNORE
from semaine.pipeline.stages import BUILD, STAGES
from tests.paths import ROOT

if TYPE_CHECKING:
    from tests.dagger.conftest import FakeEngine, FunctionDef

STAGE_FUNCTIONS = {"lint", "typecheck", "security", "test", "migrations", "load", "e2e"}
CHECKS = {"every_stage"}
"""`dagger check` runs each check as its own concurrent call: one check runs every stage,
so that the timing stages run alone there too (semaine.executors.scheduling)."""
FUNCTIONS = (
    STAGE_FUNCTIONS
    | CHECKS
    | {"build", "build_release", "pipeline", "verdict", "migrate", "rollback", "monitor"}
    | {"dashboard", "deploy", "promote"}
)
SIDE_EFFECTS = {"migrate", "rollback", "monitor", "deploy", "promote"}
CLOCK_BOUND = {"dashboard"}
"""Never cached though without side effects: the result depends on the time of the call."""
WITHOUT_SOURCE = {"verdict", "dashboard"}
"""Functions that read only the folders they are given (run in the module runtime)."""


@pytest.fixture
def registered(registered_engine: FakeEngine) -> dict[str, FunctionDef]:
    return registered_engine.function_defs()


def test_every_function_is_registered(registered: dict[str, FunctionDef]) -> None:
    assert set(registered) - {""} == FUNCTIONS


def test_every_function_has_a_one_line_imperative_description(
    registered: dict[str, FunctionDef],
) -> None:
    for name in FUNCTIONS:
        description = registered[name].description
        assert description, name
        assert "\n" not in description, name
        assert description[0].isupper(), name
        assert description.endswith("."), name


def test_every_argument_is_documented(registered: dict[str, FunctionDef]) -> None:
    for name in FUNCTIONS:
        for argument in registered[name].args.values():
            assert argument.description, f"{name}({argument.name})"


def test_source_defaults_to_the_repository_without_heavy_folders(
    registered: dict[str, FunctionDef],
) -> None:
    for name in FUNCTIONS - WITHOUT_SOURCE:
        source = registered[name].args["source"]
        assert source.default_path == "/", name
        assert source.ignore == SOURCE_IGNORE, name
    assert {".git", ".venv", "reports", "bench/results", "ci/sdk", "**/node_modules"} <= set(
        SOURCE_IGNORE
    )


SECRET_FILES = (".env", "app/.env", ".env.production", "deploy/server.key", "ci/.envrc")


def test_secret_files_never_leave_the_host() -> None:
    # The harness cannot upload: read the patterns as gitignore does (the local
    # executor's reading of the same list; dockerignore agrees on these).
    ignored = pathspec.GitIgnoreSpec.from_lines(SOURCE_IGNORE)
    assert all(ignored.match_file(path) for path in SECRET_FILES)


@pytest.mark.skipif(
    shutil.which("git") is None or not (ROOT / ".git").exists(),
    reason="no git checkout here (the Dagger stages copy the source without .git)",
)
def test_no_tracked_file_is_left_out_of_the_source() -> None:
    ignored = pathspec.GitIgnoreSpec.from_lines(SOURCE_IGNORE)
    tracked = subprocess.run(
        ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    assert tracked
    assert [path for path in tracked if ignored.match_file(path)] == []


def test_the_one_check_runs_every_stage_without_required_arguments(
    registered: dict[str, FunctionDef],
) -> None:
    for name in FUNCTIONS:
        assert registered[name].check is (name in CHECKS), name
    for name in CHECKS | STAGE_FUNCTIONS:
        assert all(argument.optional for argument in registered[name].args.values()), name


def test_functions_that_must_run_every_time_are_cached_for_a_session_at_most(
    registered: dict[str, FunctionDef],
) -> None:
    # A stage that is not cacheable (it asks a changing service or measures time) is
    # judged anew in every session; so is `pipeline`, which runs such stages.
    # (`build` returns the image: a function of the source alone.)
    per_session = {stage.name for stage in STAGES if stage is not BUILD and not stage.cacheable}
    assert per_session == {"security", "migrations", "load", "e2e"}
    per_session |= {"pipeline", "every_stage"}
    for name in FUNCTIONS:
        expected = "Never" if name in SIDE_EFFECTS | CLOCK_BOUND else None
        expected = "PerSession" if name in per_session else expected
        assert registered[name].cache_policy == expected, name


@dataclass(frozen=True)
class CliFlags:
    """The arguments a function registers as its CLI verb's flags, and what each must be."""

    names: frozenset[str]
    required: frozenset[str] = frozenset()
    optional: frozenset[str] = frozenset()
    defaults: dict[str, str] = field(default_factory=dict)
    optional_secrets: tuple[str, ...] = ()
    secrets: tuple[str, ...] = ()


CLI_FLAGS = {
    "migrate": CliFlags(
        frozenset(
            {"environment", "source", "database_url", "heroku_api_key", "dry_run", "batch_size"}
            | {"dump"}
        ),
        required=frozenset({"environment"}),
        defaults={"dry_run": "false", "dump": "false"},
        optional_secrets=("database_url",),
    ),
    "rollback": CliFlags(
        frozenset(
            {"environment", "rollback_type", "reason", "source", "run_id", "database_url"}
            | {"heroku_api_key", "slack_webhook", "confirm", "to_release", "actor"}
        ),
        required=frozenset({"reason", "rollback_type"}),
        optional_secrets=("slack_webhook",),
    ),
    # deploy needs the key, and takes a reason to accept inconclusive gates
    "deploy": CliFlags(
        frozenset(
            {"environment", "heroku_api_key", "source", "accept_inconclusive", "slack_webhook"}
            | {"actor"}
        ),
        required=frozenset({"environment", "heroku_api_key"}),
        optional=frozenset({"actor"}),
        defaults={"accept_inconclusive": '""'},
        secrets=("heroku_api_key",),
    ),
    "promote": CliFlags(
        frozenset(
            {"to", "from", "heroku_api_key", "source", "force", "reason", "slack_webhook", "actor"}
        ),
        required=frozenset({"to"}),
        defaults={"from": '"staging"', "force": "false"},
    ),
}


@pytest.mark.parametrize("function", sorted(CLI_FLAGS))
def test_delivery_functions_take_the_cli_flags(
    registered: dict[str, FunctionDef], function: str
) -> None:
    expected = CLI_FLAGS[function]
    args = registered[function].args
    assert set(args) == expected.names
    for name in expected.required:
        assert not args[name].optional, name
    for name in expected.optional:
        assert args[name].optional, name
    for name, value in expected.defaults.items():
        assert args[name].default_value == value, name
    for name in expected.optional_secrets:
        chain = args[name].type_chain
        assert [call.field for call in chain][:2] == ["typeDef", "withOptional"], name
        assert chain[2].args == {"name": "Secret"}, name
    for name in expected.secrets:
        assert args[name].type_chain[-1].args == {"name": "Secret"}, name


def test_enums_register_their_members(registered_engine: FakeEngine) -> None:
    enums: dict[str, list[str]] = {}
    for chain in registered_engine.objects_named("typeDef"):
        if len(chain) > 1 and chain[1].field == "withEnum":
            members = [call.args["name"] for call in chain if call.field == "withEnumMember"]
            enums.setdefault(chain[1].args["name"], []).extend(members)
    assert enums["RollbackType"] == ["database", "application", "full"]
    assert enums["Environment"] == ["staging", "production"]


def test_pipeline_returns_a_directory_and_verdict_needs_the_reports(
    registered: dict[str, FunctionDef],
) -> None:
    assert registered["pipeline"].args["accept_inconclusive"].optional
    assert not registered["verdict"].args["reports"].optional


def test_dashboard_takes_the_cli_inputs(registered: dict[str, FunctionDef]) -> None:
    args = registered["dashboard"].args
    assert set(args) == {"history", "environment", "deployments", "pipeline_summary", "now"}
    assert not args["history"].optional
    assert all(args[name].optional for name in set(args) - {"history"})
    assert [call.field for call in args["environment"].type_chain][:3] == [
        "typeDef",
        "withOptional",
        "withListOf",
    ]
    assert {"name": "File"} in [call.args for call in args["pipeline_summary"].type_chain]
    assert {"name": "Directory"} in [call.args for call in args["history"].type_chain]
