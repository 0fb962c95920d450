"""`semaine dashboard`: render the status page from the monitor's history and the records."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from semaine.dashboard.errors import DashboardError, NotATimeError, UnwritableOutputError
from semaine.dashboard.inputs import load_inputs, parse_now
from semaine.dashboard.page import PAGE, render_site
from semaine.exit_status import ExitStatus

DESCRIPTION = """\
Render the status page: one static HTML file (no server, no script) that a team opens
during an incident. For each environment: the state of each check in the latest run;
uptime over 24 h, 7 d and 30 d against 99.9 %, gaps (scheduled runs that did not
happen) shown as gaps and left out of the uptime; the API check's figures (p95, error
rate) over 7 days against their thresholds; incidents with their durations and issues.
Then deployments, promotions and rollbacks (success rate against 98 %, rollback time
against 10 min) and the latest pipeline run's gates. How each figure is computed:
docs/dashboard.md."""

EXIT_STATUSES = """\
exit status:
  0  the page was written to OUTPUT/index.html
  2  refused, nothing written: the history folder is missing, holds no *.jsonl or no
     readable run for an environment asked for; --deployments or --pipeline-summary
     cannot be read; --now is not a time with its timezone; OUTPUT cannot be written
"""


def register(verbs: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `dashboard`."""
    parser = verbs.add_parser(
        "dashboard",
        help="render the status page (static HTML) from the monitor's history",
        description=DESCRIPTION,
        epilog=EXIT_STATUSES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--history",
        type=Path,
        required=True,
        metavar="DIR",
        help="the monitor's history folder, one ENVIRONMENT.jsonl each (`semaine monitor"
        " --state DIR`; required)",
    )
    parser.add_argument(
        "--environment",
        action="append",
        default=[],
        metavar="NAME",
        help="an environment to show, repeatable, in this order (default: every *.jsonl of"
        " --history, by name)",
    )
    parser.add_argument(
        "--deployments",
        type=Path,
        metavar="DIR",
        help="the deployment records folder (reports/deployments; default: none, the"
        " section says so)",
    )
    parser.add_argument(
        "--pipeline-summary",
        type=Path,
        metavar="FILE",
        help="the summary.json of the latest `semaine pipeline` run (default: none)",
    )
    parser.add_argument(
        "--output",
        type=Path,
        required=True,
        metavar="DIR",
        help=f"the folder to write {PAGE} into, created if needed (required)",
    )
    parser.add_argument(
        "--now",
        type=aware_time,
        default=None,
        metavar="ISO",
        help="the time the page is computed at, ISO 8601 with its timezone, e.g."
        " 2026-11-30T14:00:00Z (default: the current time)",
    )
    parser.set_defaults(run=run_dashboard)


def aware_time(text: str) -> datetime:
    """Parse --now: an ISO 8601 time that names its timezone."""
    try:
        return parse_now(text)
    except NotATimeError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def run_dashboard(arguments: argparse.Namespace) -> int:
    """Read the inputs, render the page and write it; refuse unreadable inputs."""
    now = arguments.now or datetime.now(UTC)
    try:
        inputs = load_inputs(
            arguments.history,
            arguments.environment,
            arguments.deployments,
            arguments.pipeline_summary,
        )
        page = write_page(arguments.output, render_site(inputs, now))
    except DashboardError as error:
        sys.stderr.write(f"semaine dashboard: {error}\n")
        return ExitStatus.REFUSED
    runs = sum(len(history.runs) for history in inputs.histories)
    sys.stdout.write(f"wrote {page} ({runs} runs, {len(inputs.histories)} environments)\n")
    return ExitStatus.DONE


def write_page(folder: Path, html: str) -> Path:
    """Write the page into `folder` whole or not at all: a reader never sees half a page."""
    target = folder / PAGE
    try:
        folder.mkdir(parents=True, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(dir=folder, prefix=f".{PAGE}.")
    except OSError as error:
        raise UnwritableOutputError(target, error) from None
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as stream:
            stream.write(html)
        os.chmod(temporary, 0o644)  # noqa: PTH101 - a page is readable by a web server
        Path(temporary).replace(target)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        raise UnwritableOutputError(target, error) from None
    return target
