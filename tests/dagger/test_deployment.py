"""deploy and promote: gates first, Docker schema 2 to Heroku's registry, the key a secret."""

from __future__ import annotations

import argparse
import json
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any

import anyio
import dagger
import pytest
from dagger import dag

from semaine.cli import build_parser
from semaine.executors.dagger import chains as executor
from semaine.executors.dagger import deployment
from semaine.integrations.registry import DEFAULT_REGISTRY_URL, REGISTRY_USER
from semaine.main import Environment, Semaine
from tests.paths import ROOT

if TYPE_CHECKING:
    from collections.abc import Callable

    from tests.dagger.conftest import Call, FakeEngine

MANIFEST = "sha256:" + "a" * 64
WEB_ID, RELEASE_ID = "sha256:" + "b" * 64, "sha256:" + "c" * 64


def app_then_ids() -> Callable[[dict[str, Any]], str]:
    """Answer stdout as the deploy reads it: the app's name first, then `image-ids`' JSON."""
    answers = iter(["semaine-staging\n", json.dumps({"web": WEB_ID, "release": RELEASE_ID})])
    return lambda _args: next(answers, "")


def export_for_real(args: dict[str, Any]) -> str:
    """Answer File.export / Directory.export the way the module runtime would see it."""
    target = Path(args["path"])
    if target.name == "pyproject.toml":
        shutil.copy(ROOT / "pyproject.toml", target)
    else:
        target.mkdir(parents=True, exist_ok=True)
    return str(args["path"])


@pytest.fixture
def source(engine: FakeEngine) -> dagger.Directory:
    engine.answer("File.export", export_for_real)
    engine.answer("Directory.export", export_for_real)
    engine.answer("Container.stdout", "semaine-staging\n")
    engine.answer("Container.publish", lambda args: f"{args['address']}@{MANIFEST}")
    return dag.host().directory("/repo")


def publishes(engine: FakeEngine) -> list[list[Call]]:
    return [chain for chain in engine.chains if chain and chain[-1].field == "publish"]


def verb_exec(engine: FakeEngine) -> list[str]:
    chains = [chain for chain in engine.chains if chain[-1].field == "exitCode"]
    return [call.args["args"] for call in chains[-1] if call.field == "withExec"][-1]


def files_of(engine: FakeEngine, folder: dagger.Directory) -> dict[str, str]:
    return {args["path"]: args["contents"] for args in engine.calls(folder, "withNewFile")}


def test_the_registry_host_is_the_clients_default() -> None:
    assert f"https://{deployment.HEROKU_REGISTRY_HOST}" == DEFAULT_REGISTRY_URL
    assert deployment.REGISTRY_USER == REGISTRY_USER


def test_publish_sends_docker_schema_2_gzip_one_platform_with_the_key_as_a_secret(
    engine: FakeEngine, source: dagger.Directory
) -> None:
    key = dag.secret("env://HEROKU_API_KEY")
    address = deployment.image_address("semaine-staging", "web")

    digest = anyio.run(deployment.publish, deployment.production_image(source), address, key)

    assert digest == MANIFEST
    (chain,) = publishes(engine)
    (published,) = [call.args for call in chain if call.field == "publish"]
    assert published == {
        "address": "registry.heroku.com/semaine-staging/web",
        "mediaTypes": "DockerMediaTypes",
        "forcedCompression": "Gzip",
    }, "no platformVariants: a variant would make a manifest list"
    (auth,) = [call.args for call in chain if call.field == "withRegistryAuth"]
    assert (auth["address"], auth["username"]) == ("registry.heroku.com", "_")
    assert engine.chain(auth["secret"])[-1].field == "secret"
    roots = [call.args for call in chain if call.field == "container"]
    assert roots == [{"platform": "linux/amd64"}]


