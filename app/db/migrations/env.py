"""Alembic environment: runs the revisions on the connection app.db.migrate hands over."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import context

from app.db.migrate import MIGRATION_LOCK_KEY

# A DDL statement waiting for its lock makes every later query on the table queue
# behind it; fail fast instead and let the release be retried.
_LOCK_TIMEOUT = "10s"


def run_migrations() -> None:
    """Run the revisions with one transaction per revision, one process at a time."""
    connection = context.config.attributes.get("connection")
    if not isinstance(connection, sa.Connection) or context.is_offline_mode():
        msg = "run the revisions with `python -m app db ...` (app.db.migrate), not alembic's CLI"
        raise TypeError(msg)
    # Two releases (or a release and a manual upgrade) must not interleave revisions;
    # the session lock goes away with the connection, whatever happens.
    connection.execute(sa.text("SELECT pg_advisory_lock(:key)"), {"key": MIGRATION_LOCK_KEY})
    connection.execute(sa.text(f"SET lock_timeout = '{_LOCK_TIMEOUT}'"))
    connection.commit()
    context.configure(
        connection=connection,
        # No target_metadata: a revision is frozen in time and names its constraints
        # itself; the declared schema's naming convention must not rename them.
        # Each revision commits on its own: when 0003_us16_contract refuses, the
        # database stays at 0002_us16_expand, which the US1.6 app runs against.
        transaction_per_migration=True,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations()
