"""Databases on a PostgreSQL server we administer: create, clone, drop, address."""

from __future__ import annotations

from typing import Protocol
from urllib.parse import quote, urlsplit, urlunsplit

import psycopg
from psycopg import sql

DEFAULT_PORT = 5432


class PostgresServer(Protocol):
    """A PostgreSQL server on which we may create and drop databases."""

    @property
    def url(self) -> str:
        """The URL of the server's administrative database."""

    @property
    def port(self) -> int:
        """The TCP port the server listens on."""

    def database_url(self, name: str) -> str:
        """Return the URL of database `name` on this server."""

    def create_database(self, name: str, template: str | None = None) -> str:
        """Create database `name` (optionally cloned from `template`); return its URL."""

    def drop_database(self, name: str) -> None:
        """Drop database `name` if it exists, disconnecting its sessions."""


def database_url_on(server_url: str, name: str) -> str:
    """Return `server_url` pointed at database `name` (same host, user and options)."""
    parts = urlsplit(server_url)
    return urlunsplit(parts._replace(path="/" + quote(name, safe="")))


def create_database(server_url: str, name: str, template: str | None = None) -> str:
    """Create database `name` on the server of `server_url`; return its URL."""
    statement = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
    if template is not None:
        statement = sql.SQL("{} TEMPLATE {}").format(statement, sql.Identifier(template))
    with psycopg.connect(server_url, autocommit=True) as connection:
        connection.execute(statement)
    return database_url_on(server_url, name)


def drop_database(server_url: str, name: str) -> None:
    """Drop database `name` on the server of `server_url`, disconnecting its sessions."""
    statement = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
    with psycopg.connect(server_url, autocommit=True) as connection:
        connection.execute(statement)


class ExistingPostgres:
    """A server someone else runs (a CI service container), reached by an admin URL."""

    def __init__(self, url: str) -> None:
        self._url = url

    @property
    def url(self) -> str:
        """The administrative URL this server was given."""
        return self._url

    @property
    def port(self) -> int:
        """The TCP port of the URL (PostgreSQL's 5432 when the URL names none)."""
        return urlsplit(self._url).port or DEFAULT_PORT

    def database_url(self, name: str) -> str:
        """Return the URL of database `name` on this server."""
        return database_url_on(self._url, name)

    def create_database(self, name: str, template: str | None = None) -> str:
        """Create database `name` (optionally cloned from `template`); return its URL."""
        return create_database(self._url, name, template)

    def drop_database(self, name: str) -> None:
        """Drop database `name` if it exists, disconnecting its sessions."""
        drop_database(self._url, name)
