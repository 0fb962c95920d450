"""The snapshot held while batches run: held, renewed, and harmless when it dies."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from app.db.datamigration.connection import APPLICATION_NAME, connect
from app.db.datamigration.horizon import PURPOSE, Horizon
from app.db.datamigration.runner import DataMigration, MigrationOptions

pytestmark = pytest.mark.integration

LegacyDatabase = Callable[..., str]
HOLDER = f"{APPLICATION_NAME}:{PURPOSE}"


def holders(url: str) -> list[dict[str, object]]:
    with connect(url) as conn:
        return conn.execute(
            "SELECT pid, state, backend_xmin::text AS xmin FROM pg_stat_activity"
            " WHERE datname = current_database() AND application_name = %s",
            (HOLDER,),
        ).fetchall()


def test_batches_run_under_a_held_snapshot_that_ends_with_them(
    legacy_database: LegacyDatabase,
) -> None:
    url = legacy_database(500, edges=False)
    seen: list[list[dict[str, object]]] = []

    def look(_batch_no: int, _first: int, _last: int) -> None:
        seen.append(holders(url))

    report = DataMigration(url, MigrationOptions("staging", batch_size=100), fault=look).migrate()

    assert report.status == "completed"
    assert len(seen) == 5
    assert all(len(found) == 1 for found in seen)
    assert all(f[0]["state"] == "idle in transaction" and f[0]["xmin"] for f in seen)
    assert holders(url) == []


def test_a_killed_holder_only_ends_the_optimisation(legacy_database: LegacyDatabase) -> None:
    url = legacy_database(500, edges=False)

    def kill_holder(batch_no: int, _first: int, _last: int) -> None:
        if batch_no == 2:
            with connect(url) as conn:
                conn.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    " WHERE application_name = %s",
                    (HOLDER,),
                )

    report = DataMigration(
        url, MigrationOptions("staging", batch_size=100), fault=kill_holder
    ).migrate()

    assert report.status == "completed", report.problems
    assert report.figures["rows_updated"] == 500
    assert holders(url) == []


def test_the_snapshot_is_renewed_when_due(legacy_database: LegacyDatabase) -> None:
    url = legacy_database(10, edges=False)
    ticks = iter([0.0, 10.0, 40.0, 40.0])
    with Horizon(url, renew_seconds=30.0, clock=lambda: next(ticks)) as horizon:
        (first,) = holders(url)
        with connect(url) as conn:  # a write: the next snapshot's xmin is later
            conn.execute("UPDATE public.entries SET minutes = minutes WHERE id = 1")
        horizon.renew_if_due()  # 10 s old: kept
        assert holders(url) == [first]
        horizon.renew_if_due()  # 40 s old: renewed
        (renewed,) = holders(url)

    assert renewed["pid"] == first["pid"]
    assert int(str(renewed["xmin"])) > int(str(first["xmin"]))
    assert holders(url) == []


def test_an_unreachable_database_only_means_no_snapshot() -> None:
    with Horizon("postgresql://nobody@127.0.0.1:1/none") as horizon:
        horizon.renew_if_due()  # no snapshot to renew: nothing happens, nothing raises
        assert horizon.around(lambda _n, first, last: last - first + 1)(1, 1, 10) == 10
