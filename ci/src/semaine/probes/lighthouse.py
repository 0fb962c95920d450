"""Audit the app's pages with Lighthouse (Node) in Debian's Chromium; write the reports.

Run as `python -m semaine.probes.lighthouse --app-url URL --output-dir DIR` from the
project folder: the pages, presets and runs come from its `[tool.semaine.lighthouse]`
(semaine.probes.lighthouse_settings). The audits themselves run in Node
(`lighthouse.mjs`, beside this file, on the Lighthouse that `npm ci` installed from the
project's package-lock.json). Whatever happens, DIR/lighthouse.json is written: when
Lighthouse cannot start (no Node, no Chromium, not installed, a crash) its `error` says
why, and the pipeline judges the Lighthouse gates inconclusive, never passed.
Exit status: 0 every audit ran, 1 some did not, 2 Lighthouse could not run.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from semaine.probes.chromium import CHROMIUM, CHROMIUM_ARGS, chromium_available
from semaine.probes.lighthouse_settings import (
    LighthouseSettings,
    SettingsError,
    load_settings,
    resolved_pages,
)

if TYPE_CHECKING:
    from collections.abc import Sequence

SCRIPT = Path(__file__).with_name("lighthouse.mjs")
INDEX = "lighthouse.json"
TIMEOUT_S = 600.0
"""A hang guard only: the 12 audits take well under a minute (docs/benchmarks.md)."""
SETUP = "run scripts/setup (it installs Node.js and npm, then runs npm ci)"


class LighthouseUnavailableError(Exception):
    """Lighthouse cannot run here; the message says what is missing and what to do."""


def installed_lighthouse(script: Path = SCRIPT) -> Path:
    """Return the node_modules folder Node resolves `lighthouse.mjs`'s imports from.

    Node looks in each parent folder of the script in turn, as it resolves `import`s;
    the version installed must be the one package-lock.json pins (`npm ci` keeps them equal).
    """
    for folder in script.resolve().parents:
        package = folder / "node_modules" / "lighthouse" / "package.json"
        if package.is_file():
            _check_pinned(folder, json.loads(package.read_text(encoding="utf-8"))["version"])
            return folder / "node_modules"
    message = f"Lighthouse is not installed (no node_modules/lighthouse above {script.parent})"
    message += f": {SETUP}"
    raise LighthouseUnavailableError(message)


def _check_pinned(folder: Path, installed: str) -> None:
    lock = folder / "package-lock.json"
    if not lock.is_file():
        return
    packages = json.loads(lock.read_text(encoding="utf-8")).get("packages", {})
    pinned = packages.get("node_modules/lighthouse", {}).get("version")
    if pinned and pinned != installed:
        message = (
            f"node_modules holds Lighthouse {installed} but package-lock.json pins {pinned}:"
            " run npm ci (scripts/setup does)"
        )
        raise LighthouseUnavailableError(message)


def node_program(path: str | None = None) -> str:
    """Return Node's path on PATH, or say how to install it."""
    found = shutil.which("node", path=path)
    if found is None:
        message = f"node is not on PATH, so Lighthouse cannot run: {SETUP}"
        raise LighthouseUnavailableError(message)
    return found


def check_chromium() -> None:
    """Say how to install Chromium when it is not where the browser sessions look for it."""
    if not chromium_available():
        message = f"Chromium is not at {CHROMIUM}, so Lighthouse cannot run: {SETUP}"
        raise LighthouseUnavailableError(message)


def audit(app_url: str, output_dir: Path, settings: LighthouseSettings) -> int:
    """Run Lighthouse on the configured pages of `app_url`; write the index and reports."""
    output_dir.mkdir(parents=True, exist_ok=True)
    try:
        node = node_program(os.environ.get("PATH"))
        check_chromium()
        installed_lighthouse()
    except LighthouseUnavailableError as error:
        return _failed(output_dir, str(error))
    pages = resolved_pages(settings.pages, app_url)
    audits = [{**page, "preset": preset} for page in pages for preset in settings.presets]
    lanes = [audits[lane :: settings.lanes] for lane in range(settings.lanes)]
    plans = [
        {
            "audits": lane,
            "runs": settings.runs,
            "full_runs": settings.full_runs,
            "wait_ms": settings.wait_ms,
            "chrome_path": CHROMIUM,
            "chrome_flags": list(CHROMIUM_ARGS),
            "output_dir": str(output_dir.resolve()),
            "index": f"lane-{number}.json",
        }
        for number, lane in enumerate(lanes, start=1)
        if lane
    ]
    started = time.monotonic()
    try:
        statuses = _run_lanes(node, plans)
    except subprocess.TimeoutExpired:
        return _failed(output_dir, f"Lighthouse did not finish within {TIMEOUT_S:.0f} s")
    return _merged(output_dir, plans, statuses, audits, time.monotonic() - started)


