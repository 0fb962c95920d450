"""Promotion against a real registry (docker-registry), the Heroku stand-in and the app's dynos."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

import pytest

from semaine.delivery.promotion import ForceWithoutReasonError, PromotionRequest, promote
from semaine.integrations.registry import RegistryClient, RegistrySettings
from semaine.integrations.retry import RETRY_POLICY
from tests.registry_proxy import RegistryProxy

if TYPE_CHECKING:
    from collections.abc import Iterator

    from semaine.records import DeploymentRecord
    from tests.integration.semaine.conftest import Stage
    from tests.registry_server import LocalRegistry, PushedImage

pytestmark = pytest.mark.integration
STAGING, PRODUCTION = "semaine-staging", "semaine-production"
FAST = replace(RETRY_POLICY, backoff_seconds=0.01, jitter_seconds=0)


def registry_client(url: str, key: str) -> RegistryClient:
    return RegistryClient(
        key, RegistrySettings(registry_url=url), policy=FAST, sleep=lambda _: None
    )


@pytest.fixture
def client(registry: LocalRegistry) -> Iterator[RegistryClient]:
    with registry_client(registry.url, registry.password) as client:
        yield client


def staging_runs(stage: Stage, registry: LocalRegistry) -> dict[str, PushedImage]:
    """Push staging's images and make them what staging runs (a release of both)."""
    pushed = {
        kind: registry.push_image(f"{STAGING}/{kind}", command=("python", "-m", "app", kind))
        for kind in ("web", "release")
    }
    images = {kind: image.config_digest for kind, image in pushed.items()}
    stage.heroku.releases.add(STAGING, images=images)
    return pushed


def request(stage: Stage, *, force: bool = False, reason: str | None = None) -> PromotionRequest:
    return PromotionRequest(
        stage.environment("staging"), stage.environment("production"), force, reason
    )


def production_patches(stage: Stage) -> list[object]:
    return [
        r.body
        for r in stage.heroku.api_requests("PATCH")
        if r.path.startswith(f"/apps/{PRODUCTION}")
    ]


def written(stage: Stage) -> list[DeploymentRecord]:
    from semaine.records import read_deployment_records  # noqa: PLC0415 - test-only use

    return read_deployment_records(stage.reports / "deployments")


def test_production_gets_exactly_what_staging_runs(
    stage: Stage, registry: LocalRegistry, client: RegistryClient
) -> None:
    pushed = staging_runs(stage, registry)

    record = promote(request(stage), client, stage.context())

    assert (record.kind, record.environment, record.outcome) == (
        "promote",
        "production",
        "succeeded",
    )
    assert (record.from_release, record.to_release) == ("v3", "v4")
    assert record.digest == pushed["web"].config_digest
    assert production_patches(stage) == [
        {
            "updates": [
                {"type": "release", "docker_image": pushed["release"].config_digest},
                {"type": "web", "docker_image": pushed["web"].config_digest},
            ]
        }
    ]
    for kind, image in pushed.items():
        assert client.config_digest(f"{PRODUCTION}/{kind}") == image.config_digest
        assert client.manifest(f"{PRODUCTION}/{kind}").digest == image.manifest_digest
    steps = [step.name for step in record.steps]
    assert steps[:5] == [
        "read what staging runs",
        "read staging's images",
        "read what production runs",
        "copy web image",
        "copy release image",
    ]
    assert steps[5:] == ["read the current release", "release", "release phase", "smoke test"]
    assert [r.kind for r in written(stage)] == ["promote"]
    assert stage.dynos.boots[-1] == ("v4", True)
    assert stage.heroku.violations == []
    formation = [r for r in stage.heroku.api_requests("GET") if r.path.endswith("/formation")]
    assert {r.headers["Accept"] for r in formation} == {
        "application/vnd.heroku+json; version=3.docker-releases"
    }
    assert any("2 mounted, 0 copied" in line for line in stage.said)


def test_an_image_staging_does_not_run_is_refused_before_any_change(
    stage: Stage, registry: LocalRegistry, client: RegistryClient
) -> None:
    staging_runs(stage, registry)
    newer = registry.push_image(f"{STAGING}/web", files={"app/hello.txt": b"pushed, not released"})

    record = promote(request(stage), client, stage.context())

    assert record.outcome == "refused"
    assert f"web {newer.config_digest[:19]} (staging runs sha256:" in record.detail
    assert "--force --reason" in record.detail
    assert production_patches(stage) == []
    assert not registry.has_blob(f"{PRODUCTION}/web", newer.config_digest)
    assert [r.outcome for r in written(stage)] == ["refused"]


