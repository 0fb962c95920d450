"""A throwaway PostgreSQL for `serve --dev`: the pgserver wheel (a dev dependency), nothing else.

The service never imports the pipeline package (`semaine`): the CI's throwaway cluster
serves tests and stages, this one serves a developer's laptop. pgserver brings its own
PostgreSQL 16 binaries. Run as root, pgserver runs the server as a `pgserver` system
user that it creates, and opens traversal (o+x) of the directories above its binaries.
"""

from __future__ import annotations

import contextlib
import logging
import os
import shutil
import subprocess  # nosec B404 - only for the exception types pgserver raises
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from psycopg import sql

from app.db.driver import connected
from app.errors import ActionableError

if TYPE_CHECKING:
    from collections.abc import Iterator

_log = logging.getLogger(__name__)


class DevServerError(ActionableError):
    """The throwaway PostgreSQL of `serve --dev` could not start; the message says why."""


@contextlib.contextmanager
def throwaway_database(name: str) -> Iterator[str]:
    """Start a throwaway PostgreSQL with one empty database; yield its URL; remove it all."""
    try:
        from pgserver.postgres_server import get_server  # noqa: PLC0415 - dev dependency only
    except ImportError:
        msg = "serve --dev needs the dev dependencies (the pgserver wheel)"
        raise DevServerError(msg, "run `uv sync`") from None
    directory = Path(tempfile.mkdtemp(prefix="semaine-dev-"))
    _log.info("throwaway PostgreSQL: data directory %s/data", directory)
    if os.geteuid() == 0:
        _log.warning("running as root: pgserver runs PostgreSQL as its own `pgserver` user")
    try:
        server = get_server(directory / "data", cleanup_mode="delete")
    # pgserver reports a failed start by OSError, CalledProcessError or a bare assert.
    except (OSError, subprocess.SubprocessError, AssertionError) as error:
        shutil.rmtree(directory, ignore_errors=True)
        msg = f"the throwaway PostgreSQL did not start ({type(error).__name__}: {error})"
        raise DevServerError(msg) from None
    try:
        with connected(server.get_uri(), autocommit=True) as connection:
            connection.execute(sql.SQL("create database {}").format(sql.Identifier(name)))
        yield server.get_uri(name)
    finally:
        server.cleanup()
        shutil.rmtree(directory, ignore_errors=True)
