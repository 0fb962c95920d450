"""`semaine promote` and `semaine image-ids` end to end: a real registry, the Heroku stand-in."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pytest

from semaine.cli import main
from tests.inprocess import Completed, run_main
from tests.paths import ROOT
from tests.registry_server import LocalRegistry

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from tests.integration.semaine.conftest import Stage

pytestmark = pytest.mark.integration
STAGING = "semaine-staging"


@pytest.fixture
def shared_key_registry(stage: Stage, tmp_path: Path) -> Iterator[LocalRegistry]:
    """Give a registry whose password is the stand-in's API key, as Heroku's is."""
    if not LocalRegistry.available():
        pytest.skip("needs Debian's docker-registry")
    with LocalRegistry(tmp_path / "shared-registry", stage.heroku.api_key) as registry:
        yield registry


def semaine(stage: Stage, registry: LocalRegistry, *argv: str) -> Completed:
    environ = {
        "HEROKU_API_URL": stage.heroku.url,
        "HEROKU_REGISTRY_URL": registry.url,
        "SEMAINE_ENVIRONMENT_URL": stage.dynos.url,
        "HEROKU_API_KEY": stage.heroku.api_key,
        "GITHUB_ACTOR": "semaine-maintainers",
    }
    return run_main(main, [*argv, "--project-dir", str(ROOT)], environ)


def staging_runs(stage: Stage, registry: LocalRegistry) -> dict[str, str]:
    images = {
        kind: registry.push_image(f"{STAGING}/{kind}", command=(kind,)).config_digest
        for kind in ("web", "release")
    }
    stage.heroku.releases.add(STAGING, images=images)
    return images


def test_promote_releases_what_staging_runs_and_exits_0(
    stage: Stage, shared_key_registry: LocalRegistry
) -> None:
    staging_runs(stage, shared_key_registry)

    done = semaine(
        stage, shared_key_registry, "promote", "--to", "production",
        "--reports", str(stage.reports), "--actor", "octocat",
    )  # fmt: skip

    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("promote production: succeeded")
    assert "by octocat" in done.stdout
    assert "from v3 to v4" in done.stdout
    assert stage.heroku.api_key not in done.stdout + done.stderr


def test_promote_refuses_with_exit_2_what_staging_does_not_run(
    stage: Stage, shared_key_registry: LocalRegistry
) -> None:
    staging_runs(stage, shared_key_registry)
    shared_key_registry.push_image(f"{STAGING}/release", files={"new": b"not released"})

    done = semaine(
        stage, shared_key_registry, "promote", "--to", "production", "--reports", str(stage.reports)
    )

    assert done.returncode == 2
    assert "production would get images staging does not run: release" in done.stderr
    assert stage.heroku.api_requests("PATCH") == []


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (["--force"], "--force needs --reason"),
        (["--from", "production"], "--from and --to name the same environment"),
    ],
)
def test_promote_usage_refusals_exit_2(
    stage: Stage, shared_key_registry: LocalRegistry, argv: list[str], said: str
) -> None:
    done = semaine(stage, shared_key_registry, "promote", "--to", "production", *argv)

    assert done.returncode == 2
    assert said in done.stderr
    assert stage.heroku.api_requests() == []


def test_image_ids_prints_the_config_digests(
    stage: Stage, shared_key_registry: LocalRegistry
) -> None:
    images = staging_runs(stage, shared_key_registry)

    done = semaine(stage, shared_key_registry, "image-ids", "--environment", "staging")

    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == images


def test_image_ids_refuses_an_oci_image(stage: Stage, shared_key_registry: LocalRegistry) -> None:
    pushed = shared_key_registry.push_image(f"{STAGING}/web", oci=True)
    shared_key_registry.push_image(f"{STAGING}/release")

    done = semaine(
        stage, shared_key_registry, "image-ids", "--environment", "staging",
        "--web-manifest", pushed.manifest_digest,
    )  # fmt: skip

    assert done.returncode == 2
    assert f"semaine-staging/web@{pushed.manifest_digest} is an OCI image manifest" in done.stderr


@pytest.mark.parametrize("verb", ["promote", "image-ids"])
def test_help_names_every_exit_status(verb: str) -> None:
    done = run_main(main, [verb, "--help"])
    assert done.returncode == 0
    for status in ("0  ", "2  refused"):
        assert status in done.stdout
