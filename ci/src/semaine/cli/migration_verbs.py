"""`semaine migrate`, `semaine rollback`, `semaine rehearse`: the US1.6 data migration.

These verbs find the target database (a secret address, or the DATABASE_URL config var
of the environment's Heroku app) and then run the service's own operation in this
process (`app.db.datamigration.operation`, which `python -m app data ...` runs too).
The flags they share with it come from `app.db.datamigration.commands`.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from app.config import ConfigError, normalise_database_url
from app.db.datamigration import commands
from app.db.datamigration.frontdoor import FrontDoor
from semaine.integrations.heroku import HerokuError, HttpHerokuPlatform, app_for_environment
from semaine.integrations.heroku.config import ENVIRONMENTS
from semaine.secrets import SecretError, resolve_secret

if TYPE_CHECKING:
    import argparse

EXIT_REFUSED = 2  # refused before writing anything: fix the cause and run again
ROLLBACK_TYPES = ("database", "application", "full")
PROGRAM = "semaine"


class ConfigurationError(Exception):
    """The target database cannot be determined from the flags and configuration."""


def register(verbs: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `migrate`, `rollback` and `rehearse`."""
    migrate = verbs.add_parser("migrate", help="run the US1.6 data migration (resumable)")
    _target_flags(migrate)
    commands.add_migrate_flags(migrate)
    commands.add_report_dir_flag(migrate)
    migrate.set_defaults(run=run_migrate)

    rollback = verbs.add_parser("rollback", help="roll back (database: restore a run's backup)")
    _target_flags(rollback)
    rollback.add_argument("--rollback-type", choices=ROLLBACK_TYPES, required=True)
    commands.add_rollback_flags(rollback)
    commands.add_report_dir_flag(rollback)
    rollback.set_defaults(run=run_rollback)

    rehearsal = verbs.add_parser("rehearse", help="rehearse the migration on a throwaway database")
    rehearsal.add_argument("--database-url", required=True, help="a THROWAWAY database URL")
    commands.add_rehearse_flags(rehearsal)
    rehearsal.set_defaults(run=run_rehearse)


def run_migrate(arguments: argparse.Namespace) -> int:
    """Run (or dry-run) the migration against the environment's database."""
    return _run_verb("migrate", arguments)


def run_rollback(arguments: argparse.Namespace) -> int:
    """Roll back; only the database type exists before the deployment feature."""
    if arguments.rollback_type != "database":
        sys.stderr.write(
            f"semaine rollback: --rollback-type {arguments.rollback_type} arrives with the"
            " deployment feature (Heroku releases); only `database` is available now\n"
        )
        return EXIT_REFUSED
    return _run_verb("rollback", arguments)


def run_rehearse(arguments: argparse.Namespace) -> int:
    """Rehearse on a throwaway database and write the JSON figures."""
    from app.db.datamigration.operation import run_rehearsal  # noqa: PLC0415 - loads the runner

    address = arguments.database_url
    try:
        if address.split("://", 1)[0] in ("env", "file"):
            url = normalise_database_url(resolve_secret(address), name=f"the URL in {address}")
        else:
            url = normalise_database_url(address, name="--database-url")
    except (SecretError, ConfigError) as error:
        sys.stderr.write(f"{PROGRAM} rehearse: {error}\n")
        return EXIT_REFUSED
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
        msg = (
            f"Heroku app {app} has no DATABASE_URL config var: attach Heroku Postgres,"
            " or pass --database-url env://NAME"
        )
        raise ConfigurationError(msg)
    return normalise_database_url(url, name=f"DATABASE_URL of Heroku app {app}")


def _run_verb(verb: str, arguments: argparse.Namespace) -> int:
    from app.db.datamigration.operation import Request, run_verb  # noqa: PLC0415 - loads the runner

    try:
        url = resolve_database_url(arguments)
    except (SecretError, HerokuError, ConfigurationError, ConfigError) as error:
        sys.stderr.write(f"{PROGRAM} {verb}: {error}\n")
        return EXIT_REFUSED
    return run_verb(url, Request.from_arguments(verb, arguments), _door(arguments))


def _door(arguments: argparse.Namespace) -> FrontDoor:
    """Name the target as this invocation did, so that next steps reach the same database."""
    target = ["--environment", arguments.environment]
    if arguments.database_url:
        target += ["--database-url", arguments.database_url]
    return FrontDoor(PROGRAM, tuple(target), ("--rollback-type", "database"))


def _target_flags(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--environment", choices=ENVIRONMENTS, required=True)
    parser.add_argument(
        "--database-url",
        metavar="ADDR",
        help="env://NAME or file://PATH (default: DATABASE_URL of the environment's Heroku app)",
    )
    parser.add_argument(
        "--heroku-api-key",
        metavar="ADDR",
        default="env://HEROKU_API_KEY",
        help="env://NAME or file://PATH of the Heroku API key (default env://HEROKU_API_KEY)",
    )
