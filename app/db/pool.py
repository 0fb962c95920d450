"""The app's PostgreSQL connection pool (psycopg_pool, async)."""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, Any

import psycopg
from psycopg_pool import AsyncConnectionPool, PoolTimeout

from app.db.driver import driver_errors, target
from app.db.errors import DatabaseUnreachableError
from app.db.tls import require_tls

if TYPE_CHECKING:
    from collections.abc import AsyncIterator

    from app.config import Settings

POOL_NAME = "semaine"


async def open_pool(settings: Settings) -> AsyncConnectionPool:
    """Open the pool and wait until its first connections are ready; raise if they are not."""
    with driver_errors(settings.database_url, connecting=True):
        conninfo = require_tls(settings.database_url)
    pool = AsyncConnectionPool(
        conninfo,
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
        async with driver_errors(settings.database_url, connecting=True):
            await pool.open(wait=True, timeout=settings.pool_timeout)
    except DatabaseUnreachableError:
        await pool.close()
        raise await _why_unreachable(settings) from None
    return pool


async def _why_unreachable(settings: Settings) -> DatabaseUnreachableError:
    # The pool's timeout does not say why; one direct attempt gets PostgreSQL's reason.
    url = settings.database_url
    waited = f"no connection ready within {settings.pool_timeout:g}s"
    try:
        async with driver_errors(url, connecting=True):
            probe = await psycopg.AsyncConnection.connect(
                require_tls(url), connect_timeout=max(2, int(settings.pool_timeout))
            )
    except DatabaseUnreachableError as why:
        return DatabaseUnreachableError(
            why.target, f"{waited} ({why.reason})", driver_class=why.driver_class
        )
    await probe.close()
    return DatabaseUnreachableError(target(url), waited, driver_class=PoolTimeout.__name__)


@contextlib.asynccontextmanager
async def connection(
    pool: AsyncConnectionPool[Any], wait_seconds: float | None = None
) -> AsyncIterator[psycopg.AsyncConnection[Any]]:
    """Lend a connection of `pool` (waiting up to `wait_seconds`), inside the driver boundary.

    The routes then see the app's errors (app.db.errors.DriverError), never psycopg's.
    """
    url = pool.conninfo if isinstance(pool.conninfo, str) else ""
    async with driver_errors(url), pool.connection(timeout=wait_seconds) as lent:
        yield lent
