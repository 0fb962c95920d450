"""`semaine migrate`, `semaine rollback`, `semaine rehearse`: the US1.6 data migration."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

import psycopg

from app.db.datamigration.errors import DataMigrationError, ValidationFailedError
from app.db.datamigration.progress import StreamProgress
from app.db.datamigration.rehearsal import rehearse
from app.db.datamigration.runner import DataMigration, MigrationOptions
from app.redaction import scrub
from semaine.integrations.heroku import HerokuError, HttpHerokuPlatform, app_for_environment
from semaine.integrations.heroku.config import ENVIRONMENTS
from semaine.secrets import SecretError, resolve_secret

if TYPE_CHECKING:
    from collections.abc import Callable

    from app.db.datamigration.report import Report

EXIT_OK = 0
EXIT_FAILED = 1  # the run failed (and was rolled back, unless the message says otherwise)
EXIT_REFUSED = 2  # refused before writing anything: fix the cause and run again
DEFAULT_REPORT_DIR = Path("reports/data-migration")
ROLLBACK_TYPES = ("database", "application", "full")


class ConfigurationError(Exception):
    """The target database cannot be determined from the flags and configuration."""


def register(verbs: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `migrate`, `rollback` and `rehearse`."""
    migrate = verbs.add_parser("migrate", help="run the US1.6 data migration (resumable)")
    _target_flags(migrate)
    migrate.add_argument(
        "--dry-run", action="store_true", help="count, sample, estimate; write nothing"
    )
    migrate.add_argument(
        "--batch-size", type=_positive, help="ids per batch (default: adapt to 0.3 s)"
    )
    migrate.add_argument("--dump-path", type=Path, help="also pg_dump -Fc the table there first")
    migrate.set_defaults(run=run_migrate)

    rollback = verbs.add_parser("rollback", help="roll back (database: restore a run's backup)")
    _target_flags(rollback)
    rollback.add_argument("--rollback-type", choices=ROLLBACK_TYPES, required=True)
    rollback.add_argument("--reason", required=True, help="why (recorded with the run)")
    rollback.add_argument("--run-id", help="the run to restore (default: the latest completed)")
    rollback.set_defaults(run=run_rollback)

    rehearsal = verbs.add_parser("rehearse", help="rehearse the migration on a throwaway database")
    rehearsal.add_argument("--database-url", required=True, help="a THROWAWAY database URL")
    rehearsal.add_argument("--rows", type=_positive, default=10_000)
    rehearsal.add_argument("--report-json", type=Path, required=True)
    rehearsal.set_defaults(run=run_rehearse)


def run_migrate(arguments: argparse.Namespace) -> int:
    """Run (or dry-run) the migration and print its report."""
    return _guarded(arguments, lambda m: m.dry_run() if arguments.dry_run else m.migrate())


def run_rollback(arguments: argparse.Namespace) -> int:
    """Roll back; only the database type exists before the deployment feature."""
    if arguments.rollback_type != "database":
        sys.stderr.write(
            f"semaine rollback: --rollback-type {arguments.rollback_type} arrives with the"
            " deployment feature (Heroku releases); only `database` is available now\n"
        )
        return EXIT_REFUSED
    return _guarded(arguments, lambda m: m.rollback(arguments.run_id, arguments.reason))


def run_rehearse(arguments: argparse.Namespace, out: TextIO | None = None) -> int:
    """Rehearse on a throwaway database and write the JSON figures (to stdout by default)."""
    url = arguments.database_url
    if "://" in url and url.split("://", 1)[0] in ("env", "file"):
        url = resolve_secret(url)
    try:
        result = rehearse(url, arguments.rows)
    except DataMigrationError as error:
        sys.stderr.write(f"semaine rehearse: {scrub(str(error), url)}\n")
        return EXIT_FAILED
    figures = result.to_json()
    arguments.report_json.parent.mkdir(parents=True, exist_ok=True)
    arguments.report_json.write_text(json.dumps(figures, indent=2, default=str) + "\n", "utf-8")
    (out or sys.stdout).write(
        f"rehearsal of {result.rows:,} rows: migration {figures['migration_seconds']} s,"
        f" checks {'passed' if figures['passed'] else 'FAILED'}\n"
    )
    return EXIT_OK if figures["passed"] else EXIT_FAILED


def resolve_database_url(arguments: argparse.Namespace) -> str:
    """Return the target URL: --database-url, else DATABASE_URL of the environment's app."""
    if arguments.database_url:
        return resolve_secret(arguments.database_url)
    api_key = resolve_secret(arguments.heroku_api_key)
    app = app_for_environment(arguments.environment)
    url = HttpHerokuPlatform(api_key).config_vars(app).get("DATABASE_URL")
    if not url:
        msg = (
            f"Heroku app {app} has no DATABASE_URL config var: attach Heroku Postgres,"
            " or pass --database-url env://NAME"
        )
        raise ConfigurationError(msg)
    return url


def _guarded(arguments: argparse.Namespace, verb: Callable[[DataMigration], Report]) -> int:
    name = arguments.verb
    url = ""
    try:
        url = resolve_database_url(arguments)
        migration = DataMigration(
            url,
            MigrationOptions(
                environment=arguments.environment,
                batch_size=getattr(arguments, "batch_size", None),
                dump_path=getattr(arguments, "dump_path", None),
            ),
            progress=StreamProgress(sys.stderr),
        )
        report = verb(migration)
    except ValidationFailedError as error:
        sys.stderr.write(f"semaine {name}: {scrub(str(error), url)}\n")
        return EXIT_FAILED
    except (SecretError, HerokuError, ConfigurationError, DataMigrationError) as error:
        sys.stderr.write(f"semaine {name}: {scrub(str(error), url)}\n")
        return EXIT_REFUSED
    except psycopg.Error as error:
        first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        sys.stderr.write(f"semaine {name}: database error: {scrub(first, url)}\n")
        return EXIT_FAILED
    sys.stdout.write(report.to_text())
    json_path, _ = report.write(arguments.report_dir)
    sys.stderr.write(f"report written to {json_path}\n")
    return report.exit_code


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
    parser.add_argument("--report-dir", type=Path, default=DEFAULT_REPORT_DIR)


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        msg = f"must be >= 1, got {value}"
        raise argparse.ArgumentTypeError(msg)
    return value
