"""Benchmark the US1.6 data migration: 10k rows, 1M rows, the set-based ceiling, rollback.

    uv run python bench/data_migration.py [--rows 1000000] [--small-rows 10000] [--fast]

Starts a throwaway PostgreSQL (durable settings unless --fast: fsync, synchronous_commit
and full_page_writes on, as in production), builds a template at 0002_us16_expand with
legacy rows at every calendar edge, then on clones of it:

1. migrates `--small-rows` rows (the seed's gate: 10k rows < 10 s; target <= 0.5 s);
2. runs one set-based UPDATE over `--rows` rows (the in-place throughput ceiling);
3. migrates the same `--rows` rows with `semaine migrate`'s code (backup, batches,
   validation), then rolls it back;
4. runs the ceiling again (the machine is shared: the ceiling is the mean of both).

Prints the figures and writes bench/results/data_migration.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from pathlib import Path

from app.db.migrate import upgrade
from semaine.core.datamigration import sqlfiles
from semaine.core.datamigration.connection import connect
from semaine.core.datamigration.legacy import insert_legacy_rows
from semaine.core.datamigration.runner import DataMigration, MigrationOptions
from semaine.local.postgres import ThrowawayPostgres

RESULTS = Path(__file__).with_name("results") / "data_migration.json"
DURABLE = {"fsync": "on", "synchronous_commit": "on", "full_page_writes": "on"}


def template(server: ThrowawayPostgres, name: str, rows: int) -> str:
    """Build a database at 0002_us16_expand with `rows` legacy rows; return its name."""
    url = server.create_database(name)
    upgrade(url, "0002_us16_expand")
    with connect(url) as conn:
        insert_legacy_rows(conn, rows)
        conn.execute("VACUUM ANALYZE public.entries")
        conn.execute("CHECKPOINT")
    return name


def ceiling(server: ThrowawayPostgres, source: str, name: str) -> float:
    """Time one set-based UPDATE of every legacy row, on a fresh clone."""
    url = server.create_database(name, template=source)
    with connect(url) as conn:
        conn.execute("CHECKPOINT")
        began = time.perf_counter()
        with conn.transaction():
            conn.execute(sqlfiles.query("migrate_batch"), {"first_id": 1, "last_id": 2**62})
        seconds = time.perf_counter() - began
    server.drop_database(name)
    return seconds


def migrate(server: ThrowawayPostgres, source: str, name: str) -> tuple[str, dict[str, object]]:
    """Migrate a fresh clone with the real code; return its URL and report."""
    url = server.create_database(name, template=source)
    with connect(url) as conn:
        conn.execute("CHECKPOINT")
    began = time.perf_counter()
    report = DataMigration(url, MigrationOptions("bench")).migrate()
    wall = time.perf_counter() - began
    assert report.status == "completed", report.problems  # noqa: S101 - a bench that failed must stop
    return url, {"wall_seconds": wall, **report.to_json()}


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description="Benchmark the US1.6 data migration.")
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--small-rows", type=int, default=10_000)
    parser.add_argument("--fast", action="store_true", help="fsync off (not production-like)")
    arguments = parser.parse_args(argv)
    figures: dict[str, object] = {
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, load {os.getloadavg()}",
        "durable_settings": not arguments.fast,
    }
    with ThrowawayPostgres(settings=None if arguments.fast else DURABLE) as server:
        figures["postgres"] = server.version
        small = template(server, "bench_small", arguments.small_rows)
        _, small_report = migrate(server, small, "bench_small_run")
        figures["small"] = small_report
        began = time.perf_counter()
        large = template(server, "bench_large", arguments.rows)
        figures["generate_seconds"] = time.perf_counter() - began
        first_ceiling = ceiling(server, large, "bench_ceiling_1")
        url, large_report = migrate(server, large, "bench_large_run")
        began = time.perf_counter()
        rollback = DataMigration(url, MigrationOptions("bench")).rollback(None, "bench")
        rollback_seconds = time.perf_counter() - began
        second_ceiling = ceiling(server, large, "bench_ceiling_2")
    ceiling_seconds = (first_ceiling + second_ceiling) / 2
    phases = large_report["phases_seconds"]
    assert isinstance(phases, dict)  # noqa: S101 - the report's own shape
    batch_seconds = float(phases["batches"])
    large_figures = large_report["figures"]
    assert isinstance(large_figures, dict)  # noqa: S101 - the report's own shape
    figures |= {
        "large": large_report,
        "rollback": {"wall_seconds": rollback_seconds, **rollback.to_json()},
        "ceiling_seconds": [first_ceiling, second_ceiling],
        "throughput_ratio_batches_vs_ceiling": ceiling_seconds / batch_seconds,
        "throughput_ratio_whole_run_vs_ceiling": ceiling_seconds / float(phases["total"]),
    }
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(figures, indent=2, default=str) + "\n", "utf-8")
    small_phases = small_report["phases_seconds"]
    assert isinstance(small_phases, dict)  # noqa: S101 - the report's own shape
    print(f"{arguments.small_rows:,} rows: {small_phases['total']:.3f} s (target <= 0.5 s)")
    print(
        f"{arguments.rows:,} rows: {phases['total']:.2f} s including backup"
        f" {phases['backup']:.2f} s, batches {batch_seconds:.2f} s,"
        f" validation {phases['validation']:.2f} s (target <= 20 s)"
    )
    print(f"  longest batch: {large_figures['longest_batch_seconds']:.3f} s (target <= 1 s)")
    print(
        f"  one set-based UPDATE: {first_ceiling:.2f} s / {second_ceiling:.2f} s;"
        f" throughput ratio (batches) {figures['throughput_ratio_batches_vs_ceiling']:.2f},"
        f" (whole run) {figures['throughput_ratio_whole_run_vs_ceiling']:.2f} (target >= 0.9)"
    )
    print(f"  rollback: {rollback_seconds:.2f} s (target <= 20 s)")
    print(f"  written to {RESULTS}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
