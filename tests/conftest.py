"""Shared fixtures: one throwaway PostgreSQL per session, databases cloned from templates.

Starting PostgreSQL and running the revisions is paid once per session: each revision
gets a template database, built the first time a test asks for it, and every test
gets its own `CREATE DATABASE ... TEMPLATE` clone (a file copy, milliseconds).

With `SEMAINE_TEST_POSTGRES_URL` set (an administrative URL), the tests use that
server instead of starting one: the Dagger test stage binds a PostgreSQL service.
Database names then carry the process id: pytest-xdist workers, and the test and e2e
stages of one pipeline run, share that server.
"""

from __future__ import annotations

import itertools
import os
import re
from collections.abc import Callable, Iterator

import pytest
from hypothesis import settings

from app.db.migrate import head_revision, upgrade
from semaine.executors.local.postgres import ThrowawayPostgres
from tests.servers import ExistingPostgres, PostgresServer

pytest_plugins = ["tests.standins.fixtures", "tests.registry_fixtures", "tests.browser"]

MakeDatabase = Callable[..., str]

# Timing belongs to bench/: hypothesis's default 200 ms deadline per example would fail
# property tests whenever a busy machine (coverage, a concurrent pipeline stage) pauses.
settings.register_profile("semaine", deadline=None)
settings.load_profile("semaine")

_counter = itertools.count(1)
_PREFIX = f"p{os.getpid()}"


class Templates:
    """Template databases, one per revision, built on first use."""

    def __init__(self, server: PostgresServer) -> None:
        self._server = server
        self._names: dict[str, str] = {}

    def name_for(self, revision: str) -> str:
        """Return the template database migrated to `revision`, building it if needed."""
        resolved = head_revision() if revision in {"head", "heads"} else revision
        if resolved not in self._names:
            name = f"template_{_PREFIX}_" + re.sub(r"[^a-z0-9_]", "_", resolved.lower())
            url = self._server.create_database(name)
            if resolved != "base":
                upgrade(url, resolved)
            self._names[resolved] = name
        return self._names[resolved]

    def drop_all(self) -> None:
        """Drop every template built (a shared server must not keep them)."""
        for name in self._names.values():
            self._server.drop_database(name)


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    """Give the session's PostgreSQL: the one named by the environment, else a throwaway."""
    existing = os.environ.get("SEMAINE_TEST_POSTGRES_URL")
    if existing:
        yield ExistingPostgres(existing)
        return
    with ThrowawayPostgres() as server:
        yield server


@pytest.fixture(scope="session")
def database_templates(postgres: PostgresServer) -> Iterator[Templates]:
    templates = Templates(postgres)
    yield templates
    templates.drop_all()


@pytest.fixture
def make_database(
    postgres: PostgresServer, database_templates: Templates
) -> Iterator[MakeDatabase]:
    """Give a factory of new databases at a revision (default head), returning URLs."""
    created: list[str] = []

    def make(revision: str = "head") -> str:
        template = database_templates.name_for(revision)
        name = f"test_{_PREFIX}_{next(_counter)}"
        url = postgres.create_database(name, template=template)
        created.append(name)
        return url

    yield make
    for name in created:
        postgres.drop_database(name)


def _shared_database(postgres: PostgresServer, templates: Templates, kind: str) -> Iterator[str]:
    name = f"{kind}_{_PREFIX}_{next(_counter)}"
    yield postgres.create_database(name, template=templates.name_for("head"))
    postgres.drop_database(name)


@pytest.fixture(scope="module")
def module_database_url(postgres: PostgresServer, database_templates: Templates) -> Iterator[str]:
    """Give the URL of a new database at head shared by one module's tests (read-only use)."""
    yield from _shared_database(postgres, database_templates, "module")


@pytest.fixture(scope="session")
def session_database_url(postgres: PostgresServer, database_templates: Templates) -> Iterator[str]:
    """Give the URL of a new database at head shared by every test asking (read-only use)."""
    yield from _shared_database(postgres, database_templates, "session")


@pytest.fixture
def database_url(make_database: MakeDatabase) -> str:
    """Give the URL of a new database migrated to head."""
    return make_database("head")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Start the slow tests first: xdist then fills the other workers around them."""
    # A stable sort keeps the collection order within each group.
    items.sort(key=lambda item: item.get_closest_marker("slow") is None)
