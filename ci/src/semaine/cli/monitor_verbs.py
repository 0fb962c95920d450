"""`semaine monitor`: check an environment once, alert on incidents, record and report the run."""

from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path
from urllib.parse import urlsplit

from app.config import ConfigError, normalise_database_url
from app.errors import ActionableError
from app.redaction import redact_url
from semaine.environments import EnvironmentFileError, load_environment
from semaine.exit_status import ExitStatus
from semaine.monitoring.escalation import Alerting, GitHubTarget
from semaine.monitoring.report import REPORT_JSON, REPORT_MD
from semaine.monitoring.run import MonitorSettings, monitor
from semaine.records.history import history_file
from semaine.secrets import SecretError, resolve_secret

PROGRAM = "semaine monitor"
DEFAULT_STATE = Path("monitoring")
DEFAULT_REPORT = Path("reports") / "monitor"
GITHUB_REPO = re.compile(r"^[A-Za-z0-9-]+/[A-Za-z0-9._-]+$")
DESCRIPTION = """\
Check an environment once: its health endpoints, the API's p95 and error rate, the week
pages' navigation, the database (with --database-url) and the TLS certificate, each with
the conditions and timeout of the `monitoring` section of .github/environments/E.yml.
A failing check is re-checked within the run (`retests`) before it counts; an incident
opens after `incident_after_failed_runs` failing runs and resolves after
`resolve_after_passed_runs` passing runs, counted in the history (--state). An incident
alerts Slack once when it opens and once when it resolves, and has one GitHub issue
(labels incident, E, the check), commented when it worsens and closed when it resolves.
In a maintenance window nothing is sent; the run is still recorded.
Secrets are addresses (env://NAME or file://PATH), never values. docs/operations.md
says what each check measures and what to do on each alert."""
EXIT_STATUSES = """\
exit status:
  0  every check is up
  1  a check is down or degraded
  2  refused: an unknown environment, an invalid environment file, a secret that cannot
     be read, --github-token without --github-repo, a --state or --report that cannot be
     a folder to write in; nothing was checked or recorded
  3  no check failed, but one could not run (state error), or an alert could not be
     delivered (Slack or GitHub failed: see the report's problems)

writes: STATE/E.jsonl (one line appended per run), REPORT/report.json, REPORT/report.md
(fit for $GITHUB_STEP_SUMMARY)."""


