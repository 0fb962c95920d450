"""Alembic's script directory for the `entries` schema (env.py and versions/)."""
