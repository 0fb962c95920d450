"""Benchmark the US1.6 data migration against the set-based ceiling, fairly and repeatedly.

    uv run python bench/data_migration.py [--rows 1000000] [--small-rows 10000]
                                          [--trials 3] [--budget 0.4] [--fast]

Starts a throwaway PostgreSQL (durable settings unless --fast: fsync, synchronous_commit
and full_page_writes on, as in production), builds a template at 0002_us16_expand with
legacy rows at every calendar edge (VACUUM ANALYZE, CHECKPOINT), then:

- migrates `--small-rows` rows `--trials` times (target <= 0.5 s);
- runs `--trials` trials over `--rows` rows, alternating which side goes first (odd
  trials: ceiling first). Each side starts the same way, on a fresh clone of the
  template (CREATE DATABASE ... TEMPLATE, so the same VACUUM/ANALYZE state):
  * ceiling: CHECKPOINT + prewarm, the backup (the migration's own code, so the server
    holds the same extra table), CHECKPOINT + prewarm, then ONE set-based UPDATE of every
    row (the migration's own statement over the whole id range, one transaction);
  * migration: CHECKPOINT + prewarm, `semaine migrate`'s code (preflight, backup,
    batches, validation) where the bench's progress sink does CHECKPOINT + prewarm when
    the batches phase is announced, before its clock starts; then CHECKPOINT + prewarm
    and the rollback.
  "Prewarm" loads entries and its two indexes into shared buffers (pg_prewarm).
- The throughput ratio compares like for like: the same rows rewritten by the batches
  phase (UPDATE + checkpoint per batch + commits) against the one UPDATE; the end-to-end
  ratio divides the ceiling by the whole run (preflight, backup, batches, validation;
  the bench's own CHECKPOINT before the batches is excluded, reported apart).
- Each side also records its backend's CPU seconds (from /proc) and the checkpoints
  and autovacuums that happened during its measured phase: the
  machine is shared, the CPU time is less sensitive to other jobs than the wall time.

Prints every trial and the medians and writes bench/results/data_migration.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from app.db.datamigration import backup, sqlfiles
from app.db.datamigration.connection import APPLICATION_NAME, Connection, connect
from app.db.datamigration.legacy import insert_legacy_rows
from app.db.datamigration.runner import DataMigration, MigrationOptions
from app.db.migrate import upgrade
from semaine.executors.local.postgres import ThrowawayPostgres

if TYPE_CHECKING:
    from app.db.datamigration.progress import Progress

RESULTS = Path(__file__).with_name("results") / "data_migration.json"
DURABLE = {"fsync": "on", "synchronous_commit": "on", "full_page_writes": "on"}
RELATIONS = ("public.entries", "public.pk_entries", "public.ix_entries_entry_date")
COUNTERS = (
    "SELECT (SELECT checkpoints_timed + checkpoints_req FROM pg_stat_bgwriter) AS checkpoints,"
    " coalesce(sum(autovacuum_count + autoanalyze_count), 0) AS autovacuums"
    " FROM pg_stat_user_tables WHERE relid = 'public.entries'::regclass"
)


@dataclass
class Side:
    """One measured phase: wall and backend CPU seconds, and what the server did meanwhile."""

    seconds: float = 0.0
    cpu_seconds: float | None = None
    counters: dict[str, int] = field(default_factory=dict)


def prepare(url: str) -> float:
    """CHECKPOINT and load the table and its indexes into shared buffers; return seconds."""
    began = time.perf_counter()
    with connect(url) as conn:
        conn.execute("CHECKPOINT")
        for relation in RELATIONS:
            conn.execute("SELECT pg_prewarm(%s)", (relation,))
    return time.perf_counter() - began


def counters(conn: Connection) -> dict[str, int]:
    """Checkpoints so far (server-wide) and autovacuums/autoanalyzes of this clone's entries."""
    conn.execute("SELECT pg_stat_clear_snapshot()")
    row = conn.execute(COUNTERS).fetchone()
    return {k: int(v) for k, v in (row or {}).items()}


def delta(before: dict[str, int], after: dict[str, int]) -> dict[str, int]:
    """Return what happened between two readings of `counters`."""
    return {k: after[k] - before[k] for k in after}


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU seconds of a local process (None when /proc is not readable)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text("ascii").rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def minus(end: float | None, start: float | None) -> float | None:
    """Return end - start, unknown if either is."""
    return None if end is None or start is None else end - start


