"""`python -m app data ...`: the data migration's verbs, and the flags `semaine` shares.

`python -m app data migrate|rollback|rehearse` runs against DATABASE_URL (never a URL
on the command line). `semaine migrate|rollback|rehearse` defines the same flags with
the functions below, resolves its target, then calls the same operation
(`app.db.datamigration.operation`). This module only parses: it imports nothing heavy,
so `--help` answers at once.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from app.cli_arguments import whole_number
from app.config import ConfigError, database_url_from_env
from app.db.datamigration import helptext
from app.db.datamigration.errors import BlankReasonError, required_reason
from app.db.datamigration.frontdoor import APP
from app.exit_status import ExitStatus

if TYPE_CHECKING:
    Verbs = argparse._SubParsersAction[argparse.ArgumentParser]  # noqa: SLF001 - no public name

DEFAULT_REPORT_DIR = Path("reports/data-migration")
DEFAULT_REHEARSAL_ROWS = 10_000
DEFAULT_ENVIRONMENT = "unnamed"
_TARGET = "The database is the one at DATABASE_URL (a URL is never taken from the\ncommand line)."


def register(verbs: Verbs) -> None:
    """Add the `data` verb group to `python -m app`."""
    data = verbs.add_parser(
        "data",
        help="the US1.6 data migration (DATABASE_URL)",
        description="The US1.6 data migration of the database at DATABASE_URL.",
    )
    data_verbs = data.add_subparsers(dest="data_verb", required=True)

    migrate = verb_parser(data_verbs, "migrate", target=_TARGET)
    add_migrate_flags(migrate)
    _environment_flag(migrate)
    add_report_dir_flag(migrate)
    migrate.set_defaults(handler=_migrate)

    rollback = verb_parser(data_verbs, "rollback", target=_TARGET)
    add_rollback_flags(rollback)
    _environment_flag(rollback)
    add_report_dir_flag(rollback)
    rollback.set_defaults(handler=_rollback)

    rehearsal = verb_parser(data_verbs, "rehearse", target=_TARGET)
    add_rehearse_flags(rehearsal)
    rehearsal.set_defaults(handler=_rehearse)

    seed = verb_parser(data_verbs, "seed", target=_TARGET)
    seed.add_argument(
        "--legacy",
        type=whole_number,
        required=True,
        metavar="N",
        help="how many legacy rows to add (required; 1071 or more cover every edge)",
    )
    seed.set_defaults(handler=_seed)


def verb_parser(verbs: Verbs, verb: str, *, target: str) -> argparse.ArgumentParser:
    """Add `verb` with its description, where `target` says the database comes from."""
    return verbs.add_parser(
        verb,
        help=helptext.SUMMARY[verb],
        description=f"{helptext.DESCRIPTION[verb]}\n\n{target}\n\n{helptext.RUNBOOK}",
        epilog=helptext.EXIT_STATUSES[verb],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )


def add_migrate_flags(parser: argparse.ArgumentParser) -> None:
    """Add --dry-run, --batch-size and --dump-path."""
    parser.add_argument(
        "--dry-run",
        action="store_true",
        help="count the rows to change, show ten of them before -> after and estimate the"
        " time; write nothing (default: migrate)",
    )
    parser.add_argument(
        "--batch-size",
        type=whole_number,
        metavar="N",
        help="ids per batch, each its own transaction (default: adapt the width so that a"
        " batch lasts about 0.3 s)",
    )
    parser.add_argument(
        "--dump-path",
        type=Path,
        metavar="PATH",
        help="also pg_dump -Fc the entries table to PATH before any write (default: no dump;"
        " the backup table is always taken)",
    )


def add_rollback_flags(parser: argparse.ArgumentParser) -> None:
    """Add --reason and --run-id."""
    parser.add_argument(
        "--reason",
        type=_reason,
        required=True,
        metavar="TEXT",
        help="why you roll back, recorded with the run (required, not blank)",
    )
    parser.add_argument(
        "--run-id",
        metavar="ID",
        help="the run to restore (default: the latest completed run)",
    )


def add_rehearse_flags(parser: argparse.ArgumentParser) -> None:
    """Add --rows and --report-json."""
    parser.add_argument(
        "--rows",
        type=whole_number,
        default=DEFAULT_REHEARSAL_ROWS,
        metavar="N",
        help=f"legacy rows to generate (default: {DEFAULT_REHEARSAL_ROWS})",
    )
    parser.add_argument(
        "--report-json",
        type=Path,
        required=True,
        metavar="PATH",
        help="where to write the figures and checks (required)",
    )


def add_report_dir_flag(parser: argparse.ArgumentParser) -> None:
    """Add --report-dir."""
    parser.add_argument(
        "--report-dir",
        type=Path,
        default=DEFAULT_REPORT_DIR,
        metavar="DIR",
        help="where to write the report, <verb>-<run id>.json and .txt, never over an"
        f" earlier one (default: {DEFAULT_REPORT_DIR})",
    )


def _environment_flag(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--environment",
        default=DEFAULT_ENVIRONMENT,
        metavar="NAME",
        help=f"a name recorded with the run and in its report (default: {DEFAULT_ENVIRONMENT})",
    )


def _migrate(arguments: argparse.Namespace) -> int:
    return _run_verb("migrate", arguments)


def _rollback(arguments: argparse.Namespace) -> int:
    return _run_verb("rollback", arguments)


# The operation loads psycopg and the runner: only a verb that runs imports it.
def _run_verb(verb: str, arguments: argparse.Namespace) -> int:
    from app.db.datamigration import operation  # noqa: PLC0415 - see the comment above

    url = _database_url(verb)
    if url is None:
        return ExitStatus.REFUSED
    return operation.run_verb(url, operation.Request.from_arguments(verb, arguments), APP)


def _rehearse(arguments: argparse.Namespace) -> int:
    from app.db.datamigration import operation  # noqa: PLC0415 - see the comment above

    url = _database_url("rehearse")
    if url is None:
        return ExitStatus.REFUSED
    return operation.run_rehearsal(url, arguments.rows, arguments.report_json, APP)


def _seed(arguments: argparse.Namespace) -> int:
    from app.db.errors import DbError, QueryFailedError  # noqa: PLC0415 - see _run_verb
    from app.db.seed import seed_legacy_rows  # noqa: PLC0415 - see the comment on _run_verb

    url = _database_url("seed")
    if url is None:
        return ExitStatus.REFUSED
    try:
        added = seed_legacy_rows(url, arguments.legacy)
    except QueryFailedError as error:
        sys.stderr.write(f"{APP.program} seed: {error}\n")
        return ExitStatus.FAILED
    except DbError as error:
        sys.stderr.write(f"{APP.program} seed: {error}\n")
        return ExitStatus.REFUSED
    sys.stdout.write(f"added {added:,} legacy rows (Sunday weeks, no ISO fields)\n")
    return ExitStatus.DONE


def _database_url(verb: str) -> str | None:
    try:
        return database_url_from_env()
    except ConfigError as error:
        sys.stderr.write(f"{APP.program} {verb}: {error}\n")
        return None


def _reason(text: str) -> str:
    try:
        return required_reason(text)
    except BlankReasonError as error:
        raise argparse.ArgumentTypeError(error.advice) from None
