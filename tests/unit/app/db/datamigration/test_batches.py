from __future__ import annotations

import pytest
from psycopg import errors

from app.db.datamigration.batches import BatchSizer, run_ranges
from app.db.datamigration.errors import BatchFailedError
from app.db.datamigration.progress import Progress, SilentProgress


class Recorder(SilentProgress):
    def __init__(self) -> None:
        self.seen: list[Progress] = []

    def update(self, progress: Progress) -> None:
        self.seen.append(progress)


def test_ranges_cover_every_id_once_in_order() -> None:
    calls: list[tuple[int, int, int]] = []

    def step(batch_no: int, first: int, last: int) -> int:
        calls.append((batch_no, first, last))
        return last - first + 1

    stats = run_ranges(10, 35, BatchSizer(fixed=10), step, SilentProgress(), phase="t")

    assert calls == [(1, 10, 19), (2, 20, 29), (3, 30, 35)]
    assert (stats.batches, stats.rows, stats.widths) == (3, 26, [10, 10, 6])


def test_numbering_continues_from_a_checkpoint() -> None:
    numbers: list[int] = []

    def step(batch_no: int, _first: int, _last: int) -> int:
        numbers.append(batch_no)
        return 1

    run_ranges(1, 3, BatchSizer(fixed=1), step, SilentProgress(), phase="t", first_batch_no=8)
    assert numbers == [8, 9, 10]


def test_nothing_to_do_without_a_range() -> None:
    assert (
        run_ranges(None, None, BatchSizer(), lambda *_: 1, SilentProgress(), phase="t").batches == 0
    )


def test_lock_races_are_retried_narrower() -> None:
    failures = [errors.LockNotAvailable(), errors.DeadlockDetected()]
    widths: list[int] = []

    def step(_n: int, first: int, last: int) -> int:
        widths.append(last - first + 1)
        if failures:
            raise failures.pop(0)
        return 1

    stats = run_ranges(1, 100, BatchSizer(fixed=None, width=100), step, SilentProgress(), phase="t")

    assert widths[:3] == [100, 50, 25]
    assert stats.retries == 2


def test_a_persistent_lock_race_fails_the_batch() -> None:
    def step(_n: int, _f: int, _l: int) -> int:
        raise errors.LockNotAvailable

    with pytest.raises(BatchFailedError, match="LockNotAvailable"):
        run_ranges(1, 10, BatchSizer(), step, SilentProgress(), phase="t", retries=2)


def test_any_other_failure_fails_the_batch_with_its_range() -> None:
    def step(_n: int, _f: int, _l: int) -> int:
        msg = "boom"
        raise RuntimeError(msg)

    with pytest.raises(BatchFailedError) as raised:
        run_ranges(5, 9, BatchSizer(fixed=2), step, SilentProgress(), phase="t")
    assert (raised.value.batch_no, raised.value.first_id, raised.value.last_id) == (1, 5, 6)
    assert "RuntimeError: boom" in str(raised.value)


def test_the_width_follows_the_time_budget_within_bounds() -> None:
    sizer = BatchSizer(budget_seconds=0.2, width=1_000, maximum=50_000)
    sizer.observe(1_000, 0.1)
    assert sizer.width == 2_000
    sizer.observe(2_000, 0.0)
    assert sizer.width == 8_000  # at most x4 at once
    sizer.observe(8_000, 10.0)
    assert sizer.width == 2_000  # at most /4 at once
    fixed = BatchSizer(fixed=7)
    fixed.observe(7, 99.0)
    assert fixed.width == 7


def test_progress_is_reported_per_batch() -> None:
    progress = Recorder()
    ticks = iter(float(n) for n in range(100))
    run_ranges(
        1, 4, BatchSizer(fixed=2), lambda *_: 2, progress, phase="t", clock=lambda: next(ticks)
    )
    assert [p.fraction for p in progress.seen] == [0.5, 1.0]
    assert progress.seen[-1].rows_done == 4
