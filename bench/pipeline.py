"""Wall time of `uv run semaine pipeline` on this machine: cold, warm, edited, quick, sequential.

Usage: `uv run python bench/pipeline.py [--modes cold,warm,...] [--uncommitted]`.

- cold: a fresh `git clone` of this repository in a temporary folder with an empty
  uv cache (UV_CACHE_DIR in a temporary folder): `uv sync --frozen`, then the pipeline.
  With `--uncommitted`, the clone also gets this checkout's uncommitted changes
  (`git diff HEAD` applied, untracked files copied): it measures what is about to land.
- warm: the pipeline in this checkout, run once before to warm the caches. lint,
  typecheck and test passed on the same inputs then, so they come from the stage cache
  (as a warm Dagger engine returns cached operations); the other stages run.
- warm-edit: the same after a one-line edit of app/weeks.py (the docstring of
  `weeks_in_year`, undone afterwards): every stage runs, the whole test suite with
  coverage included, with the tools' own caches warm.
- warm-no-cache: `--no-cache`: every stage runs on an unchanged checkout.
- warm-sequential: `--no-cache --max-parallel 1`: the same stages one after another,
  the baseline of warm-no-cache.
- warm-quick: `--quick` (lint, typecheck and the tests pytest-testmon selects, no
  coverage; docs/pipeline.md) on an unchanged checkout: lint and typecheck cached, no
  test affected.
- warm-quick-edit: `--quick` after the same one-line edit of app/weeks.py: lint,
  typecheck and the tests that edit affects. The inner loop.
- warm-quick-no-cache: `--quick --no-cache`: lint and typecheck run, testmon's selection
  as it stands (on an unchanged checkout, no test).
- warm-quick-edit-ci: `--quick` after a one-line edit of ci/src/semaine/pipeline/report.py
  (the docstring of `summary_markdown`), which the pipeline's own tests execute: the other
  side of the service's edit.
- warm-quick-first: `--quick` without testmon's data (`.testmondata*` moved aside and put
  back afterwards): every test runs once, without coverage, and is recorded.

Before the warm modes, the pipeline runs once to warm the caches (and `--quick` once,
when a quick mode is measured, so that testmon has its data). Each run's per-stage
durations come from its own summary.json. Targets: warm full pipeline <= 90 s, warm
quick modes <= 30 s. The machine may be shared: the figures say what this run measured,
nothing more.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from harness import calibrate, edit_docstring, timed

from semaine.pipeline.parsers import ReportError
from semaine.pipeline.parsers.junit import parse_junit

if TYPE_CHECKING:
    from collections.abc import Iterator

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results" / "pipeline.json"
QUICK = ("--quick",)
NO_CACHE = ("--no-cache",)
WARM_OPTIONS: dict[str, tuple[str, ...]] = {
    "warm": (),
    "warm-edit": (),
    "warm-no-cache": NO_CACHE,
    "warm-sequential": (*NO_CACHE, "--max-parallel", "1"),
    "warm-quick": QUICK,
    "warm-quick-edit": QUICK,
    "warm-quick-no-cache": (*QUICK, *NO_CACHE),
    "warm-quick-edit-ci": QUICK,
    "warm-quick-first": QUICK,
}
MODES = ("cold", *WARM_OPTIONS)
TARGETS_S = {
    "warm": 90.0,
    "warm-edit": 90.0,
    "warm-no-cache": 90.0,
    "warm-quick": 30.0,
    "warm-quick-edit": 30.0,
    "warm-quick-no-cache": 30.0,
    "warm-quick-edit-ci": 30.0,
}
# A function's docstring: lint- and type-clean, no behaviour changed, yet a change of that
# function for testmon (a comment is not: testmon compares code, not text).
EDITED = (ROOT / "app" / "weeks.py", "weeks_in_year")
EDITED_BY_MODE = {
    "warm-quick-edit-ci": (
        ROOT / "ci" / "src" / "semaine" / "pipeline" / "report.py",
        "summary_markdown",
    )
}
TESTMON_DATA = ".testmondata*"


def pipeline(cwd: Path, env: dict[str, str], report_dir: Path, *extra: str) -> dict[str, Any]:
    """Run the pipeline once and return its total and per-stage figures."""
    argv = ["uv", "run", "--frozen", "semaine", "pipeline", "--report-dir", str(report_dir), *extra]
    elapsed, status, output = timed(argv, cwd, env)
    try:
        summary = json.loads((report_dir / "summary.json").read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return {"total_s": elapsed, "exit_status": status, "stages": {}, "output_tail": output}
    stages = {
        stage["name"]: {
            "duration_s": stage["duration_s"],
            "verdict": stage["verdict"],
            "cached": stage.get("cached_from") is not None,
            "tests_ran": tests_ran(report_dir / stage["name"]) if stage["name"] == "test" else None,
            # The reports live in a temporary folder: keep why a gate did not pass.
            "not_passed": {
                gate["gate"]: gate["detail"]
                for gate in stage["gates"]
                if gate["outcome"] in {"fail", "inconclusive"}
            },
        }
        for stage in summary["stages"]
    }
    return {
        "total_s": round(elapsed, 2),
        "exit_status": status,
        "quick": summary.get("quick", False),
        "stages": stages,
    }


def tests_ran(report: Path) -> int | None:
    """Return how many tests the test stage's JUnit report holds (None without one)."""
    try:
        return parse_junit(report / "junit.xml").tests
    except ReportError:
        return None


