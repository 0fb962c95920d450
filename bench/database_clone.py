"""Per-test database cost: `CREATE DATABASE ... TEMPLATE` and `DROP DATABASE`, in memory vs on disk.

Run: uv run python bench/database_clone.py [--clones 40] [--rounds 3]

Every integration test clones a template migrated to head and drops it afterwards. Two
throwaway clusters run side by side, one with its data directory in memory (/dev/shm,
the default) and one in the temporary folder on disk; rounds alternate between them so
both see the same machine. Writes bench/results/database_clone.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import time
from pathlib import Path
from typing import Any

import psycopg

from app.db.migrate import upgrade
from semaine.executors.local.postgres import ThrowawayPostgres

RESULTS = Path(__file__).resolve().parent / "results" / "database_clone.json"


def clone_and_drop(server: ThrowawayPostgres, template: str, count: int) -> dict[str, float]:
    """Clone `template` `count` times, then drop the clones; return per-database times."""
    creates, drops = [], []
    with psycopg.connect(server.url, autocommit=True) as admin:
        names = [f"clone_{number}" for number in range(count)]
        for name in names:
            started = time.perf_counter()
            admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
            creates.append(time.perf_counter() - started)
        for name in names:
            started = time.perf_counter()
            admin.execute(f'DROP DATABASE "{name}"')
            drops.append(time.perf_counter() - started)
    return {"create_ms": _ms(creates), "drop_ms": _ms(drops), "create_p95_ms": _p95(creates)}


def _ms(seconds: list[float]) -> float:
    return round(statistics.median(seconds) * 1000, 2)


def _p95(seconds: list[float]) -> float:
    return round(statistics.quantiles(seconds, n=20)[-1] * 1000, 2)


def main() -> None:
    """Measure both placements, print the table, write the JSON."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clones", type=int, default=40, help="databases per round")
    parser.add_argument("--rounds", type=int, default=3, help="rounds per placement")
    arguments = parser.parse_args()
    rounds: dict[str, list[dict[str, float]]] = {"memory": [], "disk": []}
    with ThrowawayPostgres() as memory, ThrowawayPostgres(in_memory=False) as disk:
        servers = {"memory": memory, "disk": disk}
        for server in servers.values():
            upgrade(server.create_database("template_head"), "head")
        for number in range(arguments.rounds):
            order = ("memory", "disk") if number % 2 == 0 else ("disk", "memory")
            for placement in order:
                figures = clone_and_drop(servers[placement], "template_head", arguments.clones)
                rounds[placement].append(figures)
        directories = {name: str(server.directory) for name, server in servers.items()}
    summary: dict[str, Any] = {
        placement: {
            "create_ms_median_of_rounds": statistics.median(r["create_ms"] for r in runs),
            "create_p95_ms_worst_round": max(r["create_p95_ms"] for r in runs),
            "drop_ms_median_of_rounds": statistics.median(r["drop_ms"] for r in runs),
            "rounds": runs,
        }
        for placement, runs in rounds.items()
    }
    ratio = (
        summary["disk"]["create_ms_median_of_rounds"]
        / summary["memory"]["create_ms_median_of_rounds"]
    )
    for placement, figures in summary.items():
        print(
            f"{placement:<7} create median {figures['create_ms_median_of_rounds']:7.2f} ms"
            f"  (worst round p95 {figures['create_p95_ms_worst_round']:7.2f} ms)"
            f"  drop median {figures['drop_ms_median_of_rounds']:6.2f} ms"
        )
    print(f"clone on disk / in memory: {ratio:.1f}x")
    document = {
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform(), "shared": True},
        "measured_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "clones_per_round": arguments.clones,
        "directories": directories,
        "disk_over_memory_create": round(ratio, 2),
        "results": summary,
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
