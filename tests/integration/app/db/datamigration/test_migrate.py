from __future__ import annotations

import datetime as dt
import random
import subprocess
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import psycopg
import pytest

from app.db import migrate as app_migrate
from app.db.datamigration import checkpoint
from app.db.datamigration.connection import Connection, connect
from app.db.datamigration.legacy import insert_legacy_rows, table_digest
from app.db.datamigration.lock import migration_lock
from app.db.datamigration.runner import DataMigration, MigrationOptions
from app.db.errors import QueryFailedError
from app.weeks import Week
from tests.legacy_weeks import legacy_week_start

if TYPE_CHECKING:
    from pathlib import Path

pytestmark = pytest.mark.integration

LegacyDatabase = Callable[..., str]


def migration(url: str, batch_size: int | None = None) -> DataMigration:
    return DataMigration(url, MigrationOptions("staging", batch_size=batch_size))


def batch_numbers(conn: Connection, run_id: str) -> list[int]:
    rows = conn.execute(
        "SELECT batch_no FROM semaine_migration.batches WHERE run_id = %s ORDER BY batch_no",
        (run_id,),
    ).fetchall()
    return [int(r["batch_no"]) for r in rows]


def all_rows(url: str) -> list[dict[str, Any]]:
    with connect(url) as conn:
        return conn.execute("SELECT * FROM public.entries ORDER BY id").fetchall()


def test_every_calendar_edge_gets_its_iso_week(
    make_database: Callable[[str], str], insert_edges: Callable[[str], int]
) -> None:
    url = make_database("0001_legacy")
    insert_edges(url)
    with connect(url) as conn:
        insert_legacy_rows(conn, 3_000)
    app_migrate.upgrade(url, "0002_us16_expand")
    before = all_rows(url)
    assert all(r["week_start"] == legacy_week_start(r["entry_date"]) for r in before)
    assert {r["entry_date"].weekday() for r in before} == set(range(7))

    report = migration(url).migrate()

    assert report.status == "completed"
    after = all_rows(url)
    assert len(after) == len(before)
    for row in after:
        week = Week.from_date(row["entry_date"])
        assert (row["week_start"], row["iso_year"], row["iso_week"]) == (
            week.monday,
            week.iso_year,
            week.iso_week,
        )
    untouched = ("id", "entry_date", "title", "minutes", "created_at", "updated_at")
    assert [[r[c] for c in untouched] for r in after] == [[r[c] for c in untouched] for r in before]
    # 53-week years and ISO years that differ from the calendar year are all there.
    assert {(r["iso_year"], r["iso_week"]) for r in after} >= {(2020, 53), (2026, 53), (2025, 1)}
    app_migrate.upgrade(url, "head")  # 0003_us16_contract accepts the migrated data


def test_a_completed_run_started_again_does_nothing(legacy_database: LegacyDatabase) -> None:
    url = legacy_database(500)
    first = migration(url).migrate()
    with connect(url) as conn:
        digest = table_digest(conn)

    again = migration(url).migrate()

    assert (first.status, again.status) == ("completed", "nothing_to_do")
    assert again.run_id == first.run_id
    with connect(url) as conn:
        assert table_digest(conn) == digest
        assert conn.execute("SELECT count(*) AS n FROM semaine_migration.runs").fetchone() == {
            "n": 1
        }


def test_an_interrupted_run_resumes_from_its_checkpoint(legacy_database: LegacyDatabase) -> None:
    url = legacy_database(1_000, edges=False)
    stop_at = random.randint(2, 9)  # noqa: S311 - a test's random batch, not cryptography

    class Interrupted(BaseException):
        pass

    def interrupt(batch_no: int, _first: int, _last: int) -> None:
        if batch_no == stop_at:
            raise Interrupted

    with pytest.raises(Interrupted):
        DataMigration(url, MigrationOptions("staging", batch_size=100), fault=interrupt).migrate()
    with connect(url) as conn:
        run = checkpoint.latest(conn, (checkpoint.MIGRATING,))
        assert run is not None
        assert run.batches_done == stop_at - 1
        assert run.min_id is not None
        assert run.checkpoint_id == run.min_id + (stop_at - 1) * 100 - 1

    resumed = migration(url, batch_size=100).migrate()

    assert resumed.status == "completed"
    assert resumed.figures["resumed"] is True
    assert resumed.figures["rows_updated"] == 1_000
    with connect(url) as conn:
        assert batch_numbers(conn, resumed.run_id or "") == list(range(1, 11))


