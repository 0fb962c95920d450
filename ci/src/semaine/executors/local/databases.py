"""Databases on a PostgreSQL server we administer: create, clone, drop, address."""

from __future__ import annotations

from urllib.parse import quote, urlsplit, urlunsplit

import psycopg
from psycopg import sql

from app.db.tls import require_tls


def database_url_on(server_url: str, name: str) -> str:
    """Return `server_url` pointed at database `name` (same host, user and options)."""
    parts = urlsplit(server_url)
    return urlunsplit(parts._replace(path="/" + quote(name, safe="")))


def create_database(server_url: str, name: str, template: str | None = None) -> str:
    """Create database `name` on the server of `server_url`; return its URL."""
    statement = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
    if template is not None:
        statement = sql.SQL("{} TEMPLATE {}").format(statement, sql.Identifier(template))
    with psycopg.connect(require_tls(server_url), autocommit=True) as connection:
        connection.execute(statement)
    return database_url_on(server_url, name)


def drop_database(server_url: str, name: str) -> None:
    """Drop database `name` on the server of `server_url`, disconnecting its sessions."""
    statement = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
    with psycopg.connect(require_tls(server_url), autocommit=True) as connection:
        connection.execute(statement)