def test_publish_without_a_digest_is_an_error(engine: FakeEngine, source: dagger.Directory) -> None:
    engine.answer("Container.publish", "registry.heroku.com/semaine-staging/web:latest")
    key = dag.secret("env://HEROKU_API_KEY")
    with pytest.raises(deployment.PublishError, match="without a sha256 digest"):
        anyio.run(deployment.publish, deployment.production_image(source), "registry/a/web", key)


def test_failing_gates_mean_no_publish_and_their_exit_status(
    engine: FakeEngine, source: dagger.Directory
) -> None:
    key = dag.secret("env://HEROKU_API_KEY")

    folder = anyio.run(
        lambda: Semaine().deploy(environment=Environment.staging, heroku_api_key=key, source=source)
    )

    assert publishes(engine) == []
    files = files_of(engine, folder)
    # The fake engine wrote no report: the gates cannot pass.
    assert files[executor.VERB_EXIT_STATUS] in {"1\n", "3\n"}
    assert files[executor.VERB_OUTPUT].startswith("no deploy: the gates say")
    assert [args["path"] for args in engine.calls(folder, "withDirectory")] == ["gates"]


def test_after_the_gates_both_images_are_published_then_released_by_image_id(
    engine: FakeEngine, source: dagger.Directory
) -> None:
    engine.answer("Container.stdout", app_then_ids())
    key = dag.secret("env://HEROKU_API_KEY")
    slack = dag.secret("env://SLACK_WEBHOOK_URL")
    secrets = {"heroku-api-key": key, "slack-webhook": slack}

    folder = anyio.run(
        lambda: deployment.publish_and_release(
            source, "staging", secrets, dag.directory(), actor="octocat"
        )
    )

    addresses = [call.args["address"] for chain in publishes(engine) for call in chain[-1:]]
    assert addresses == [
        "registry.heroku.com/semaine-staging/web",
        "registry.heroku.com/semaine-staging/release",
    ]
    ids = [chain for chain in engine.chains if "image-ids" in str(chain)]
    assert [call.args["args"] for call in ids[0] if call.field == "withExec"][-1][-9:] == [
        "image-ids",
        *("--environment", "staging"),
        *("--web-manifest", MANIFEST, "--release-manifest", MANIFEST),
        *("--heroku-api-key", "env://HEROKU_API_KEY"),
    ]
    assert verb_exec(engine) == [
        *executor.RUNNER,
        "semaine",
        "release",
        *("--environment", "staging"),
        *("--web-image", WEB_ID, "--release-image", RELEASE_ID),
        *("--actor", "octocat"),  # the record names who deployed: GITHUB_ACTOR stays outside
        *("--heroku-api-key", "env://HEROKU_API_KEY"),
        *("--slack-webhook", "env://SLACK_WEBHOOK"),
        *("--reports", executor.REPORTS_PATH),
    ]
    assert "gates" in [args["path"] for args in engine.calls(folder, "withDirectory")]


def test_image_ids_that_cannot_be_read_stop_before_the_release(
    engine: FakeEngine, source: dagger.Directory
) -> None:
    engine.answer("Container.exitCode", 2)
    engine.answer("Container.stderr", "semaine image-ids: semaine-staging/web:latest is an OCI")
    secrets = {"heroku-api-key": dag.secret("env://HEROKU_API_KEY")}

    folder = anyio.run(deployment.publish_and_release, source, "staging", secrets, dag.directory())

    (ids,) = [chain for chain in engine.chains if chain[-1].field == "exitCode"]
    assert "image-ids" in [call.args["args"] for call in ids if call.field == "withExec"][-1]
    files = files_of(engine, folder)
    assert files[executor.VERB_EXIT_STATUS] == "1\n"
    assert "is an OCI" in files[executor.VERB_OUTPUT]
    assert all(chain[-1].field != "exitCode" or chain is ids for chain in engine.chains)


def test_the_app_comes_from_the_environment_file_through_the_projects_loader(
    engine: FakeEngine, source: dagger.Directory
) -> None:
    app = anyio.run(deployment.heroku_app, source, "production")
    assert app == "semaine-staging"  # the fake's answer, stripped
    (chain,) = [chain for chain in engine.chains if chain[-1].field == "stdout"]
    argv = [call.args["args"] for call in chain if call.field == "withExec"][-1]
    assert argv[-1] == "production"
    assert "load_environment" in argv[-2]