class ServiceWriter(threading.Thread):
    """Write like the US1.6 service (Monday week_start, ISO fields, updated_at = now())."""

    def __init__(self, url: str, ids: list[int]) -> None:
        super().__init__()
        self.url = url
        self.ids = ids
        self.written: dict[int, str] = {}
        self.inserted: list[int] = []
        self.stop = threading.Event()
        self.errors: list[BaseException] = []
        self.rng = random.Random(16)  # noqa: S311 - reproducible test data

    def run(self) -> None:
        try:
            with psycopg.connect(self.url, autocommit=True) as conn:
                n = 0
                while not self.stop.is_set() or n < 50:
                    n += 1
                    self.write(conn, n)
        except BaseException as error:  # noqa: BLE001 - re-raised in the test's thread
            self.errors.append(error)

    def write(self, conn: psycopg.Connection[tuple[object, ...]], n: int) -> None:
        day = dt.date(2000, 1, 1) + dt.timedelta(days=self.rng.randrange(15_000))
        week = Week.from_date(day)
        values = (day, week.monday, week.iso_year, week.iso_week)
        if n % 3 == 0:
            row = conn.execute(
                "INSERT INTO public.entries (entry_date, title, minutes, week_start,"
                " iso_year, iso_week, created_at, updated_at)"
                " VALUES (%s, 'new', 5, %s, %s, %s, now(), now()) RETURNING id",
                values,
            ).fetchone()
            assert row is not None
            self.inserted.append(int(str(row[0])))
            return
        target = self.rng.choice(self.ids)
        title = f"service write {n}"
        conn.execute(
            "UPDATE public.entries SET entry_date = %s, week_start = %s,"
            " iso_year = %s, iso_week = %s, title = %s, updated_at = now() WHERE id = %s",
            (*values, title, target),
        )
        self.written[target] = title


def test_concurrent_service_writes_are_kept(legacy_database: LegacyDatabase) -> None:
    url = legacy_database(3_000, edges=False)
    with connect(url) as conn:
        ids = [int(r["id"]) for r in conn.execute("SELECT id FROM public.entries").fetchall()]
    writer = ServiceWriter(url, ids)
    writer.start()
    try:
        report = migration(url, batch_size=50).migrate()
    finally:
        writer.stop.set()
        writer.join()

    assert not writer.errors
    assert report.status == "completed", report.problems
    rows = {r["id"]: r for r in all_rows(url)}
    assert len(rows) == 3_000 + len(writer.inserted)
    for row in rows.values():
        week = Week.from_date(row["entry_date"])
        assert (row["week_start"], row["iso_year"], row["iso_week"]) == (
            week.monday,
            week.iso_year,
            week.iso_week,
        )
    assert all(rows[i]["title"] == title for i, title in writer.written.items())  # no lost update

    undone = migration(url).rollback(report.run_id, "test")

    assert undone.status == "rolled_back", undone.problems
    # Writes before the backup are in the backup; those after it are kept as the service left them.
    kept = undone.figures["rows_kept_changed_by_service"]
    assert isinstance(kept, int)
    assert 0 < kept <= len(writer.written)
    after = {r["id"]: r for r in all_rows(url)}
    for i, title in writer.written.items():
        week = Week.from_date(after[i]["entry_date"])
        assert after[i]["title"] == title
        assert (after[i]["week_start"], after[i]["iso_week"]) == (week.monday, week.iso_week)
    untouched_by_service = set(ids) - set(writer.written)
    assert all(after[i]["iso_year"] is None for i in untouched_by_service)
    assert all(
        after[i]["week_start"] == legacy_week_start(after[i]["entry_date"])
        for i in untouched_by_service
    )


def test_a_schema_revision_waits_for_a_running_data_migration(
    make_database: Callable[[str], str],
) -> None:
    url = make_database(app_migrate.LEGACY_REVISION)
    # The revisions' connection gives up on any lock after 100 ms instead of waiting.
    impatient = f"{url}?options=-c%20lock_timeout%3D100"

    with migration_lock(url), pytest.raises(QueryFailedError, match="lock timeout") as refused:
        app_migrate.upgrade(impatient, app_migrate.EXPAND_REVISION)
    assert refused.value.sqlstate == "55P03"  # lock_not_available

    app_migrate.upgrade(impatient, app_migrate.EXPAND_REVISION)  # released: it goes through
    assert app_migrate.current_revision(url) == app_migrate.EXPAND_REVISION


def test_the_app_schema_diff_ignores_the_bookkeeping_schema(
    legacy_database: LegacyDatabase,
) -> None:
    url = legacy_database(200)
    assert migration(url).migrate().status == "completed"
    app_migrate.upgrade(url, "head")

    assert app_migrate.schema_diff(url) == []


def test_a_dump_is_taken_before_any_write_when_asked(
    legacy_database: LegacyDatabase, tmp_path: Path
) -> None:
    url = legacy_database(300, edges=False)
    dump = tmp_path / "dumps" / "entries.dump"

    report = DataMigration(url, MigrationOptions("staging", dump_path=dump)).migrate()

    assert report.status == "completed"
    assert "pg_dump" in report.phases
    listing = subprocess.run(
        ["pg_restore", "--list", str(dump)], capture_output=True, text=True, check=True
    ).stdout
    assert "TABLE DATA public entries" in listing
