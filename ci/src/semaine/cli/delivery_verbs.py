"""`semaine release` and `semaine rollback`: deliver on Heroku, roll back the app, data or both.

The verbs parse flags, resolve secrets and the environment file, then call
`semaine.delivery` (release_images, roll_back), which writes the record and says what
happened. Exit status: 0 done, 1 failed (rolled back automatically when the message
says so), 2 refused before any change.
"""

from __future__ import annotations

import argparse
import math
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from app.db.datamigration import commands
from app.errors import ActionableError
from semaine.cli.migration_verbs import PROGRAM, front_door, resolve_database_url
from semaine.delivery.authorisation import current_actor
from semaine.delivery.context import DeliveryContext, ReleaseImages, Waits
from semaine.delivery.database import DataRollback
from semaine.delivery.release import release_images
from semaine.delivery.rollback import ROLLBACK_TYPES, RollbackRequest, roll_back
from semaine.delivery.smoke import URL_SETTING
from semaine.environments import load_environment
from semaine.exit_status import ExitStatus
from semaine.integrations.heroku import HerokuPlatform, HttpHerokuPlatform
from semaine.integrations.heroku.config import ENVIRONMENTS
from semaine.secrets import resolve_secret

if TYPE_CHECKING:
    from semaine.records import DeploymentRecord

DEFAULT_REPORTS = Path("reports")
_EXIT_STATUSES = """\
exit status:
  0  done{done}
  1  failed{failed}
  2  refused or usage error, nothing changed"""
_RELEASE = """\
Release a web and a release image (their config digests, sha256:...) on the
environment's Heroku app: note the current release, PATCH the formation
(docker-releases API variant), follow the new release to succeeded, failed or
expired (streaming its release-phase output), smoke-test the environment's url
(/readyz reports the new release; /api/v1/dates/{today}/week answers a
Monday-Sunday week; retries as the environment file's smoke section says). A
failed smoke test rolls the application back to the previous eligible release.
Writes a record (JSON and text) under --reports/deployments.

The environment comes from .github/environments/<name>.yml under --project-dir;
{url} points the smoke test elsewhere (tests, tunnels). Guide: docs/deployment.md."""
_ROLLBACK = """\
Roll an environment back, after checking (before any change) that there is a
reason, the typed confirmation production asks for (--confirm production), and
that you (GITHUB_ACTOR, else your git user) are among the environment file's
rollback_actors; a safety rail, not the boundary (docs/deployment.md).

  application  the newest earlier release that succeeded, is eligible and not
               expired (or --to-release vNN): a Heroku rollback, followed and
               smoke-tested like a release. The database is not touched.
  database     the schema down to 0002_us16_expand when it is at 0003 (the
               restored legacy rows need it), then the US1.6 data migration's
               rollback: a run's rows restored from its backup and checked.
  full         both, in the order that keeps the running code compatible with the
               schema; the plan is printed first. Stopped halfway, run it again:
               each step sees what is done and carries on.

Every rollback writes a record under --reports/deployments. Runbooks:
docs/deployment.md, docs/data-migration.md."""