class BatchPhaseProbe:
    """A progress sink that prepares the server before the batches and measures that phase."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.prepare_seconds = 0.0
        self.side = Side()
        self._conn: Connection | None = None
        self._pid = 0
        self._cpu: float | None = None
        self._counters: dict[str, int] = {}

    def phase(self, name: str) -> None:
        """Before the batches: CHECKPOINT + prewarm and first readings; after: last readings."""
        if name == "batches":
            self.prepare_seconds = prepare(self.url)
            self._conn = connect(self.url, purpose="bench")
            row = self._conn.execute(
                "SELECT pid FROM pg_stat_activity"
                " WHERE datname = current_database() AND application_name = %s",
                (f"{APPLICATION_NAME}:work",),
            ).fetchone()
            self._pid = int(row["pid"]) if row else 0
            self._counters = counters(self._conn)
            self._cpu = cpu_seconds(self._pid)
        elif self._conn is not None:
            self.side.cpu_seconds = minus(cpu_seconds(self._pid), self._cpu)
            self.side.counters = delta(self._counters, counters(self._conn))
            self._conn.close()
            self._conn = None

    def update(self, progress: Progress) -> None:
        """Ignore."""


def template(server: ThrowawayPostgres, name: str, rows: int) -> str:
    """Build a database at 0002_us16_expand with `rows` legacy rows; return its name."""
    url = server.create_database(name)
    upgrade(url, "0002_us16_expand")
    with connect(url) as conn:
        conn.execute("CREATE EXTENSION IF NOT EXISTS pg_prewarm")
        insert_legacy_rows(conn, rows)
        conn.execute("VACUUM ANALYZE public.entries")
        conn.execute("CHECKPOINT")
    return name


def ceiling(server: ThrowawayPostgres, source: str, name: str) -> Side:
    """Time one set-based UPDATE of every legacy row, after the same backup and preparation."""
    url = server.create_database(name, template=source)
    prepare(url)
    with connect(url) as conn:
        backup.take_backup(conn, "bench", backup.new_run_id())
    prepare(url)
    side = Side()
    with connect(url) as conn:
        before, cpu = counters(conn), cpu_seconds(conn.info.backend_pid)
        began = time.perf_counter()
        with conn.transaction():
            conn.execute(sqlfiles.query("migrate_batch"), {"first_id": 1, "last_id": 2**62})
        side.seconds = time.perf_counter() - began
        side.cpu_seconds = minus(cpu_seconds(conn.info.backend_pid), cpu)
        side.counters = delta(before, counters(conn))
    server.drop_database(name)
    return side


def migrate(
    server: ThrowawayPostgres, source: str, name: str, budget: float
) -> tuple[dict[str, object], BatchPhaseProbe, dict[str, object]]:
    """Migrate a fresh clone with the real code, then roll it back; return both reports."""
    url = server.create_database(name, template=source)
    prepare(url)
    probe = BatchPhaseProbe(url)
    options = MigrationOptions("bench", batch_budget_seconds=budget)
    began = time.perf_counter()
    report = DataMigration(url, options, progress=probe).migrate()
    wall = time.perf_counter() - began
    assert report.status == "completed", report.problems  # noqa: S101 - a bench that failed must stop
    probe.side.seconds = report.phases["batches"]
    prepare(url)
    began = time.perf_counter()
    undone = DataMigration(url, options).rollback(None, "bench")
    rollback_wall = time.perf_counter() - began
    assert undone.status == "rolled_back", undone.problems  # noqa: S101 - as above
    server.drop_database(name)
    return (
        {"wall_seconds": wall, **report.to_json()},
        probe,
        {"wall_seconds": rollback_wall, **undone.to_json()},
    )


def trial(server: ThrowawayPostgres, source: str, number: int, budget: float) -> dict[str, object]:
    """One trial: both sides on identical clones, in the order the trial's parity gives."""
    ceiling_first = number % 2 == 1
    if ceiling_first:
        top = ceiling(server, source, f"bench_ceiling_{number}")
    migrated, probe, undone = migrate(server, source, f"bench_run_{number}", budget)
    if not ceiling_first:
        top = ceiling(server, source, f"bench_ceiling_{number}")
    phases = migrated["phases_seconds"]
    assert isinstance(phases, dict)  # noqa: S101 - the report's own shape
    batches = probe.side
    return {
        "order": "ceiling first" if ceiling_first else "migration first",
        "ceiling": asdict(top),
        "batches": asdict(batches),
        "bench_checkpoint_before_batches_seconds": probe.prepare_seconds,
        "ratio_batches": top.seconds / batches.seconds,
        "ratio_cpu": (
            top.cpu_seconds / batches.cpu_seconds
            if top.cpu_seconds and batches.cpu_seconds
            else None
        ),
        "ratio_end_to_end": top.seconds / float(phases["total"]),
        "migration": migrated,
        "rollback": undone,
    }


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description="Benchmark the US1.6 data migration.")
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--small-rows", type=int, default=10_000)
    parser.add_argument("--trials", type=int, default=3)
    parser.add_argument("--budget", type=float, default=MigrationOptions("").batch_budget_seconds)
    parser.add_argument("--fast", action="store_true", help="fsync off (not production-like)")
    arguments = parser.parse_args(argv)
    figures: dict[str, object] = {
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, load {os.getloadavg()}",
        "durable_settings": not arguments.fast,
        "batch_budget_seconds": arguments.budget,
        "method": __doc__,
    }
    # Durable settings measure the disk too: the cluster stays out of memory then.
    durable = not arguments.fast
    with ThrowawayPostgres(settings=DURABLE if durable else None, in_memory=not durable) as server:
        figures["postgres"] = server.version
        small = template(server, "bench_small", arguments.small_rows)
        small_runs = []
        for number in range(1, arguments.trials + 1):
            report, _, _ = migrate(server, small, f"bench_small_{number}", arguments.budget)
            small_runs.append(report)
        began = time.perf_counter()
        large = template(server, "bench_large", arguments.rows)
        figures["generate_seconds"] = time.perf_counter() - began
        trials = [
            trial(server, large, number, arguments.budget)
            for number in range(1, arguments.trials + 1)
        ]
    figures |= {"small": small_runs, "trials": trials, "load_after": os.getloadavg()}
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(figures, indent=2, default=str) + "\n", "utf-8")
    print_figures(arguments, small_runs, trials)
    return 0


