"""Benchmark of the status page: 30 days of 15-minute monitor runs and a few dozen deliveries.

Run: uv run python bench/dashboard_render.py [--days N] [--deliveries N] [--repeat R] [--json PATH]

The history (one run every 15 minutes, an hour down, a six-hour gap, a slow run now and
then) and the delivery records are written once into a scratch folder; then each phase
is timed in this process, best and median of R passes: reading (load_inputs), the
computations (page_view: uptime, series, incidents, rates, and the SVG charts pygal draws), the
HTML (render_page, jinja2); and `semaine dashboard` as a process, interpreter start included. The
machine's calibration (bench/harness.py) is measured before and after.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from harness import calibrate, timed

from semaine.dashboard.inputs import load_inputs
from semaine.dashboard.page import page_view, render_page
from semaine.dashboard.schedule import deadline
from semaine.records import (
    CheckResult,
    DeploymentRecord,
    IncidentEvent,
    MonitorRun,
    write_deployment_record,
)
from semaine.records.history import history_file

if TYPE_CHECKING:
    from collections.abc import Callable

    from semaine.dashboard.inputs import Inputs

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_JSON = ROOT / "bench" / "results" / "dashboard_render.json"
NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
KINDS = ("deploy", "promote", "rollback")
SLOW_SHARE = 0.01
"""The share of runs whose p95 is over the threshold (degraded)."""
P95_LIMIT = 500.0


def one_run(at: datetime, rng: random.Random, *, down: bool) -> MonitorRun:
    """Return a monitor run at `at`: healthz, readyz and the API check with its figures."""
    p95 = 650.0 if rng.random() < SLOW_SHARE else rng.uniform(60, 220)
    api_state = "down" if down else ("degraded" if p95 > P95_LIMIT else "up")
    checks = {
        "healthz": CheckResult(state="down" if down else "up", seconds=0.05),
        "readyz": CheckResult(state="down" if down else "up", seconds=0.08),
        "api": CheckResult(
            state=api_state,
            seconds=3.1,
            figures={"p95_ms": p95, "error_rate_percent": 100.0 if down else 0.0, "requests": 40},
            thresholds={"p95_ms": P95_LIMIT, "error_rate_percent": 0.1},
        ),
    }
    return MonitorRun(
        environment="production",
        started_at=at,
        seconds=4.0,
        release="v42",
        schema_revision="0003_us16_contract",
        state="down" if down else api_state,
        checks=checks,
    )


def write_history(folder: Path, days: int) -> int:
    """Write `days` of 15-minute runs (an hour down, six hours missing); return the count."""
    rng = random.Random(13)  # noqa: S311 - reproducible figures, not a secret
    outage = (NOW - timedelta(days=days // 2), NOW - timedelta(days=days // 2, hours=-1))
    gap = (NOW - timedelta(days=3), NOW - timedelta(days=3, hours=-6))
    lines = []
    moment = NOW - timedelta(days=days)
    while moment < NOW:
        if not gap[0] <= moment < gap[1]:
            run = one_run(moment, rng, down=outage[0] <= moment < outage[1])
            if moment == outage[0]:
                event = IncidentEvent(
                    check="healthz", event="opened", state="down", opened_at=moment
                )
                run = run.model_copy(update={"incidents": [event]})
            lines.append(run.model_dump_json())
        moment += timedelta(minutes=15)
    folder.mkdir(parents=True, exist_ok=True)
    history_file(folder, "production").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(lines)


def write_deliveries(reports: Path, count: int, days: int) -> Path:
    """Write `count` deploys, promotions and rollbacks spread over `days`; return the folder."""
    for index in range(count):
        started = NOW - timedelta(days=days) + timedelta(hours=index * days * 24 / count)
        record = DeploymentRecord(
            kind=KINDS[index % 3],  # type: ignore[arg-type]
            environment="production",
            actor="release-bot",
            started_at=started,
            finished_at=started + timedelta(seconds=60 + index * 7),
            from_release=f"v{index}",
            to_release=f"v{index + 1}",
            outcome="failed" if index % 17 == 0 else "succeeded",
            rollback_type="application" if KINDS[index % 3] == "rollback" else None,
            reason="bad release" if KINDS[index % 3] == "rollback" else None,
        )
        write_deployment_record(reports, record)
    return reports / "deployments"


def cold_view(inputs: Inputs) -> object:
    """Compute the page's views as a fresh process does (the deadlines not yet cached)."""
    deadline.cache_clear()
    return page_view(inputs, NOW)


def best_and_median(function: Callable[[], object], repeat: int) -> tuple[float, float]:
    """Time `function` `repeat` times; return the best and median seconds."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return min(times), statistics.median(times)


def main() -> int:
    """Build the inputs, time each phase and the CLI, print and write the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--days", type=int, default=30, help="days of history (default: 30)")
    parser.add_argument("--deliveries", type=int, default=36, help="delivery records (36)")
    parser.add_argument("--repeat", type=int, default=5, help="passes per phase (default: 5)")
    parser.add_argument("--json", type=Path, default=DEFAULT_JSON, help="where to write JSON")
    args = parser.parse_args()

    before = calibrate()
    with tempfile.TemporaryDirectory(prefix="semaine-bench-dashboard-") as scratch:
        root = Path(scratch)
        runs = write_history(root / "state", args.days)
        deployments = write_deliveries(root / "reports", args.deliveries, args.days)
        inputs = load_inputs(root / "state", deployments=deployments)
        view = page_view(inputs, NOW)
        html = render_page(view)
        phases: dict[str, tuple[float, float]] = {
            "read": best_and_median(
                lambda: load_inputs(root / "state", deployments=deployments), args.repeat
            ),
            "compute": best_and_median(lambda: cold_view(inputs), args.repeat),
            "render": best_and_median(lambda: render_page(view), args.repeat),
        }
        argv = [
            str(Path(sys.executable).parent / "semaine"), "dashboard",
            "--history", str(root / "state"), "--deployments", str(deployments),
            "--output", str(root / "site"), "--now", NOW.isoformat(),
        ]  # fmt: skip
        cli_times = []
        for _ in range(args.repeat):
            seconds, status, output = timed(argv, ROOT, dict(os.environ))
            if status != 0:
                print(output, file=sys.stderr)
                return 1
            cli_times.append(seconds)
    after = calibrate()

    report: dict[str, Any] = {
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count()},
        "calibration_s": {"before": before, "after": after},
        "runs": runs,
        "deliveries": args.deliveries,
        "page_bytes": len(html.encode()),
        "phases_s": {name: {"best": b, "median": m} for name, (b, m) in phases.items()},
        "cli_s": {"best": min(cli_times), "median": statistics.median(cli_times)},
    }
    print(f"{runs} runs over {args.days} days, {args.deliveries} deliveries")
    print(f"calibration: {before:.3f} s before, {after:.3f} s after")
    for name, (best, median) in phases.items():
        print(f"{name:>8}: best {best * 1000:7.1f} ms, median {median * 1000:7.1f} ms")
    print(
        f"     cli: best {min(cli_times):7.2f} s,  median {statistics.median(cli_times):7.2f} s"
        " (`semaine dashboard`, interpreter start included)"
    )
    print(f"page: {len(html.encode()) / 1024:.0f} KiB")
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
