"""The e2e stage on a seeded database: its wall time, Lighthouse's scores and time, page timings.

Run: uv run python bench/e2e_stage.py [--runs 3] [--pages "/weeks/{this_week},/weeks/..."]

Runs `uv run semaine e2e` `runs` times (the stage seeds 600 entries over the 21 weeks
around today, then runs the page-timing probe and Lighthouse), each
after a calibration loop (bench/harness.py: divide a figure by it to compare runs), with
the 1-minute load average before and after, and when each step's report was written.
Reads back each run's summary and reports: the stage's wall time, Lighthouse's own time
and its median scores per page and preset, the first page load and every navigation
(in the browser: Navigation Timing's duration; on the server: responseStart -
requestStart of the same entries), with p50 and p95 over every run. `--pages` audits
other pages than `[tool.semaine.lighthouse]` names: the table is edited in
pyproject.toml for the runs and put back afterwards. Writes bench/results/e2e_stage.json.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import tempfile
import time
from pathlib import Path
from typing import Any

from harness import calibrate, timed
from served_app import ROOT, machine, percentile, write_results

PYPROJECT = ROOT / "pyproject.toml"


def one_run(reports: Path) -> dict[str, Any]:
    """Run the e2e stage once into `reports`; return its figures."""
    calibration = calibrate()
    load_before = os.getloadavg()[0]
    command = ["uv", "run", "semaine", "e2e", "--report-dir", str(reports)]
    started = time.time()
    wall, status, _ = timed(command, ROOT, dict(os.environ))
    folder = reports / "e2e"
    # When each step's report was written, in seconds from the command's start.
    written = {
        name: round(path.stat().st_mtime - started, 1)
        for name, path in (
            ("page timing", folder / "page-timing.json"),
            ("lighthouse", folder / "lighthouse" / "lighthouse.json"),
        )
        if path.is_file()
    }
    summary = json.loads((reports / "summary.json").read_text(encoding="utf-8"))
    (stage,) = summary["stages"]
    timing = json.loads((reports / "e2e" / "page-timing.json").read_text(encoding="utf-8"))
    index_path = reports / "e2e" / "lighthouse" / "lighthouse.json"
    index = json.loads(index_path.read_text(encoding="utf-8"))
    return {
        "calibration_s": calibration,
        # Other work on the machine slows a run down: the 1-minute load before and after it.
        "load_1m": [round(load_before, 2), round(os.getloadavg()[0], 2)],
        "command_wall_s": round(wall, 1),
        "written_at_s": written,
        "exit_status": status,
        "stage_s": stage["duration_s"],
        "lighthouse_s": index.get("seconds"),
        "lighthouse_error": index.get("error"),
        "scores": {
            f"{audit['page']} {audit['preset']}": _median_scores(audit)
            for audit in index.get("audits", [])
        },
        # Every run's four scores (None: not scored in that run), to see what varies.
        "runs": {
            f"{audit['page']} {audit['preset']}": [
                [run[key] for key in ("performance", "accessibility", "best-practices", "seo")]
                for run in audit.get("runs", [])
            ]
            for audit in index.get("audits", [])
        },
        "page_load_ms": timing["page_load_ms"],
        "navigations_ms": [item["duration_ms"] for item in timing["navigations"]],
        "server_ms": [_server_ms(item.get("timing", {})) for item in timing["navigations"]],
        "gates": {gate["gate"]: gate["outcome"] for gate in stage["gates"]},
    }


def _median_scores(audit: dict[str, Any]) -> dict[str, Any]:
    """Return the judged scores: each from the median run, else the run that scored it all."""
    if not audit.get("median_run"):
        return {"error": audit.get("error")}
    median = audit["runs"][audit["median_run"] - 1]
    full = audit["runs"][(audit.get("full_run") or audit["median_run"]) - 1]
    keys = ("performance", "accessibility", "best-practices", "seo")
    scores = {key: full[key] if median[key] is None else median[key] for key in keys}
    return scores | {"error": audit.get("error")}


def _server_ms(entry: dict[str, Any]) -> float:
    return round(float(entry.get("responseStart", 0)) - float(entry.get("requestStart", 0)), 1)


def summed_up(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """Return p50 and p95 over every run of the timings, and the spread of the times."""
    navigations = [value for run in runs for value in run["navigations_ms"]]
    server = [value for run in runs for value in run["server_ms"]]
    loads = [run["page_load_ms"] for run in runs]
    return {
        "stage_s": [run["stage_s"] for run in runs],
        "lighthouse_s": [run["lighthouse_s"] for run in runs],
        "navigation_browser_ms": {
            "p50": percentile(navigations, 0.5),
            "p95": percentile(navigations, 0.95),
        },
        "navigation_server_ms": {"p50": percentile(server, 0.5), "p95": percentile(server, 0.95)},
        "first_load_ms": {"p50": percentile(loads, 0.5), "p95": percentile(loads, 0.95)},
    }


def with_pages(pages: str | None) -> bytes | None:
    """Point `[tool.semaine.lighthouse]` at `pages` for the runs; return what to put back."""
    if not pages:
        return None
    original = PYPROJECT.read_bytes()
    listed = ", ".join(json.dumps(page) for page in pages.split(","))
    table = "[tool.semaine.lighthouse]\n"
    text, count = re.subn(
        rf"{re.escape(table)}pages = \[[^\]]*\]", f"{table}pages = [{listed}]", original.decode()
    )
    if count != 1:
        message = "pyproject.toml has no `pages = [...]` first in [tool.semaine.lighthouse]"
        raise SystemExit(message)
    PYPROJECT.write_text(text, encoding="utf-8")
    return original


def main() -> None:
    """Run the stage, print and write the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--pages", help="comma-separated pages instead of the project's")
    parser.add_argument("--name", default="e2e_stage", help="results file name")
    arguments = parser.parse_args()
    original = with_pages(arguments.pages)
    try:
        with tempfile.TemporaryDirectory(prefix="semaine-e2e-bench-") as folder:
            runs = []
            for number in range(arguments.runs):
                run = one_run(Path(folder) / f"run-{number}")
                print(json.dumps({key: run[key] for key in run if key != "server_ms"}))
                runs.append(run)
    finally:
        if original is not None:
            PYPROJECT.write_bytes(original)
    results = {"machine": machine(), "runs": runs, "summary": summed_up(runs)}
    print(json.dumps(results["summary"], indent=2))
    write_results(arguments.name, results)


if __name__ == "__main__":
    main()