def print_figures(
    arguments: argparse.Namespace,
    small_runs: list[dict[str, object]],
    trials: list[dict[str, object]],
) -> None:
    """Print every trial, then the medians."""
    small_totals = [float(r["phases_seconds"]["total"]) for r in small_runs]  # type: ignore[index]
    print(
        f"{arguments.small_rows:,} rows, whole run: {_list(small_totals, 3)} s,"
        f" median {statistics.median(small_totals):.3f} s (target <= 0.5 s)"
    )
    print(f"{arguments.rows:,} rows, {len(trials)} trials (budget {arguments.budget} s per batch):")
    columns: dict[str, list[float]] = {}
    for number, found in enumerate(trials, 1):
        run = found["migration"]
        phases, run_figures = run["phases_seconds"], run["figures"]  # type: ignore[index]
        ceiling, batches = found["ceiling"], found["batches"]
        rollback = found["rollback"]["phases_seconds"]["total"]  # type: ignore[index]
        row = {
            "whole run": phases["total"],
            "backup": phases["backup"],
            "batches": batches["seconds"],  # type: ignore[index]
            "validation": phases["validation"],
            "longest batch": run_figures["longest_batch_seconds"],
            "ceiling": ceiling["seconds"],  # type: ignore[index]
            "ratio batches": found["ratio_batches"],
            "ratio end to end": found["ratio_end_to_end"],
            "ratio cpu": found["ratio_cpu"] or 0.0,
            "rollback": rollback,
        }
        for name, value in row.items():
            columns.setdefault(name, []).append(float(value))  # type: ignore[arg-type]
        print(
            f"  trial {number} ({found['order']}): whole run {row['whole run']:.2f} s (backup"
            f" {row['backup']:.2f}, batches {row['batches']:.2f} in {run_figures['batches']}"
            f" batches, validation {row['validation']:.2f}); longest batch"
            f" {row['longest batch']:.3f} s; one UPDATE {row['ceiling']:.2f} s;"
            f" ratio batches {row['ratio batches']:.2f}, end to end"
            f" {row['ratio end to end']:.2f}, backend CPU {row['ratio cpu']:.2f}"
            f" (CPU s: UPDATE {ceiling['cpu_seconds'] or 0:.2f}, batches"  # type: ignore[index]
            f" {batches['cpu_seconds'] or 0:.2f}); rollback {row['rollback']:.2f} s;"  # type: ignore[index]
            f" during batches {batches['counters']}, during UPDATE {ceiling['counters']}"  # type: ignore[index]
        )
    print("  medians: " + ", ".join(f"{k} {statistics.median(v):.3f}" for k, v in columns.items()))
    print(
        "  targets: whole run <= 20 s, longest batch <= 1 s, ratio batches >= 0.9, rollback <= 20 s"
    )
    print(f"  written to {RESULTS}")


def _list(values: list[float], digits: int) -> str:
    return " / ".join(f"{v:.{digits}f}" for v in values)


if __name__ == "__main__":
    sys.exit(main())
