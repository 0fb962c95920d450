"""Schema revisions, one file each; alembic reads them, nothing imports them."""
