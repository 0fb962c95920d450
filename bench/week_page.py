"""Benchmark of the week page GET /weeks/{week}: sequential server time, then browser navigation.

Run: uv run python bench/week_page.py [--rows 100000] [--requests 500] [--navigations 20]

Loads the same data as bench/api_load.py (~961 entries per week at 100k rows), starts
`python -m app serve`, then times `requests` sequential GETs of random week pages with
httpx (one keep-alive connection: the time is the server's plus loopback). If Debian's
Chromium is installed, it also times `navigations` clicks on "Next week" in the headless
browser (Navigation Timing: start to loadEventEnd). Writes bench/results/week_page.json.
Figures depend on the machine and on what else runs on it: compare runs on one host.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
from served_app import (
    FIRST_WEEK,
    LAST_WEEK,
    loaded_database,
    machine,
    percentile,
    running_server,
    write_results,
)

from app.weeks import Week
from semaine.probes.chromium import chromium_available, launch_options

TARGET_P95_MS = 30.0
SEED_NAVIGATION_MS = 200.0


def _labels() -> list[str]:
    week, last, labels = Week.parse(FIRST_WEEK), Week.parse(LAST_WEEK), []
    while week <= last:
        labels.append(week.label)
        week = week.next()
    return labels


def time_requests(base: str, paths: list[str]) -> list[float]:
    """Time sequential GETs (milliseconds), after a short warm-up."""
    samples = []
    with httpx.Client(base_url=base) as client:
        for path in paths[:20]:
            client.get(path).raise_for_status()
        for path in paths:
            started = time.perf_counter()
            client.get(path).raise_for_status()
            samples.append((time.perf_counter() - started) * 1000)
    return samples


def time_navigations(base: str, count: int) -> list[float] | None:
    """Time clicks on "Next week" in headless Chromium (ms), or None without Chromium."""
    if not chromium_available():
        return None
    from playwright.sync_api import sync_playwright  # noqa: PLC0415 - optional part

    samples = []
    with sync_playwright() as driver:
        browser = driver.chromium.launch(**launch_options())
        page = browser.new_page()
        page.goto(f"{base}/weeks/{FIRST_WEEK}")
        for _ in range(count):
            with page.expect_navigation(wait_until="load"):
                page.locator("a[rel=next]").click()
            timing = page.evaluate(
                "() => { const n = performance.getEntriesByType('navigation')[0];"
                " return n.loadEventEnd - n.startTime; }"
            )
            samples.append(float(timing))
        browser.close()
    return samples


def summary(samples: list[float]) -> dict[str, float]:
    """p50/p95/p99/max of samples in milliseconds."""
    return {
        "p50_ms": round(percentile(samples, 0.50), 2),
        "p95_ms": round(percentile(samples, 0.95), 2),
        "p99_ms": round(percentile(samples, 0.99), 2),
        "max_ms": round(max(samples), 2),
    }


def main() -> int:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000, help="entries to load")
    parser.add_argument("--requests", type=int, default=500, help="sequential page requests")
    parser.add_argument("--navigations", type=int, default=20, help="browser navigations")
    args = parser.parse_args()
    context = machine()
    labels = _labels()
    chooser = random.Random(16)  # noqa: S311 - a reproducible spread, not security
    paths = [f"/weeks/{chooser.choice(labels)}" for _ in range(args.requests)]
    with (
        tempfile.TemporaryDirectory() as scratch,
        loaded_database(args.rows) as url,
        running_server(url, Path(scratch) / "server.log") as base,
    ):
        page_samples = time_requests(base, paths)
        api_samples = time_requests(base, [f"/api/v1{path}/entries" for path in paths])
        navigation = time_navigations(base, args.navigations)
    results: dict[str, Any] = {
        "rows": args.rows,
        "entries_per_week": round(args.rows / 104),
        "page": {"requests": len(page_samples), **summary(page_samples)},
        "api_week_entries_sequential": {"requests": len(api_samples), **summary(api_samples)},
        "browser_navigation": None if navigation is None else summary(navigation),
        "target_page_p95_ms": TARGET_P95_MS,
        "seed_navigation_ms": SEED_NAVIGATION_MS,
        "machine": context,
    }
    results["meets_target"] = results["page"]["p95_ms"] <= TARGET_P95_MS
    page = results["page"]
    print(
        f"GET /weeks/{{week}} x{page['requests']}: p50 {page['p50_ms']:.1f} ms, "
        f"p95 {page['p95_ms']:.1f} ms (target <= {TARGET_P95_MS:.0f} ms: "
        f"{'met' if results['meets_target'] else 'NOT met'})"
    )
    api = results["api_week_entries_sequential"]
    print(f"GET /api/v1/weeks/{{week}}/entries sequential: p50 {api['p50_ms']:.1f} ms, "
          f"p95 {api['p95_ms']:.1f} ms")  # fmt: skip
    if navigation is not None:
        nav = results["browser_navigation"]
        print(f"browser navigation (Next week): p50 {nav['p50_ms']:.0f} ms, "
              f"p95 {nav['p95_ms']:.0f} ms")  # fmt: skip
    write_results("week_page", results)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
