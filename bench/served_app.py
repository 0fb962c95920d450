"""Shared by the HTTP benchmarks: a loaded throwaway database and the real server process.

Data distribution (app/db/seed.py, also `python -m app db seed`): `rows` entries spread
evenly over the 104 ISO weeks 2025-W01..2026-W52 (728 days from Monday 2024-12-30): every
day gets rows/728 entries, so a week holds about rows/104 (961 for the default 100k).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import platform
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from anyio.from_thread import start_blocking_portal

from app.db.migrate import upgrade
from app.db.seed import seed_entries
from app.weeks import Week
from semaine.executors.local.app_server import served_app
from semaine.executors.local.postgres import ThrowawayPostgres

if TYPE_CHECKING:
    from collections.abc import Iterator

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
FIRST_WEEK, LAST_WEEK = "2025-W01", "2026-W52"


@contextlib.contextmanager
def loaded_database(rows: int) -> Iterator[str]:
    """Yield the URL of a throwaway database at head holding `rows` entries (COPY)."""
    with ThrowawayPostgres() as server:
        url = server.create_database("bench")
        upgrade(url, "head")
        started = time.perf_counter()
        seed_entries(url, rows, Week.parse(FIRST_WEEK), Week.parse(LAST_WEEK))
        print(f"loaded {rows} entries in {time.perf_counter() - started:.1f}s")
        yield url


@contextlib.contextmanager
def running_server(database_url: str, log_path: Path) -> Iterator[str]:
    """Run `python -m app serve` (one uvicorn worker) on a free port; yield its base URL."""
    with (
        start_blocking_portal() as portal,
        portal.wrap_async_context_manager(served_app(ROOT, database_url, log_path)) as base,
    ):
        yield base


def percentile(samples: list[float], fraction: float) -> float:
    """Nearest-rank percentile of samples (fraction in 0..1)."""
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))]


def machine() -> dict[str, Any]:
    """Describe where the figures were taken (they depend on it)."""
    return {
        "cpus": os.cpu_count(),
        "load_average_1m_at_start": os.getloadavg()[0],
        "python": platform.python_version(),
        "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }


def write_results(name: str, results: dict[str, Any]) -> Path:
    """Write results to bench/results/NAME.json and return the path."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps(results, indent=2) + "\n")
    print(f"wrote {path.relative_to(ROOT)}")
    return path
