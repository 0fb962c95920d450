import asyncio

import pytest

from app.config import Settings
from app.db.errors import DatabaseUnreachableError
from app.db.migrate import current_revision_async, head_revision
from app.db.pool import open_pool
from semaine.executors.local.ports import free_port

pytestmark = pytest.mark.integration


def test_open_pool_gives_ready_connections(database_url: str) -> None:
    settings = Settings(database_url=database_url, pool_min_size=2, pool_max_size=3)

    async def use() -> tuple[str | None, dict[str, int]]:
        pool = await open_pool(settings)
        try:
            async with pool.connection() as connection:
                revision = await current_revision_async(connection)
            return revision, pool.get_stats()
        finally:
            await pool.close()

    revision, stats = asyncio.run(use())

    assert revision == head_revision()
    assert stats["pool_max"] == 3
    assert stats["pool_min"] == 2


def test_open_pool_on_an_unreachable_database_says_where_not_the_password() -> None:
    port = free_port()
    settings = Settings(
        database_url=f"postgresql://app:s3cret-pw@127.0.0.1:{port}/semaine", pool_timeout=1.0
    )

    with pytest.raises(DatabaseUnreachableError) as raised:
        asyncio.run(open_pool(settings))

    message = str(raised.value)
    assert f"127.0.0.1:{port}/semaine" in message
    assert "no connection ready within 1s" in message
    assert "Connection refused" in message
    assert "s3cret-pw" not in message
