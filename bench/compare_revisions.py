"""Two revisions side by side on this machine: the suite, the whole pipeline, the quick loop.

Usage: `uv run python bench/compare_revisions.py --baseline REV [--candidate REV]`.

Each revision is cloned into a private temporary folder and set up with its own
`scripts/setup` (its locked environment, its warmed caches). Then, one right after the
other (baseline, candidate) and each beside a calibration figure (a fixed pure-Python
loop, `harness.calibrate`), since this machine's speed changes from one minute to the next:

- suite: `uv run pytest -n auto` (the README's test command), wall time;
- pipeline: `semaine pipeline --no-cache`, wall time, and its test stage's own time;
- quick: the inner loop after a one-line edit of app/weeks.py (the docstring of
  `weeks_in_year`): `--quick` where the revision has it (lint, typecheck, the tests
  pytest-testmon selects), else `--only lint,typecheck,test` (the earlier code's own
  selection of the tests an edit affects). Each is run once before the edit, so that
  its selection has an earlier run to start from.

Ratios are computed between figures of the same run. Results: bench/results/compare_revisions.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from harness import calibrate, edit_docstring, timed

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results" / "compare_revisions.json"
EDITED = (Path("app") / "weeks.py", "weeks_in_year")


def prepare(revision: str, folder: Path) -> Path:
    """Clone `revision` into `folder` and run its own scripts/setup; return the clone."""
    clone = folder / revision[:12]
    subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True)
    subprocess.run(["git", "checkout", "-q", revision], cwd=clone, check=True)
    subprocess.run(["bash", "scripts/setup"], cwd=clone, check=True, env=environment())
    return clone


def environment() -> dict[str, str]:
    """Return this process's environment without a virtualenv of ours leaking into a clone."""
    env = dict(os.environ)
    env.pop("VIRTUAL_ENV", None)
    return env


def has_quick(clone: Path) -> bool:
    """Tell whether the revision's `semaine pipeline` offers --quick."""
    helped = subprocess.run(
        ["uv", "run", "--frozen", "semaine", "pipeline", "--help"],
        cwd=clone,
        capture_output=True,
        text=True,
        check=False,
        env=environment(),
    )
    return "--quick" in helped.stdout


def measure(argv: list[str], clone: Path) -> dict[str, Any]:
    """Run `argv` in `clone` with a calibration before it; return the figures."""
    calibration = calibrate()
    elapsed, status, tail = timed(argv, clone, environment())
    return {
        "wall_s": round(elapsed, 2),
        "calibration_s": calibration,
        "exit_status": status,
        "output_tail": tail[-600:],
    }


def pipeline_run(clone: Path, reports: Path, *options: str) -> dict[str, Any]:
    """Run the pipeline; add each stage's own time from its summary.json."""
    argv = ["uv", "run", "--frozen", "semaine", "pipeline", "--report-dir", str(reports)]
    figures = measure([*argv, *options], clone)
    try:
        summary = json.loads((reports / "summary.json").read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return figures
    figures["stages_s"] = {stage["name"]: stage["duration_s"] for stage in summary["stages"]}
    return figures


def quick_loop(clone: Path, reports: Path) -> dict[str, Any]:
    """Run the inner loop once to record, then time it after the one-line edit."""
    options = ("--quick",) if has_quick(clone) else ("--only", "lint,typecheck,test")
    pipeline_run(clone, reports / "quick-record", *options)
    path, function = EDITED
    original = edit_docstring(clone / path, function)
    try:
        figures = pipeline_run(clone, reports / "quick-edit", *options)
    finally:
        (clone / path).write_bytes(original)
    figures["options"] = list(options)
    return figures


def compare(baseline: str, candidate: str) -> dict[str, Any]:
    """Measure both revisions, one right after the other for each figure."""
    with tempfile.TemporaryDirectory(prefix="semaine-compare-") as directory:
        folder = Path(directory)
        # Both as their own time ran them: the earlier code could not start PostgreSQL as
        # root from a private folder (issue 15), and a failing test would not time the same.
        folder.chmod(0o755)
        clones = {
            name: prepare(rev, folder)
            for name, rev in (("baseline", baseline), ("candidate", candidate))
        }
        figures: dict[str, dict[str, Any]] = {name: {} for name in clones}
        for name, clone in clones.items():
            print(f"{name}: suite", file=sys.stderr, flush=True)
            figures[name]["suite"] = measure(
                ["uv", "run", "--frozen", "pytest", "-n", "auto", "-q"], clone
            )
        for name, clone in clones.items():
            print(f"{name}: pipeline --no-cache", file=sys.stderr, flush=True)
            figures[name]["pipeline"] = pipeline_run(
                clone, folder / f"{name}-reports", "--no-cache"
            )
        for name, clone in clones.items():
            print(f"{name}: quick loop after an edit", file=sys.stderr, flush=True)
            figures[name]["quick"] = quick_loop(clone, folder / f"{name}-quick")
    return figures


def ratios(figures: dict[str, dict[str, Any]]) -> dict[str, float | None]:
    """Return the ratios the targets are about (each from figures of the same run)."""

    def wall(name: str, what: str) -> float:
        return float(figures[name][what]["wall_s"])

    def test_stage(name: str) -> float | None:
        stages = figures[name]["pipeline"].get("stages_s", {})
        return stages.get("test")

    found: dict[str, float | None] = {
        "suite candidate/baseline": wall("candidate", "suite") / wall("baseline", "suite"),
        "pipeline candidate/baseline": wall("candidate", "pipeline") / wall("baseline", "pipeline"),
    }
    for name in figures:
        stage = test_stage(name)
        found[f"{name} pipeline/test stage"] = wall(name, "pipeline") / stage if stage else None
        found[f"{name} test stage/suite"] = stage / wall(name, "suite") if stage else None
        found[f"{name} quick/pipeline"] = wall(name, "quick") / wall(name, "pipeline")
    return {key: None if value is None else round(value, 3) for key, value in found.items()}


def main() -> None:
    """Measure, print the table and the ratios, write bench/results/compare_revisions.json."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--baseline", required=True, help="the revision to compare against")
    parser.add_argument("--candidate", default="HEAD", help="the revision measured (default HEAD)")
    arguments = parser.parse_args()
    resolve = ["git", "rev-parse", "--verify"]
    revisions = {
        name: subprocess.run(
            [*resolve, rev], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
        for name, rev in (("baseline", arguments.baseline), ("candidate", arguments.candidate))
    }
    figures = compare(revisions["baseline"], revisions["candidate"])
    found = ratios(figures)
    for name in figures:
        for what, figure in figures[name].items():
            stage = figure.get("stages_s", {}).get("test")
            extra = f", test stage {stage:.1f} s" if stage else ""
            print(
                f"{name:9} {what:8} {figure['wall_s']:7.1f} s (exit {figure['exit_status']}){extra}"
                f"  calibration {figure['calibration_s']:.3f} s"
            )
    for key, value in found.items():
        print(f"{key}: {value}")
    document = {
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform()},
        "measured_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "revisions": revisions,
        "figures": figures,
        "ratios": found,
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