def register(verbs: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `monitor`."""
    verb = verbs.add_parser(
        "monitor",
        help="check an environment once; alert on Slack and GitHub as incidents open and resolve",
        description=DESCRIPTION,
        epilog=EXIT_STATUSES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    verb.add_argument(
        "--environment",
        required=True,
        metavar="E",
        help="the environment to check, a file of .github/environments/ (required)",
    )
    verb.add_argument(
        "--url",
        type=_service_url,
        help="check this base URL instead of the environment file's url: for tests against"
        " a local service and for staging previews; http:// allowed (the tls check is then"
        " skipped) (default: the file's url)",
    )
    verb.add_argument(
        "--database-url",
        metavar="ADDR",
        help="the database to check read-only, as env://NAME or file://PATH (default: none;"
        " the database check is skipped)",
    )
    verb.add_argument(
        "--slack-webhook",
        metavar="ADDR",
        help="the Slack incoming webhook URL, as env://NAME or file://PATH (default: none;"
        " no Slack alert)",
    )
    verb.add_argument(
        "--github-token",
        metavar="ADDR",
        help="a token allowed to write issues, as env://NAME or file://PATH; needs"
        " --github-repo (default: none; no incident issue, the history alone keeps state)."
        " The API's base URL is GITHUB_API_URL (default https://api.github.com)",
    )
    verb.add_argument(
        "--github-repo",
        type=_github_repo,
        metavar="OWNER/NAME",
        help="the repository whose issues record incidents (default: none)",
    )
    verb.add_argument(
        "--state",
        type=Path,
        default=DEFAULT_STATE,
        metavar="DIR",
        help=f"the history: E.jsonl is read, then a line appended (default: {DEFAULT_STATE}/)",
    )
    verb.add_argument(
        "--report",
        type=Path,
        default=DEFAULT_REPORT,
        metavar="DIR",
        help=f"where {REPORT_JSON} and {REPORT_MD} go (default: {DEFAULT_REPORT}/)",
    )
    verb.add_argument(
        "--project-dir",
        type=Path,
        default=Path(),
        metavar="DIR",
        help="the checkout holding .github/environments/ (default: .)",
    )
    verb.set_defaults(run=run_monitor)


def run_monitor(arguments: argparse.Namespace) -> int:
    """Check once, record, report; print where the report is; return the exit status."""
    try:
        settings = settings_from(arguments)
    except (EnvironmentFileError, SecretError, ConfigError, UsageError) as error:
        sys.stderr.write(f"{PROGRAM}: {error}\n")
        return ExitStatus.REFUSED
    run, status = monitor(settings)
    sys.stdout.write(
        f"{run.environment} ({redact_url(settings.base_url)}): {run.state}, exit status {status}\n"
    )
    for name, result in run.checks.items():
        sys.stdout.write(f"  {name}: {result.state}, {result.detail}\n")
    for problem in run.problems:
        sys.stdout.write(f"  problem: {problem}\n")
    sys.stderr.write(
        f"report: {settings.report_dir / REPORT_MD}; history:"
        f" {history_file(settings.state_dir, run.environment)}\n"
    )
    return int(status)


class UsageError(ActionableError):
    """Flags that do not go together."""


def settings_from(arguments: argparse.Namespace) -> MonitorSettings:
    """Load the environment and resolve every secret address (raises on any mistake)."""
    environment = load_environment(arguments.environment, arguments.project_dir)
    # Refused now, not after the checks: an alert sent but never recorded would be sent again.
    _require_writable_folder("--state", arguments.state)
    _require_writable_folder("--report", arguments.report)
    if arguments.github_token and not arguments.github_repo:
        message = "--github-token needs --github-repo OWNER/NAME"
        raise UsageError(message, "add it (in Actions: ${{ github.repository }})")
    if arguments.github_repo and not arguments.github_token:
        message = "--github-repo needs --github-token ADDR"
        raise UsageError(message, "add it (in Actions: env://GITHUB_TOKEN)")
    database_url = None
    if arguments.database_url:
        database_url = normalise_database_url(
            resolve_secret(arguments.database_url), name=f"the URL in {arguments.database_url}"
        )
    github = None
    if arguments.github_token:
        github = GitHubTarget(arguments.github_repo, resolve_secret(arguments.github_token))
    slack = resolve_secret(arguments.slack_webhook) if arguments.slack_webhook else None
    return MonitorSettings(
        environment=environment,
        base_url=arguments.url or environment.base_url,
        state_dir=arguments.state,
        report_dir=arguments.report,
        database_url=database_url,
        alerting=Alerting(slack_webhook=slack, github=github),
    )


def _require_writable_folder(flag: str, folder: Path) -> None:
    """Refuse a folder that is a file, or lies under one, or that cannot be written in."""
    existing = folder
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        problem = f"{flag} {folder} cannot be a folder: {existing} is a file"
    elif not os.access(existing, os.W_OK | os.X_OK):
        problem = f"{flag} {folder} cannot be written: {existing} is not writable"
    else:
        return
    raise UsageError(problem, f"pass {flag} a folder you can write to")


def _service_url(text: str) -> str:
    parts = urlsplit(text.strip())
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        message = (
            f"expected an http(s) base URL such as http://127.0.0.1:8000, not {redact_url(text)!r}"
        )
        raise argparse.ArgumentTypeError(message)
    if parts.username or parts.password:
        message = "a service URL carries no credentials"
        raise argparse.ArgumentTypeError(message)
    return text.strip().rstrip("/")


def _github_repo(text: str) -> str:
    if not GITHUB_REPO.fullmatch(text):
        message = f"expected OWNER/NAME, not {text!r}"
        raise argparse.ArgumentTypeError(message)
    return text