def test_a_failed_publish_stops_before_the_release(
    engine: FakeEngine, source: dagger.Directory
) -> None:
    def refused(_args: dict[str, Any]) -> str:
        message = "401 Unauthorized"
        raise dagger.DaggerError(message)

    engine.answer("Container.publish", refused)
    secrets = {"heroku-api-key": dag.secret("env://HEROKU_API_KEY")}

    folder = anyio.run(deployment.publish_and_release, source, "staging", secrets, dag.directory())

    files = files_of(engine, folder)
    assert files[executor.VERB_EXIT_STATUS] == "1\n"
    assert "publishing to registry.heroku.com/semaine-staging failed" in files[executor.VERB_OUTPUT]
    assert not any(chain[-1].field == "exitCode" for chain in engine.chains)


def test_promote_runs_the_cli_with_its_flags_and_secrets(
    engine: FakeEngine, source: dagger.Directory
) -> None:
    key = dag.secret("env://HEROKU_API_KEY")

    anyio.run(
        lambda: Semaine().promote(
            to=Environment.production,
            heroku_api_key=key,
            source=source,
            force=True,
            reason="hotfix: staging is down",
            actor="octocat",
        )
    )

    assert verb_exec(engine) == [
        *executor.RUNNER,
        "semaine",
        "promote",
        *("--to", "production", "--from", "staging"),
        *("--force", "--reason", "hotfix: staging is down", "--actor", "octocat"),
        *("--heroku-api-key", "env://HEROKU_API_KEY"),
        *("--reports", executor.REPORTS_PATH),
    ]


CLI_ONLY = {"--help", "--reports", "--project-dir"}
"""Flags about the caller's filesystem: meaningless inside the function's container."""


def test_promote_flags_are_the_cli_flags(registered_engine: FakeEngine) -> None:
    parser = build_parser()
    (verbs,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]  # noqa: SLF001 - argparse offers no public walk
    cli = {
        option
        for action in verbs.choices["promote"]._actions  # noqa: SLF001
        for option in action.option_strings
        if option.startswith("--")
    }
    registered = registered_engine.function_defs()["promote"]
    dagger_flags = {f"--{arg.replace('_', '-')}" for arg in registered.args}
    assert dagger_flags - {"--source"} == cli - CLI_ONLY


def test_production_is_never_deployed_a_fresh_build(
    engine: FakeEngine, source: dagger.Directory
) -> None:
    key = dag.secret("env://HEROKU_API_KEY")
    with pytest.raises(ValueError, match="promote --to production"):
        anyio.run(
            lambda: Semaine().deploy(
                environment=Environment.production, heroku_api_key=key, source=source
            )
        )
    assert publishes(engine) == []
    assert not [chain for chain in engine.chains if chain[-1].field == "exitCode"]


def test_deploy_hands_the_actor_and_the_webhook_to_the_release(
    source: dagger.Directory, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Only the function's wiring is replaced here; the release's flags are checked above.
    handed: dict[str, Any] = {}

    async def record(*args: Any, **kwargs: Any) -> dagger.Directory:
        handed.update(args=args, kwargs=kwargs)
        return dag.directory()

    monkeypatch.setattr(deployment, "deploy", record)
    key, slack = dag.secret("env://HEROKU_API_KEY"), dag.secret("env://SLACK_WEBHOOK_URL")

    anyio.run(
        lambda: Semaine().deploy(
            environment=Environment.staging,
            heroku_api_key=key,
            source=source,
            slack_webhook=slack,
            actor="octocat",
        )
    )

    assert handed["args"][1:] == (
        "staging",
        {"heroku-api-key": key, "slack-webhook": slack},
        None,
    )
    assert handed["kwargs"] == {"actor": "octocat"}
