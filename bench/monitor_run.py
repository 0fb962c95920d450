"""Benchmark of one `semaine monitor` run against the local service: its own seconds.

Run: uv run python bench/monitor_run.py [--rows 20000] [--runs 5]

Loads the same data as bench/week_page.py, serves the app, then runs the monitor `runs`
times in this process with every check that applies to a local http URL (health, the
API series of 32 requests, the calendar walk, the database with --database-url; TLS is
skipped for http) and no alert channel. Reports each run's seconds, each check's, and
the calibration (bench/harness.py) beside them. Writes bench/results/monitor_run.json.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from harness import calibrate
from served_app import ROOT, loaded_database, machine, running_server, write_results

from semaine.environments import load_environment
from semaine.monitoring.run import MonitorSettings, monitor

BUDGET_SECONDS = 60.0
"""A run must fit well inside the quarter hour between scheduled runs; a minute is the aim."""


def main() -> None:
    """Measure the runs and write the results."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20_000, help="entries loaded (default 20000)")
    parser.add_argument("--runs", type=int, default=5, help="monitor runs timed (default 5)")
    options = parser.parse_args()
    environment = load_environment("production", ROOT)
    calibration = calibrate()
    with (
        tempfile.TemporaryDirectory(prefix="semaine-bench-monitor-") as scratch,
        loaded_database(options.rows) as database_url,
        running_server(database_url, Path(scratch) / "app.log") as base_url,
    ):
        settings = MonitorSettings(
            environment=environment,
            base_url=base_url,
            state_dir=Path(scratch) / "history",
            report_dir=Path(scratch) / "report",
            database_url=database_url,
        )
        runs: list[dict[str, Any]] = []
        for _ in range(options.runs):
            started = time.perf_counter()
            run, status = monitor(settings)
            seconds = time.perf_counter() - started
            checks = {name: round(result.seconds, 3) for name, result in run.checks.items()}
            runs.append(
                {
                    "seconds": round(seconds, 3),
                    "state": run.state,
                    "exit": int(status),
                    "checks": checks,
                }
            )
            print(
                f"run: {seconds:.2f} s, {run.state}; "
                + ", ".join(f"{k} {v:.2f}s" for k, v in checks.items())
            )
    seconds = [run["seconds"] for run in runs]
    results = {
        "machine": machine(),
        "calibration_seconds": calibration,
        "rows": options.rows,
        "runs": runs,
        "median_seconds": round(statistics.median(seconds), 3),
        "max_seconds": round(max(seconds), 3),
        "budget_seconds": BUDGET_SECONDS,
    }
    print(
        f"monitor run: median {results['median_seconds']} s, max {results['max_seconds']} s"
        f" (budget {BUDGET_SECONDS:g} s; calibration {calibration} s)"
    )
    write_results("monitor_run", results)


if __name__ == "__main__":
    main()
