"""`semaine migrate`, `semaine rehearse`: the US1.6 data migration (`rollback`: delivery_verbs).

These verbs (and `semaine rollback --rollback-type database|full`) find the target
database (a secret address, or the DATABASE_URL config var of the environment's Heroku
app) and then run the service's own operation in this process
(`app.db.datamigration.operation`, which `python -m app data ...` runs too).
The flags they share with it come from `app.db.datamigration.commands`.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from app.config import ConfigError, normalise_database_url
from app.db.datamigration import commands
from app.db.datamigration.frontdoor import FrontDoor
from app.errors import ActionableError
from semaine.exit_status import ExitStatus
from semaine.integrations.heroku import HerokuError, HttpHerokuPlatform, app_for_environment
from semaine.integrations.heroku.config import ENVIRONMENTS
from semaine.secrets import SecretError, is_secret_address, resolve_secret

if TYPE_CHECKING:
    import argparse

PROGRAM = "semaine"
TARGET = """\
The database is --database-url, else the DATABASE_URL config var of the
environment's Heroku app, read with --heroku-api-key."""
_REHEARSAL_TARGET = "The database is --database-url: one you can throw away."


class ConfigurationError(ActionableError):
    """The target database cannot be determined from the flags and configuration."""


def register(verbs: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `migrate` and `rehearse` (`rollback` is in delivery_verbs: it does more)."""
    migrate = commands.verb_parser(verbs, "migrate", target=TARGET)
    target_flags(migrate)
    commands.add_migrate_flags(migrate)
    commands.add_report_dir_flag(migrate)
    migrate.set_defaults(run=run_migrate)

    rehearsal = commands.verb_parser(verbs, "rehearse", target=_REHEARSAL_TARGET)
    rehearsal.add_argument(
        "--database-url",
        required=True,
        metavar="URL",
        help="the THROWAWAY database: a URL, env://NAME or file://PATH (required)",
    )
    commands.add_rehearse_flags(rehearsal)
    rehearsal.set_defaults(run=run_rehearse)


def run_migrate(arguments: argparse.Namespace) -> int:
    """Run (or dry-run) the migration against the environment's database."""
    return _run_verb("migrate", arguments)


def run_rehearse(arguments: argparse.Namespace) -> int:
    """Rehearse on a throwaway database and write the JSON figures."""
    from app.db.datamigration.operation import run_rehearsal  # noqa: PLC0415 - loads the runner

    address = arguments.database_url
    try:
        if is_secret_address(address):
            url = normalise_database_url(resolve_secret(address), name=f"the URL in {address}")
        else:
            url = normalise_database_url(address, name="--database-url")
    except (SecretError, ConfigError) as error:
        sys.stderr.write(f"{PROGRAM} rehearse: {error}\n")
        return ExitStatus.REFUSED
    return run_rehearsal(url, arguments.rows, arguments.report_json, FrontDoor(PROGRAM))


def resolve_database_url(arguments: argparse.Namespace) -> str:
    """Return the target URL: --database-url, else DATABASE_URL of the environment's app."""
    if arguments.database_url:
        return normalise_database_url(
            resolve_secret(arguments.database_url), name=f"the URL in {arguments.database_url}"
        )
    api_key = resolve_secret(arguments.heroku_api_key)
    app = app_for_environment(arguments.environment)
    url = HttpHerokuPlatform(api_key).config_vars(app).get("DATABASE_URL")
    if not url:
        msg = f"Heroku app {app} has no DATABASE_URL config var"
        raise ConfigurationError(msg, "attach Heroku Postgres, or pass --database-url env://NAME")
    return normalise_database_url(url, name=f"DATABASE_URL of Heroku app {app}")


def _run_verb(verb: str, arguments: argparse.Namespace) -> int:
    from app.db.datamigration.operation import Request, run_verb  # noqa: PLC0415 - loads the runner

    try:
        url = resolve_database_url(arguments)
    except (SecretError, HerokuError, ConfigurationError, ConfigError) as error:
        sys.stderr.write(f"{PROGRAM} {verb}: {error}\n")
        return ExitStatus.REFUSED
    return run_verb(url, Request.from_arguments(verb, arguments), front_door(arguments))


def front_door(arguments: argparse.Namespace) -> FrontDoor:
    """Name the target as this invocation did, so that next steps reach the same database."""
    target = ["--environment", arguments.environment]
    if arguments.database_url:
        target += ["--database-url", arguments.database_url]
    return FrontDoor(PROGRAM, tuple(target), ("--rollback-type", "database"))


def target_flags(parser: argparse.ArgumentParser) -> None:
    """Add --environment, --database-url and --heroku-api-key."""
    parser.add_argument(
        "--environment",
        choices=ENVIRONMENTS,
        required=True,
        help="the environment whose database to work on (required; its Heroku app:"
        " HEROKU_APP_STAGING / HEROKU_APP_PRODUCTION)",
    )
    parser.add_argument(
        "--database-url",
        metavar="ADDR",
        help="the database URL as a secret address, env://NAME or file://PATH (default: the"
        " DATABASE_URL config var of the environment's Heroku app)",
    )
    parser.add_argument(
        "--heroku-api-key",
        metavar="ADDR",
        default="env://HEROKU_API_KEY",
        help="env://NAME or file://PATH of the Heroku API key, used without --database-url"
        " (default: env://HEROKU_API_KEY)",
    )
