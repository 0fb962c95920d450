"""Load benchmark of GET /api/v1/weeks/{week}/entries with real locust, headless.

Run: uv run python bench/api_load.py [--rows 100000] [--duration 30] [--users 5] [--rps 200]

Starts a throwaway PostgreSQL, migrates it to head, COPYs `rows` entries (see
bench/served_app.py for the distribution: ~961 entries per week at 100k), starts
`python -m app serve` (one uvicorn worker), then runs tests/load/locustfile.py at a
constant total throughput (users x per-user rate) over random weeks, and reports
p50/p95/p99, requests/s and failures from locust's CSV. Writes bench/results/api_load.json.
Figures depend on the machine and on what else runs on it: compare runs on one host.
"""

from __future__ import annotations

import argparse
import csv
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from served_app import FIRST_WEEK, LAST_WEEK, ROOT, loaded_database, machine, running_server
from served_app import write_results as write_json

TARGET_P95_MS = 25.0
SEED_FLOOR_P95_MS = 500.0
LOCUSTFILE = ROOT / "tests" / "load" / "locustfile.py"


def run_locust(base: str, args: argparse.Namespace, workdir: Path) -> dict[str, Any]:
    """Run locust headless against base; return the aggregated row of its stats CSV."""
    prefix = workdir / "locust"
    env = {
        **os.environ,
        "SEMAINE_LOAD_FIRST_WEEK": FIRST_WEEK,
        "SEMAINE_LOAD_LAST_WEEK": LAST_WEEK,
        "SEMAINE_LOAD_RPS": str(args.rps),
    }
    argv = [
        sys.executable, "-m", "locust", "-f", str(LOCUSTFILE), "--headless",
        "-u", str(args.users), "-r", str(args.users), "--run-time", f"{args.duration}s",
        "--host", base, "--csv", str(prefix), "--only-summary", "--loglevel", "WARNING",
    ]  # fmt: skip
    subprocess.run(argv, env=env, check=False, cwd=ROOT)
    with Path(f"{prefix}_stats.csv").open(newline="") as stats:
        rows = {row["Name"]: row for row in csv.DictReader(stats)}
    return rows["Aggregated"]


def main() -> int:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000, help="entries to load")
    parser.add_argument("--duration", type=int, default=30, help="seconds of load")
    parser.add_argument("--users", type=int, default=5, help="locust users (see the locustfile)")
    parser.add_argument("--rps", type=float, default=200.0, help="total target requests/s")
    parser.add_argument("--name", default="api_load", help="results file: bench/results/NAME.json")
    args = parser.parse_args()
    context = machine()
    with tempfile.TemporaryDirectory() as scratch, loaded_database(args.rows) as url:
        workdir = Path(scratch)
        with running_server(url, workdir / "server.log") as base:
            row = run_locust(base, args, workdir)
    requests = int(row["Request Count"])
    failures = int(row["Failure Count"])
    results = {
        "endpoint": "GET /api/v1/weeks/{week}/entries",
        "rows": args.rows,
        "entries_per_week": round(args.rows / 104),
        "users": args.users,
        "target_rps": args.rps,
        "duration_s": args.duration,
        "requests": requests,
        "failures": failures,
        "rps": float(row["Requests/s"]),
        "p50_ms": float(row["50%"]),
        "p95_ms": float(row["95%"]),
        "p99_ms": float(row["99%"]),
        "max_ms": float(row["Max Response Time"]),
        "target_p95_ms": TARGET_P95_MS,
        "seed_floor_p95_ms": SEED_FLOOR_P95_MS,
        "machine": context,
    }
    results["meets_target"] = failures == 0 and results["p95_ms"] <= TARGET_P95_MS
    results["meets_seed_floor"] = failures == 0 and results["p95_ms"] < SEED_FLOOR_P95_MS
    print(
        f"{requests} requests, {failures} failures, {results['rps']:.1f} req/s; "
        f"p50 {results['p50_ms']:.0f} ms, p95 {results['p95_ms']:.0f} ms, "
        f"p99 {results['p99_ms']:.0f} ms (target p95 <= {TARGET_P95_MS:.0f} ms: "
        f"{'met' if results['meets_target'] else 'NOT met'})"
    )
    write_json(args.name, results)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
