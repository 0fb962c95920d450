"""Pytest fixtures of the real registry (tests/registry_server.py), registered as a plugin.

`registry` and `other_registry` are two independent `docker-registry` servers, each
with its own storage and password: a copy between repositories of one uses blob
mounts, a copy from one to the other has to move the bytes.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

import pytest

from tests.registry_server import LocalRegistry

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path


def _started(folder: Path, password: str) -> Iterator[LocalRegistry]:
    if not LocalRegistry.available():
        message = (
            "needs Debian's docker-registry: run scripts/setup (apt-get install docker-registry)"
        )
        if os.environ.get("CI"):
            pytest.fail(message)  # in CI a missing registry is a broken setup, not a skip
        pytest.skip(message)
    with LocalRegistry(folder, password) as server:
        yield server


@pytest.fixture
def registry(tmp_path: Path) -> Iterator[LocalRegistry]:
    """Give a running registry (basic auth: user `_`, password `registry.password`)."""
    yield from _started(tmp_path / "registry", "registry-key-0123456789abcdef")


@pytest.fixture
def other_registry(tmp_path: Path) -> Iterator[LocalRegistry]:
    """Give a second running registry, with its own storage and another password."""
    yield from _started(tmp_path / "other-registry", "other-registry-key-fedcba9876543210")
