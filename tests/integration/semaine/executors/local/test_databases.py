"""An existing server (a CI service container) administered through its URL."""

from __future__ import annotations

import psycopg
import pytest

from semaine.executors.local.databases import database_url_on
from tests.servers import ExistingPostgres, PostgresServer

pytestmark = pytest.mark.integration


def test_database_url_keeps_credentials_host_and_options() -> None:
    url = database_url_on("postgresql://u:p@db:5432/postgres?sslmode=disable", "test 1")
    assert url == "postgresql://u:p@db:5432/test%201?sslmode=disable"


def test_the_port_comes_from_the_url() -> None:
    assert ExistingPostgres("postgresql://u:p@db:6543/postgres").port == 6543
    assert ExistingPostgres("postgresql://u:p@db/postgres").port == 5432


def test_an_existing_server_creates_clones_and_drops_databases(postgres: PostgresServer) -> None:
    server = ExistingPostgres(postgres.url)
    assert server.port == postgres.port
    template_url = server.create_database("template_x")
    with psycopg.connect(template_url, autocommit=True) as connection:
        connection.execute("CREATE TABLE marker (value int)")
        connection.execute("INSERT INTO marker VALUES (42)")

    clone_url = server.create_database("clone_x", template="template_x")
    with psycopg.connect(clone_url) as connection:
        row = connection.execute("SELECT value FROM marker").fetchone()
    assert row == (42,)

    server.drop_database("clone_x")
    with psycopg.connect(server.url) as connection:
        names = {r[0] for r in connection.execute("SELECT datname FROM pg_database")}
    assert "clone_x" not in names
    assert "template_x" in names
    server.drop_database("template_x")