def test_forced_with_a_reason_it_is_released_and_the_reason_recorded(
    stage: Stage, registry: LocalRegistry, client: RegistryClient
) -> None:
    staging_runs(stage, registry)
    newer = registry.push_image(f"{STAGING}/web", files={"app/hello.txt": b"hotfix"})
    why = "staging's database is down; hotfix verified locally"

    record = promote(request(stage, force=True, reason=why), client, stage.context())

    assert record.outcome == "succeeded"
    assert record.reason == why
    assert record.detail.startswith("forced past the check (web ")
    assert record.digest == newer.config_digest
    (patch,) = production_patches(stage)
    assert {"type": "web", "docker_image": newer.config_digest} in patch["updates"]  # type: ignore[index]
    assert f"reason: {why}" in (stage.reports / "deployments").glob("*.txt").__next__().read_text()


def test_force_without_a_reason_is_refused() -> None:
    with pytest.raises(ForceWithoutReasonError, match="--force needs --reason"):
        PromotionRequest(None, None, force=True, reason="  ")  # type: ignore[arg-type]


def test_what_production_already_runs_is_not_released_again(
    stage: Stage, registry: LocalRegistry, client: RegistryClient
) -> None:
    pushed = staging_runs(stage, registry)
    images = {kind: image.config_digest for kind, image in pushed.items()}
    stage.heroku.releases.add(PRODUCTION, images=images)

    record = promote(request(stage), client, stage.context())

    assert record.outcome == "succeeded"
    assert "production already runs these images" in record.detail
    assert production_patches(stage) == []


def test_an_oci_image_in_staging_is_refused_with_what_to_do(
    stage: Stage, registry: LocalRegistry, client: RegistryClient
) -> None:
    registry.push_image(f"{STAGING}/web", oci=True)
    registry.push_image(f"{STAGING}/release")

    record = promote(request(stage), client, stage.context())

    assert record.outcome == "refused"
    assert "is an OCI image manifest" in record.detail
    assert "DockerMediaTypes" in record.detail
    assert production_patches(stage) == []


def test_no_image_in_staging_says_deploy_staging_first(
    stage: Stage, client: RegistryClient
) -> None:
    record = promote(request(stage), client, stage.context())

    assert record.outcome == "refused"
    assert "no image semaine-staging/web:latest" in record.detail
    assert "dagger call deploy --environment staging" in record.detail


def test_a_wrong_registry_key_is_refused_and_never_written_down(
    stage: Stage, registry: LocalRegistry
) -> None:
    staging_runs(stage, registry)
    wrong = "not-the-key-0f9e8d7c"
    with registry_client(registry.url, wrong) as client:
        record = promote(request(stage), client, stage.context())

    assert record.outcome == "refused"
    assert "refused the API key (401)" in record.detail
    assert wrong not in (stage.reports / "deployments").glob("*.json").__next__().read_text()


def test_a_wrong_heroku_key_is_refused_before_the_registry_is_asked(
    stage: Stage, registry: LocalRegistry, client: RegistryClient
) -> None:
    staging_runs(stage, registry)

    record = promote(request(stage), client, stage.context(key="wrong-key-123456"))

    assert record.outcome == "refused"
    assert "Heroku refused the API key (401)" in record.detail
    assert [step.name for step in record.steps] == ["read what staging runs"]


def test_a_copy_that_fails_releases_nothing(stage: Stage, registry: LocalRegistry) -> None:
    pushed = staging_runs(stage, registry)
    with RegistryProxy(registry.url) as proxy:
        proxy.fail("PUT", f"/v2/{PRODUCTION}/release/manifests/", 500, times=10)
        with registry_client(proxy.url, registry.password) as client:
            record = promote(request(stage), client, stage.context())

    assert record.outcome == "failed"
    assert "nothing released in production" in record.detail
    assert "HTTP 500" in record.detail
    assert production_patches(stage) == []
    assert [s.outcome for s in record.steps][-1] == "failed"
    # The web image was copied before: running the promotion again finishes the job.
    with registry_client(registry.url, registry.password) as client:
        assert client.config_digest(f"{PRODUCTION}/web") == pushed["web"].config_digest
        again = promote(request(stage), client, stage.context())
    assert again.outcome == "succeeded"


def test_a_429_from_heroku_is_waited_out(
    stage: Stage, registry: LocalRegistry, client: RegistryClient
) -> None:
    staging_runs(stage, registry)
    stage.heroku.fail(STAGING, 429, times=2, headers={"RateLimit-Remaining": "0"})

    record = promote(request(stage), client, stage.context())

    assert record.outcome == "succeeded"
    assert len(stage.waits) >= 2
