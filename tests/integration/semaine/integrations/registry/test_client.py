"""The registry client against a real registry (distribution 2.8): manifests and errors."""

from __future__ import annotations

import base64
from typing import TYPE_CHECKING

import pytest

from semaine.executors.local.ports import LOOPBACK, free_port
from semaine.integrations.registry import (
    ImageNotFoundError,
    RegistryAuthenticationError,
    RegistryClient,
    RegistryRateLimitedError,
    RegistryUnexpectedResponseError,
    RegistryUnreachableError,
    UnsupportedManifestError,
)
from semaine.integrations.registry.errors import ForeignUploadLocationError
from tests.registry_proxy import RegistryProxy

if TYPE_CHECKING:
    from collections.abc import Callable

    from tests.registry_server import LocalRegistry


def test_the_config_digest_is_read_from_a_schema_2_manifest(
    registry: LocalRegistry, client: RegistryClient
) -> None:
    pushed = registry.push_image("semaine-staging/web")

    manifest = client.manifest("semaine-staging/web")

    assert client.config_digest("semaine-staging/web") == pushed.config_digest
    assert manifest.digest == pushed.manifest_digest
    assert manifest.config_digest != manifest.digest
    assert {blob.digest for blob in manifest.blobs} == set(pushed.blobs)
    assert client.config_digest("semaine-staging/web", pushed.manifest_digest) == (
        pushed.config_digest
    )


def test_an_oci_manifest_is_refused_with_what_to_do(
    registry: LocalRegistry, client: RegistryClient
) -> None:
    registry.push_image("semaine-staging/web", oci=True)

    with pytest.raises(UnsupportedManifestError) as caught:
        client.config_digest("semaine-staging/web")

    message = str(caught.value)
    assert "semaine-staging/web:latest is an OCI image manifest" in message
    assert "application/vnd.oci.image.manifest.v1+json" in message
    assert "Docker image manifest v2 schema 2 only" in message
    assert "DockerMediaTypes" in message
    assert "linux/amd64" in message


def test_a_manifest_list_is_refused_not_resolved_to_one_platform(
    registry: LocalRegistry, client: RegistryClient
) -> None:
    image = registry.push_image("semaine-staging/web")
    registry.push_manifest_list("semaine-staging/web", image, tag="multi")

    with pytest.raises(UnsupportedManifestError) as caught:
        client.config_digest("semaine-staging/web", "multi")

    assert "is a manifest list" in str(caught.value)
    assert "one linux/amd64 platform" in str(caught.value)


def test_a_wrong_key_is_a_401_that_says_what_to_do_and_never_shows_the_key(
    registry: LocalRegistry, client_for: Callable[..., RegistryClient]
) -> None:
    registry.push_image("semaine-staging/web")
    wrong = "wrong-key-5f3c9a1e"
    token = base64.b64encode(f"_:{wrong}".encode()).decode()

    with pytest.raises(RegistryAuthenticationError) as caught:
        client_for(registry.url, wrong).config_digest("semaine-staging/web")

    message = str(caught.value)
    assert "refused the API key (401)" in message
    assert "HEROKU_API_KEY" in message
    assert wrong not in message
    assert token not in message


def test_an_unknown_image_is_a_404_that_says_deploy_staging_first(
    client: RegistryClient,
) -> None:
    with pytest.raises(ImageNotFoundError) as caught:
        client.config_digest("semaine-staging/web")

    assert "no image semaine-staging/web:latest" in str(caught.value)
    assert "deploy" in str(caught.value)


def test_a_blob_test_says_present_or_absent(
    registry: LocalRegistry, client: RegistryClient
) -> None:
    pushed = registry.push_image("semaine-staging/web")

    assert client.has_blob("semaine-staging/web", pushed.config_digest)
    assert not client.has_blob("semaine-staging/release", pushed.config_digest)


def test_a_503_then_an_answer_is_retried_with_backoff(
    registry: LocalRegistry, client_for: Callable[..., RegistryClient], waits: list[float]
) -> None:
    pushed = registry.push_image("semaine-staging/web")
    with RegistryProxy(registry.url) as proxy:
        proxy.fail("GET", "/manifests/", 503, times=2)

        digest = client_for(proxy.url, registry.password).config_digest("semaine-staging/web")

    assert digest == pushed.config_digest
    assert waits == [1.0, 2.0]


def test_a_429_honours_retry_after_then_gives_up_with_a_clear_error(
    registry: LocalRegistry, client_for: Callable[..., RegistryClient], waits: list[float]
) -> None:
    registry.push_image("semaine-staging/web")
    with RegistryProxy(registry.url) as proxy:
        proxy.fail("GET", "/manifests/", 429, times=10, headers={"Retry-After": "3"})

        with pytest.raises(RegistryRateLimitedError) as caught:
            client_for(proxy.url, registry.password).config_digest("semaine-staging/web")

    assert waits == [3.0] * 4
    assert "after 5 attempts" in str(caught.value)


def test_a_lasting_5xx_is_an_unexpected_answer_after_the_retries(
    registry: LocalRegistry, client_for: Callable[..., RegistryClient], waits: list[float]
) -> None:
    with RegistryProxy(registry.url) as proxy:
        proxy.fail("GET", "/manifests/", 502, times=10)

        with pytest.raises(RegistryUnexpectedResponseError) as caught:
            client_for(proxy.url, registry.password).config_digest("semaine-staging/web")

    assert caught.value.status == 502
    assert len(waits) == 4


def test_an_unreachable_registry_names_the_setting(
    client_for: Callable[..., RegistryClient],
) -> None:
    nothing_listens = f"http://{LOOPBACK}:{free_port()}"
    with pytest.raises(RegistryUnreachableError) as caught:
        client_for(nothing_listens, "some-key-123").config_digest("semaine-staging/web")

    assert "HEROKU_REGISTRY_URL" in str(caught.value)


def test_an_upload_sent_to_another_host_is_refused_so_the_key_stays_home(
    registry: LocalRegistry, client_for: Callable[..., RegistryClient]
) -> None:
    with RegistryProxy(registry.url, keep_upstream_host=True) as proxy:
        client = client_for(proxy.url, registry.password)
        with pytest.raises(ForeignUploadLocationError) as caught:
            client.start_upload("semaine-production/web")

    assert "the API key is not sent there" in str(caught.value)
    assert registry.password not in str(caught.value)


def test_bad_names_never_reach_a_url(client: RegistryClient) -> None:
    with pytest.raises(ValueError, match="not a repository name"):
        client.manifest("../../v2/_catalog")
    with pytest.raises(ValueError, match="neither a tag nor a sha256 digest"):
        client.manifest("semaine-staging/web", "latest/../x")
