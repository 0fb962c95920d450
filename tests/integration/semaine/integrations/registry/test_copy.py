"""Copying an image between repositories of one real registry (mount) and between two."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from semaine.integrations.registry import (
    ImageNotFoundError,
    RegistryClient,
    RegistryUnexpectedResponseError,
    Repository,
    copy_image,
)
from tests.registry_proxy import RegistryProxy

if TYPE_CHECKING:
    from collections.abc import Callable

    from tests.registry_server import LocalRegistry

STAGING, PRODUCTION = "semaine-staging/web", "semaine-production/web"


def test_a_copy_within_one_registry_mounts_every_blob(
    registry: LocalRegistry, client: RegistryClient
) -> None:
    pushed = registry.push_image(STAGING, noise_layers=(2048,))

    copy = copy_image(Repository(client, STAGING), Repository(client, PRODUCTION))

    assert (copy.mounted, copy.copied, copy.present) == (3, 0, 0)
    assert copy.copied_bytes == 0
    assert copy.config_digest == pushed.config_digest
    assert copy.manifest_digest == pushed.manifest_digest
    assert client.config_digest(PRODUCTION) == pushed.config_digest
    assert all(registry.has_blob(PRODUCTION, digest) for digest in pushed.blobs)


def test_a_copy_between_registries_moves_the_bytes_and_verifies_them(
    registry: LocalRegistry,
    other_registry: LocalRegistry,
    client_for: Callable[..., RegistryClient],
) -> None:
    pushed = registry.push_image(STAGING, noise_layers=(5000, 300))
    source = client_for(registry.url, registry.password)
    target = client_for(other_registry.url, other_registry.password, chunk_bytes=1024)

    copy = copy_image(Repository(source, STAGING), Repository(target, PRODUCTION))

    assert (copy.mounted, copy.copied, copy.present) == (0, 4, 0)
    assert copy.copied_bytes == sum(len(blob) for blob in pushed.blobs.values())
    assert target.config_digest(PRODUCTION) == pushed.config_digest
    assert target.manifest(PRODUCTION).digest == pushed.manifest_digest
    assert all(other_registry.has_blob(PRODUCTION, digest) for digest in pushed.blobs)


def test_big_blobs_go_in_chunks_small_ones_in_one_request(
    registry: LocalRegistry,
    other_registry: LocalRegistry,
    client_for: Callable[..., RegistryClient],
) -> None:
    pushed = registry.push_image(STAGING, noise_layers=(5000,))
    big = [digest for digest, blob in pushed.blobs.items() if len(blob) > 1024]
    source = client_for(registry.url, registry.password)
    with RegistryProxy(other_registry.url) as proxy:
        target = client_for(proxy.url, other_registry.password, chunk_bytes=1024)
        copy_image(Repository(source, STAGING), Repository(target, PRODUCTION))

    patches = [path for method, path in proxy.requests if method == "PATCH"]
    puts = [path for method, path in proxy.requests if method == "PUT" and "uploads" in path]
    assert len(big) == 1
    size = len(pushed.blobs[big[0]])
    assert len(patches) == -(-size // 1024)
    assert len(puts) == len(pushed.blobs)


def test_a_copy_stopped_halfway_leaves_no_image_and_a_second_run_finishes_it(
    registry: LocalRegistry,
    other_registry: LocalRegistry,
    client_for: Callable[..., RegistryClient],
) -> None:
    pushed = registry.push_image(STAGING, noise_layers=(3000, 200))
    source = client_for(registry.url, registry.password)
    with RegistryProxy(other_registry.url) as proxy:
        target = client_for(proxy.url, other_registry.password)
        first = Repository(target, PRODUCTION)
        # The second blob's upload cannot start: a POST is not retried on a 5xx.
        proxy.fail("POST", "/blobs/uploads/", 500, after=1)
        with pytest.raises(RegistryUnexpectedResponseError):
            copy_image(Repository(source, STAGING), first)

        with pytest.raises(ImageNotFoundError):
            target.manifest(PRODUCTION)
        again = copy_image(Repository(source, STAGING), first)

    assert again.config_digest == pushed.config_digest
    assert again.present + again.copied == len(pushed.blobs)


def test_copying_what_is_already_there_moves_nothing(
    registry: LocalRegistry, client: RegistryClient
) -> None:
    registry.push_image(STAGING)
    copy_image(Repository(client, STAGING), Repository(client, PRODUCTION))

    again = copy_image(Repository(client, STAGING), Repository(client, PRODUCTION))

    assert (again.mounted, again.copied, again.present) == (0, 0, 2)
