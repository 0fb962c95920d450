"""The app served on a free loopback port, from synchronous test code."""

from __future__ import annotations

from contextlib import contextmanager
from typing import TYPE_CHECKING

from anyio.from_thread import start_blocking_portal

from semaine.executors.local.app_server import served_app

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path


@contextmanager
def served_app_blocking(project_dir: Path, database_url: str, log_path: Path) -> Iterator[str]:
    """Serve the app as the local executor does (`served_app`); yield its base URL."""
    with (
        start_blocking_portal() as portal,
        portal.wrap_async_context_manager(served_app(project_dir, database_url, log_path)) as url,
    ):
        yield url
