"""The database check on a real PostgreSQL: figures, limits, the week rule, timeouts."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

import psycopg
import pytest

from app.db.seed import seed_legacy_rows
from semaine.environments.monitoring import DatabaseLimits
from semaine.executors.local.ports import free_port
from semaine.monitoring.checks.database import DatabaseCheck

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from semaine.monitoring.checks.base import Measured
    from tests.conftest import MakeDatabase

pytestmark = pytest.mark.integration
UNUSED_URL = "http://127.0.0.1:9"
"""The database check asks no HTTP question."""


def check(measure: Callable[..., Measured], url: str, **limits: float) -> Measured:
    return measure(DatabaseCheck(DatabaseLimits(**limits)), UNUSED_URL, database_url=url)


def test_a_healthy_database_is_up_with_its_figures(
    database_url: str, measure: Callable[..., Measured]
) -> None:
    measured = check(measure, database_url)
    result = measured.result
    assert result.state == "up", result.detail
    assert result.figures["not_monday_rows"] == 0
    assert result.figures["entries_rows"] == 0
    assert result.figures["entries_bytes"] > 0
    assert 1 <= result.figures["connections"] <= result.figures["max_connections"]
    assert result.thresholds["not_monday_rows"] == 0
    assert measured.facts == {"schema_revision": "0003_us16_contract"}
    assert "pg_stat_statements is not installed" in result.detail


def test_rows_whose_week_is_not_a_monday_are_down(
    make_database: MakeDatabase, measure: Callable[..., Measured]
) -> None:
    url = make_database("0002_us16_expand")
    added = seed_legacy_rows(url, 7)
    result = check(measure, url).result
    assert result.state == "down"
    assert result.figures["not_monday_rows"] > 0
    assert result.figures["entries_rows"] == added
    assert result.detail.startswith("the data breaks the week rule: ")
    assert "rows whose week_start is not a Monday" in result.detail


def test_connections_over_the_limit_are_degraded(
    database_url: str, measure: Callable[..., Measured]
) -> None:
    result = check(measure, database_url, connections_percent=0.001).result
    assert result.state == "degraded"
    assert "connections in use, over 0.001 %" in result.detail


SLEEPER = "monitor-test-sleeper"
SLEEPING = "SELECT count(*) FROM pg_stat_activity WHERE application_name = %s AND state = 'active'"


@pytest.fixture
def long_query(database_url: str) -> Iterator[None]:
    """Keep a query running in another session until the test ends."""
    thread = threading.Thread(target=_sleep_until_cancelled, args=(database_url,), daemon=True)
    thread.start()
    with psycopg.connect(database_url, autocommit=True) as watcher:
        while watcher.execute(SLEEPING, (SLEEPER,)).fetchone() != (1,):
            assert thread.is_alive(), "the sleeping query ended early"
        yield
        watcher.execute(
            "SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE application_name = %s",
            (SLEEPER,),
        )
    thread.join(timeout=30)
    assert not thread.is_alive()


def _sleep_until_cancelled(url: str) -> None:
    with psycopg.connect(url, autocommit=True, application_name=SLEEPER) as connection:
        try:
            connection.execute("SELECT pg_sleep(600)")
        except psycopg.errors.QueryCanceled:
            return


@pytest.mark.usefixtures("long_query")
def test_a_long_running_query_is_degraded(
    database_url: str, measure: Callable[..., Measured]
) -> None:
    result = check(measure, database_url, longest_query_seconds=0.001).result
    assert result.state == "degraded"
    assert "a query has run" in result.detail
    assert result.figures["longest_query_seconds"] >= 0


def test_a_locked_table_is_down_at_the_statement_timeout(
    database_url: str, measure: Callable[..., Measured]
) -> None:
    with psycopg.connect(database_url) as locker:
        locker.execute("LOCK TABLE entries IN ACCESS EXCLUSIVE MODE")
        result = check(measure, database_url, statement_timeout_ms=100).result
        locker.rollback()
    assert result.state == "down"
    assert "a reading took longer than statement_timeout" in result.detail


def test_an_unreachable_database_is_down_without_its_password(
    measure: Callable[..., Measured],
) -> None:
    url = f"postgresql://monitor:s3cret-pw@127.0.0.1:{free_port()}/semaine"
    result = check(measure, url, connect_timeout_seconds=2).result
    assert result.state == "down"
    assert result.detail.startswith("cannot connect to PostgreSQL at 127.0.0.1:")
    assert "s3cret-pw" not in result.detail
