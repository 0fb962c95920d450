"""Dagger service builders: a throwaway PostgreSQL and the app served from the source."""

from __future__ import annotations

import dagger
from dagger import dag

from semaine.executors.dagger.containers import (
    APP_PORT,
    POSTGRES_IMAGE,
    RELEASE_COMMAND,
    SERVE_COMMAND,
    Step,
    toolchain,
    with_run,
)

DB_ALIAS = "db"
APP_ALIAS = "app"
POSTGRES_PORT = 5432
# A throwaway server that lives as long as the stage using it: its password is no secret.
_SERVER = f"postgresql://postgres:postgres@{DB_ALIAS}:{POSTGRES_PORT}"
# `db` is another container, not this machine: the app's rule (app.db.tls) wants TLS to
# it, so the server has it (Debian's snake-oil certificate) and every URL asks for it.
_TLS = "?sslmode=require"
POSTGRES_URL = f"{_SERVER}/postgres{_TLS}"
"""The admin database, for tools that create their own databases (the test fixtures)."""
DATABASE_URL = f"{_SERVER}/semaine{_TLS}"
"""The stage's own database, empty at start (created by the image's POSTGRES_DB)."""
SCRATCH_DATABASE_URL = f"{_SERVER}/scratch{_TLS}"
"""A second empty database of the stage's own (created by an init script)."""
TLS_SETTINGS = (
    ("ssl", "on"),
    # Made by Debian's ssl-cert package, which the postgres image's postgresql-common
    # depends on; readable by the postgres user (group ssl-cert).
    ("ssl_cert_file", "/etc/ssl/certs/ssl-cert-snakeoil.pem"),
    ("ssl_key_file", "/etc/ssl/private/ssl-cert-snakeoil.key"),
)
"""The server settings that turn TLS on in the throwaway PostgreSQL."""
APP_URL = f"http://{APP_ALIAS}:{APP_PORT}"

READY_TIMEOUT_SECONDS = 60
# Readiness: Dagger already waits for the exposed port; this also waits for a query to work.
_WAIT_FOR_POSTGRES = f"""
import sys, time
import psycopg
deadline = time.monotonic() + {READY_TIMEOUT_SECONDS}
while True:
    try:
        with psycopg.connect(sys.argv[1], connect_timeout=2) as connection:
            connection.execute("SELECT 1")
        break
    except psycopg.OperationalError as error:
        if time.monotonic() > deadline:
            sys.exit(f"PostgreSQL not ready after {READY_TIMEOUT_SECONDS} s: {{error}}")
        time.sleep(0.5)
"""


def postgres(instance: str, run_id: str | None = None) -> dagger.Service:
    """Return a fresh PostgreSQL server (one per `instance`, and per run when given one)."""
    return (
        dag.container()
        .from_(POSTGRES_IMAGE)
        .with_env_variable("POSTGRES_PASSWORD", "postgres")
        .with_env_variable("POSTGRES_DB", "semaine")
        .with_new_file("/docker-entrypoint-initdb.d/scratch.sql", "CREATE DATABASE scratch;\n")
        .with_env_variable("SEMAINE_INSTANCE", instance)
        .with_(with_run(run_id))
        .with_exposed_port(POSTGRES_PORT)
        .as_service(
            args=[
                "postgres",
                *("-c", "fsync=off", "-c", "full_page_writes=off"),
                *(word for key, value in TLS_SETTINGS for word in ("-c", f"{key}={value}")),
            ],
            use_entrypoint=True,
        )
    )


def with_database(service: dagger.Service) -> Step:
    """Bind a PostgreSQL service as `db`, point the tools at it, and wait until it answers."""

    def step(container: dagger.Container) -> dagger.Container:
        return (
            container.with_service_binding(DB_ALIAS, service)
            .with_env_variable("SEMAINE_TEST_POSTGRES_URL", POSTGRES_URL)
            .with_env_variable("DATABASE_URL", DATABASE_URL)
            .with_exec(["python", "-c", _WAIT_FOR_POSTGRES, POSTGRES_URL])
        )

    return step


def app(
    source: dagger.Directory, database: dagger.Service, run_id: str | None = None
) -> dagger.Service:
    """Return the app served from the source on the stage's PostgreSQL, schema at head.

    The stage binds the same `database` service: its steps (the load stage's seed) see
    the data the app serves, as with the local executor.
    """
    start = f"{' '.join(RELEASE_COMMAND)} && exec {' '.join(SERVE_COMMAND)}"
    return (
        toolchain(source)
        .with_(with_run(run_id))
        .with_(with_database(database))
        .with_env_variable("PORT", str(APP_PORT))
        .with_exposed_port(APP_PORT)
        .as_service(args=["sh", "-c", start])
    )


def with_app(service: dagger.Service) -> Step:
    """Bind the app service as `app`, and give its URL to the tools."""

    def step(container: dagger.Container) -> dagger.Container:
        return container.with_service_binding(APP_ALIAS, service).with_env_variable(
            "APP_URL", APP_URL
        )

    return step
