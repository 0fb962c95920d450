"""The database: declared schema, alembic revisions, connection pool."""
