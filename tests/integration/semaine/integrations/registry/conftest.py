"""Registry clients for the real test registries, with a retry policy that never waits."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

import pytest

from semaine.integrations.registry import RegistryClient, RegistrySettings
from semaine.integrations.retry import RETRY_POLICY

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from tests.registry_server import LocalRegistry

NO_JITTER = replace(RETRY_POLICY, jitter_seconds=0)


@pytest.fixture
def waits() -> list[float]:
    """Collect the waits the retry policy asked for (none is slept)."""
    return []


@pytest.fixture
def client_for(waits: list[float]) -> Iterator[Callable[..., RegistryClient]]:
    """Give a factory: a RegistryClient for a URL and key (chunk size optional)."""
    made: list[RegistryClient] = []

    def make(url: str, key: str, chunk_bytes: int | None = None) -> RegistryClient:
        settings = RegistrySettings(registry_url=url)
        if chunk_bytes is not None:
            settings = replace(settings, chunk_bytes=chunk_bytes)
        made.append(RegistryClient(key, settings, policy=NO_JITTER, sleep=waits.append))
        return made[-1]

    yield make
    for client in made:
        client.close()


@pytest.fixture
def client(registry: LocalRegistry, client_for: Callable[..., RegistryClient]) -> RegistryClient:
    """Give a client of the `registry` fixture, logged in with its key."""
    return client_for(registry.url, registry.password)