def _run_lanes(node: str, plans: list[dict[str, Any]]) -> list[tuple[int, str]]:
    """Run one Node process per lane, all at once; return each one's status and stderr."""
    with tempfile.TemporaryDirectory(prefix="semaine-lighthouse-") as folder:
        processes = []
        try:
            for plan in plans:
                path = Path(folder) / plan["index"]
                path.write_text(json.dumps(plan), encoding="utf-8")
                with path.with_suffix(".log").open("w", encoding="utf-8") as log:
                    processes.append(
                        subprocess.Popen(  # noqa: S603 - our own script, on Node found on PATH
                            [node, str(SCRIPT), str(path)], stdout=subprocess.DEVNULL, stderr=log
                        )
                    )
            deadline = time.monotonic() + TIMEOUT_S
            for process in processes:
                process.wait(timeout=max(0.0, deadline - time.monotonic()))
        finally:
            for process in processes:
                if process.poll() is None:
                    process.terminate()  # the script stops its Chromium on SIGTERM
                    process.wait()
        return [
            (process.returncode, (Path(folder) / plan["index"]).with_suffix(".log").read_text())
            for plan, process in zip(plans, processes, strict=True)
        ]


def _merged(
    output_dir: Path,
    plans: list[dict[str, Any]],
    statuses: list[tuple[int, str]],
    audits: list[dict[str, str]],
    seconds: float,
) -> int:
    """Write lighthouse.json from the lanes' indexes, the audits in the planned order."""
    parts = []
    for plan, (status, stderr) in zip(plans, statuses, strict=True):
        sys.stderr.write(stderr)
        lane = output_dir / plan["index"]
        if not lane.is_file():
            last = (stderr.strip().splitlines() or ["no output"])[-1]
            return _failed(output_dir, f"Lighthouse crashed (exit {status}): {last}")
        parts.append(json.loads(lane.read_text(encoding="utf-8")))
        lane.unlink()
    order = {(audit["page"], audit["preset"]): i for i, audit in enumerate(audits)}
    index = {
        **parts[0],
        "lanes": len(parts),
        "seconds": round(seconds, 1),
        "error": next((part["error"] for part in parts if part.get("error")), None),
        "audits": sorted(
            (audit for part in parts for audit in part["audits"]),
            key=lambda audit: order[(audit["page"], audit["preset"])],
        ),
    }
    for key in ("lighthouse_version", "browser"):
        index[key] = next((part[key] for part in parts if part.get(key)), None)
    (output_dir / INDEX).write_text(json.dumps(index, indent=2) + "\n", encoding="utf-8")
    return max(status for status, _ in statuses)


def _failed(output_dir: Path, reason: str) -> int:
    index = {"error": reason, "audits": []}
    output_dir.mkdir(parents=True, exist_ok=True)
    (output_dir / INDEX).write_text(json.dumps(index, indent=2) + "\n", encoding="utf-8")
    sys.stderr.write(f"lighthouse: {reason}\n")
    return 2


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the options, run the audits and return the exit status."""
    parser = argparse.ArgumentParser(
        prog="python -m semaine.probes.lighthouse",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--app-url", required=True, help="base URL of the running app")
    parser.add_argument(
        "--output-dir", type=Path, required=True, help="folder for lighthouse.json and reports"
    )
    parser.add_argument(
        "--pyproject",
        type=Path,
        default=Path("pyproject.toml"),
        help="where [tool.semaine.lighthouse] is read (default ./pyproject.toml)",
    )
    arguments = parser.parse_args(argv)
    try:
        settings = load_settings(arguments.pyproject)
    except SettingsError as error:
        return _failed(arguments.output_dir, str(error))
    return audit(arguments.app_url.rstrip("/"), arguments.output_dir, settings)


if __name__ == "__main__":
    # Stopped (a step timeout): stop the Node processes and their browsers too.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(128 + signal.SIGTERM))
    sys.exit(main())
