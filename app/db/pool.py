"""The app's PostgreSQL connection pool (psycopg_pool, async)."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import psycopg
from psycopg_pool import AsyncConnectionPool, PoolTimeout

from app.db.errors import DatabaseUnreachableError
from app.redaction import scrub

if TYPE_CHECKING:
    from app.config import Settings

POOL_NAME = "semaine"


async def open_pool(settings: Settings) -> AsyncConnectionPool:
    """Open the pool and wait until its first connections are ready; raise if they are not."""
    pool = AsyncConnectionPool(
        settings.database_url,
        min_size=settings.pool_min_size,
        max_size=settings.pool_max_size,
        timeout=settings.pool_timeout,
        name=POOL_NAME,
        kwargs={"application_name": f"semaine-{settings.release.version}"},
        # A connection the server closed (restart, failover) is replaced, not handed out.
        check=AsyncConnectionPool.check_connection,
        open=False,
    )
    try:
        await pool.open(wait=True, timeout=settings.pool_timeout)
    except PoolTimeout:
        await pool.close()
        raise await _why_unreachable(settings) from None
    return pool


async def _why_unreachable(settings: Settings) -> DatabaseUnreachableError:
    # The pool's timeout does not say why; one direct attempt gets PostgreSQL's reason.
    parts = urlsplit(settings.database_url)
    target = f"{parts.hostname or 'the local socket'}:{parts.port or 5432}{parts.path}"
    reason = f"no connection ready within {settings.pool_timeout:g}s"
    try:
        connection = await psycopg.AsyncConnection.connect(
            settings.database_url, connect_timeout=max(2, int(settings.pool_timeout))
        )
    except psycopg.Error as error:
        detail = " ".join(line.strip() for line in str(error).splitlines() if line.strip())
        detail = scrub(detail, settings.database_url)
        reason = f"{reason} ({detail})"
    else:
        await connection.close()
    return DatabaseUnreachableError(target, reason)
