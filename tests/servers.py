"""The PostgreSQL servers the tests run on: a throwaway one, or one named by the environment."""

from __future__ import annotations

from typing import Protocol
from urllib.parse import urlsplit

from semaine.executors.local.databases import create_database, database_url_on, drop_database

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
