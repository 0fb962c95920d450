"""Hold the xmin horizon while batches run, so committed batches cost no inline index cleanup.

Each batch's UPDATE is not HOT (the pages are full), so every new row version also gets
an entry in `ix_entries_entry_date`. Once a batch commits, the versions it replaced are
dead to everyone, and PostgreSQL's bottom-up index deletion then scans the heap to purge
them each time a leaf page of that (unordered) index fills: measured +30 % CPU over the
same UPDATEs in one transaction. A REPEATABLE READ snapshot left open on its own
connection keeps those versions visible to someone, so the leaf pages simply split (as in
one big UPDATE) and the next VACUUM removes the dead entries in bulk (0.4 s per 1M rows).

It holds no lock and writes nothing. The price: VACUUM cannot reclaim rows that die while
it is held, so it is renewed every `RENEW_SECONDS` (a long run never pins the horizon
longer than that), and any failure of its connection only ends the optimisation.
"""

from __future__ import annotations

import contextlib
import time
from typing import TYPE_CHECKING, Self

from app.db.datamigration.connection import connect
from app.db.driver import driver_errors
from app.db.errors import DriverError

if TYPE_CHECKING:
    from collections.abc import Callable

    from app.db.datamigration.batches import Step
    from app.db.datamigration.connection import Connection

RENEW_SECONDS = 30.0
PURPOSE = "horizon"


class Horizon:
    """A read-only snapshot held open on its own connection while batches run."""

    def __init__(
        self,
        url: str,
        renew_seconds: float = RENEW_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._url = url
        self._renew_seconds = renew_seconds
        self._clock = clock
        self._conn: Connection | None = None
        self._since = 0.0

    def __enter__(self) -> Self:
        try:
            self._conn = connect(self._url, purpose=PURPOSE)
            with driver_errors(self._url):
                self._begin(self._conn)
        except DriverError:
            self._close()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._close()

    def around(self, step: Step) -> Step:
        """Return `step` renewing the snapshot first when it is due."""

        def renewing(batch_no: int, first: int, last: int) -> int:
            self.renew_if_due()
            return step(batch_no, first, last)

        return renewing

    def renew_if_due(self) -> None:
        """Commit the snapshot and take a new one once it is `renew_seconds` old."""
        if self._conn is None or self._clock() - self._since < self._renew_seconds:
            return
        try:
            with driver_errors(self._url):
                self._conn.execute("COMMIT")
                self._begin(self._conn)
        except DriverError:
            self._close()

    def _begin(self, conn: Connection) -> None:
        conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        conn.execute("SELECT 1")  # the snapshot is taken by the first statement
        self._since = self._clock()

    def _close(self) -> None:
        if self._conn is not None:
            with contextlib.suppress(DriverError), driver_errors(self._url):
                self._conn.close()
        self._conn = None