def register(verbs: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `release` and `rollback`."""
    release = verbs.add_parser(
        "release",
        help="release an image pair on Heroku, smoke-test it, roll back if it fails",
        description=_RELEASE.replace("{url}", URL_SETTING),
        epilog=_EXIT_STATUSES.format(
            done=": released and smoke-tested",
            failed=": no new release, a failed or hung release phase (the previous release"
            "\n     stays live), or a failed smoke test (rolled back automatically)",
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _environment_flags(release, "the environment to release on")
    release.add_argument(
        "--web-image",
        required=True,
        metavar="DIGEST",
        help="the web image's config digest (required)",
    )
    release.add_argument(
        "--release-image",
        required=True,
        metavar="DIGEST",
        help="the release-phase image's config digest (required)",
    )
    release.add_argument(
        "--release-timeout",
        type=_positive_seconds,
        default=Waits().release_timeout_seconds,
        metavar="SECONDS",
        help="how long a release may stay pending (default: %(default)g)",
    )
    _delivery_flags(release)
    release.set_defaults(run=run_release)

    rollback = verbs.add_parser(
        "rollback",
        help="roll back the application, the database, or both (full)",
        description=_ROLLBACK,
        epilog=_EXIT_STATUSES.format(
            done=" (rolled back, or already rolled back)",
            failed=": a step failed; the message says which, and running the same"
            "\n     command again resumes (a data restore stays rolling_back until then)",
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _environment_flags(rollback, "the environment to roll back")
    rollback.add_argument(
        "--rollback-type",
        choices=ROLLBACK_TYPES,
        required=True,
        help="what to roll back: application, database or full (required)",
    )
    commands.add_rollback_flags(rollback)
    rollback.add_argument(
        "--confirm",
        metavar="NAME",
        help="the environment's name, typed again: required where the environment file"
        " says confirmation_required (production)",
    )
    rollback.add_argument(
        "--to-release",
        metavar="vNN",
        help="the release to roll the application back to (default: the newest earlier one"
        " that succeeded, is eligible and not expired)",
    )
    rollback.add_argument(
        "--database-url",
        metavar="ADDR",
        help="database and full: the database URL as env://NAME or file://PATH (default:"
        " the DATABASE_URL config var of the environment's Heroku app)",
    )
    commands.add_report_dir_flag(rollback)
    _delivery_flags(rollback)
    rollback.set_defaults(run=run_rollback)


def run_release(arguments: argparse.Namespace) -> int:
    """Release the images; 0 released, 1 failed or rolled back, 2 refused."""
    try:
        images = ReleaseImages(arguments.web_image, arguments.release_image)
        environment = load_environment(arguments.environment, arguments.project_dir)
        context = _context(arguments, Waits(release_timeout_seconds=arguments.release_timeout))
    except (ActionableError, ValueError) as error:
        return _refused("release", error)
    return reported("release", release_images(environment, images, context))


def reported(verb: str, record: DeploymentRecord) -> int:
    """Print `record`, its detail on stderr unless it succeeded; return its exit status."""
    sys.stdout.write(record.as_text())
    status = {"succeeded": ExitStatus.DONE, "refused": ExitStatus.REFUSED}
    code = status.get(record.outcome, ExitStatus.FAILED)
    if code != ExitStatus.DONE:
        sys.stderr.write(f"{PROGRAM} {verb}: {record.detail}\n")
    return code


def run_rollback(arguments: argparse.Namespace) -> int:
    """Roll back; 0 done, 1 a step failed (run again to resume), 2 refused."""
    from app.db.datamigration.operation import Request  # noqa: PLC0415 - loads the runner

    kind = arguments.rollback_type
    try:
        environment = load_environment(arguments.environment, arguments.project_dir)
        context = _context(arguments, Waits(), api_key_needed=kind != "database")
        data = None
        if kind != "application":
            data = DataRollback(
                resolve_database_url(arguments),
                Request.from_arguments("rollback", arguments),
                front_door(arguments),
            )
    except ActionableError as error:
        return _refused("rollback", error)
    request = RollbackRequest(
        rollback_type=kind,
        reason=arguments.reason,
        confirm=arguments.confirm,
        to_release=arguments.to_release,
        data=data,
    )
    result = roll_back(environment, request, context)
    sys.stdout.write(result.record.as_text())
    if result.status != ExitStatus.DONE:
        sys.stderr.write(f"{PROGRAM} rollback: {result.record.detail}\n")
    return result.status


def _context(
    arguments: argparse.Namespace, waits: Waits, *, api_key_needed: bool = True
) -> DeliveryContext:
    # With --database-url, a database rollback never calls Heroku: no key needed.
    needed = api_key_needed or not getattr(arguments, "database_url", None)
    api_key = resolve_secret(arguments.heroku_api_key) if needed else ""
    return delivery_context(arguments, HttpHerokuPlatform(api_key), waits)


def delivery_context(
    arguments: argparse.Namespace, platform: HerokuPlatform, waits: Waits | None = None
) -> DeliveryContext:
    """Build what a delivery verb works with from its flags: actor, reports, smoke URL, Slack."""
    webhook = resolve_secret(arguments.slack_webhook) if arguments.slack_webhook else None
    return DeliveryContext(
        platform=platform,
        actor=arguments.actor or current_actor() or "",
        reports=arguments.reports,
        smoke_url=os.environ.get(URL_SETTING) or None,
        slack_webhook=webhook,
        waits=waits or Waits(),
    )


def _refused(verb: str, error: Exception) -> int:
    sys.stderr.write(f"{PROGRAM} {verb}: {error}\n")
    return ExitStatus.REFUSED


def _environment_flags(parser: argparse.ArgumentParser, what: str) -> None:
    parser.add_argument(
        "--environment", choices=ENVIRONMENTS, required=True, help=f"{what} (required)"
    )
    parser.add_argument(
        "--project-dir",
        type=Path,
        default=Path(),
        metavar="DIR",
        help="the project whose .github/environments/ to read (default: .)",
    )


def _delivery_flags(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--actor",
        metavar="LOGIN",
        help="who delivers, a GitHub login, for the record and (rollback) the rollback_actors"
        " check (default: GITHUB_ACTOR, else the git user); the Dagger functions pass it,"
        " since the engine cannot see the caller's environment",
    )
    parser.add_argument(
        "--heroku-api-key",
        metavar="ADDR",
        default="env://HEROKU_API_KEY",
        help="env://NAME or file://PATH of the Heroku API key (default: env://HEROKU_API_KEY;"
        " a database rollback with --database-url does without)",
    )
    parser.add_argument(
        "--slack-webhook",
        metavar="ADDR",
        help="env://NAME or file://PATH of a Slack incoming webhook: the record is posted"
        " there; a Slack failure is reported, never fatal (default: no post)",
    )
    parser.add_argument(
        "--reports",
        type=Path,
        default=DEFAULT_REPORTS,
        metavar="DIR",
        help="where records go: DIR/deployments/<id>.json and .txt (default: reports)",
    )


def _positive_seconds(text: str) -> float:
    try:
        seconds = float(text)
    except ValueError:
        seconds = math.nan
    if not (math.isfinite(seconds) and seconds > 0):
        message = f"expected a number of seconds above 0, e.g. 900, not {text!r}"
        raise argparse.ArgumentTypeError(message)
    return seconds