def add_uncommitted(clone: Path) -> None:
    """Bring this checkout's uncommitted changes (tracked and untracked files) into `clone`."""
    diff = subprocess.run(
        ["git", "diff", "HEAD", "--binary"], cwd=ROOT, capture_output=True, check=True
    ).stdout
    if diff:
        subprocess.run(["git", "apply"], cwd=clone, input=diff, check=True)
    untracked = subprocess.run(
        ["git", "ls-files", "--others", "--exclude-standard", "-z"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.decode()
    for name in filter(None, untracked.split("\0")):
        (clone / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, clone / name)


def cold(report_root: Path, *, uncommitted: bool) -> dict[str, Any]:
    """Clone, sync with an empty uv cache, run the pipeline."""
    with tempfile.TemporaryDirectory(prefix="semaine-bench-") as directory:
        # PostgreSQL drops root privileges: its user must reach the clone's pgserver binaries.
        Path(directory).chmod(0o755)
        clone, cache = Path(directory) / "clone", Path(directory) / "uv-cache"
        env = {**os.environ, "UV_CACHE_DIR": str(cache)}
        env.pop("VIRTUAL_ENV", None)
        subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True)
        if uncommitted:
            add_uncommitted(clone)
        sync = ["uv", "sync", "--frozen", "--all-packages", "--compile-bytecode"]
        sync_s, status, output = timed(sync, clone, env)
        if status != 0:
            return {"sync_s": round(sync_s, 2), "sync_exit_status": status, "output_tail": output}
        run = pipeline(clone, env, report_root / "cold")
        return {
            "sync_s": round(sync_s, 2),
            **run,
            "total_with_sync_s": round(sync_s + run["total_s"], 2),
        }


def run_mode(mode: str, report_root: Path, *, uncommitted: bool) -> dict[str, Any]:
    """Measure one mode."""
    if mode == "cold":
        return cold(report_root, uncommitted=uncommitted)
    env = dict(os.environ)
    options = WARM_OPTIONS[mode]
    if mode == "warm-quick-first":
        with testmon_data_put_back(clear=True):
            return pipeline(ROOT, env, report_root / mode, *options)
    if "-edit" not in mode:
        return pipeline(ROOT, env, report_root / mode, *options)
    path, function = EDITED_BY_MODE.get(mode, EDITED)
    # testmon records the edited sources: without its data put back, the next quick mode
    # would run the tests the undoing of the edit affects.
    with testmon_data_put_back(clear=False):
        original = edit_docstring(path, function)
        try:
            return pipeline(ROOT, env, report_root / mode, *options)
        finally:
            path.write_bytes(original)


@contextmanager
def testmon_data_put_back(*, clear: bool) -> Iterator[None]:
    """Keep a copy of testmon's data (and remove it when `clear`); put the copy back after."""
    with tempfile.TemporaryDirectory(prefix="semaine-bench-testmon-") as aside:
        kept = [Path(shutil.copy2(path, aside)) for path in ROOT.glob(TESTMON_DATA)]
        try:
            if clear:
                for path in ROOT.glob(TESTMON_DATA):
                    path.unlink()
            yield
        finally:
            for path in ROOT.glob(TESTMON_DATA):
                path.unlink()
            for path in kept:
                shutil.copy2(path, ROOT / path.name)


def table(results: dict[str, dict[str, Any]]) -> str:
    """Return the figures as a text table: one row per stage, one column per mode."""
    modes = list(results)
    stages = sorted({name for result in results.values() for name in result.get("stages", {})})
    lines = ["stage".ljust(12) + "".join(mode.rjust(21) for mode in modes)]
    for stage in stages:
        cells = [results[mode].get("stages", {}).get(stage) for mode in modes]
        lines.append(stage.ljust(12) + "".join(_cell(cell).rjust(21) for cell in cells))
    lines.append(
        "TOTAL".ljust(12)
        + "".join(f"{results[mode].get('total_s', float('nan')):.1f} s".rjust(21) for mode in modes)
    )
    if {"warm-no-cache", "warm-sequential"} <= results.keys():
        ratio = results["warm-sequential"]["total_s"] / results["warm-no-cache"]["total_s"]
        lines.append(f"concurrent stages vs one after another (no cache): {ratio:.2f}x faster")
    for mode, target in TARGETS_S.items():
        if mode in results and "total_s" in results[mode]:
            verdict = "met" if results[mode]["total_s"] <= target else "MISSED"
            lines.append(f"target {mode} <= {target:.0f} s: {verdict}")
    return "\n".join(lines)


def _cell(cell: dict[str, Any] | None) -> str:
    if cell is None:
        return "-"
    if cell["cached"]:
        note = " (cached)"
    elif cell.get("tests_ran") is not None:
        note = f" ({cell['tests_ran']} tests)"
    else:
        note = ""
    return f"{cell['duration_s']:.1f} s{note}"


def main() -> None:
    """Measure the chosen modes, print the table, write bench/results/pipeline.json."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--modes", default=",".join(MODES), help=f"comma-separated, from {', '.join(MODES)}"
    )
    parser.add_argument("--no-warm-up", action="store_true", help="the caches are warm already")
    parser.add_argument(
        "--uncommitted", action="store_true", help="cold: add this checkout's uncommitted changes"
    )
    arguments = parser.parse_args()
    modes = [mode for mode in arguments.modes.split(",") if mode]
    calibration_before = calibrate()
    print(f"calibration: {calibration_before:.3f} s (fixed pure-Python loop)", file=sys.stderr)
    results: dict[str, dict[str, Any]] = {}
    warm_up: dict[str, Any] | None = None
    with tempfile.TemporaryDirectory(prefix="semaine-bench-reports-") as directory:
        if not arguments.no_warm_up and any(mode.startswith("warm") for mode in modes):
            # Kept: a stage that did not pass here is not cached, and "warm" reruns it.
            warm_up = pipeline(ROOT, dict(os.environ), Path(directory) / "warm-up")
            if any(mode.startswith("warm-quick") for mode in modes):
                # testmon's data for the quick modes (a first quick run records every test).
                warm_up["quick"] = pipeline(
                    ROOT, dict(os.environ), Path(directory) / "warm-up-quick", *QUICK
                )
        for mode in modes:
            print(f"measuring {mode}...", file=sys.stderr, flush=True)
            results[mode] = run_mode(mode, Path(directory), uncommitted=arguments.uncommitted)
    calibration_after = calibrate()
    print(table(results))
    print(f"calibration: {calibration_before:.3f} s before, {calibration_after:.3f} s after")
    document = {
        "calibration_s": {"before": calibration_before, "after": calibration_after},
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform(), "shared": True},
        "measured_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "targets_s": TARGETS_S,
        "cold_includes_uncommitted_changes": arguments.uncommitted,
        "results": results,
        "warm_up": warm_up,
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
