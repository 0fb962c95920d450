"""`python -m app`: schema revisions (`db ...`), the data migration (`data ...`), the server."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import signal
import sys
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from app.config import (
    ConfigError,
    Settings,
    database_url_from_env,
    parse_port,
    port_from_env,
)
from app.db.datamigration import commands as data_commands
from app.db.errors import (
    DatabaseUnreachableError,
    LegacyRowsRemainError,
    LegacySeedRefusedError,
    QueryFailedError,
    UnknownRevisionError,
)
from app.db.tls import UnencryptedConnectionError
from app.errors import ActionableError
from app.exit_status import ExitStatus

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from types import FrameType

    from app.weeks import Week

_log = logging.getLogger("app.cli")

ASGI_APP = "app.main:app"
EXIT_STATUSES = """\
exit status (the `db` and `serve` verbs; each `data` verb lists its own):
  0    done (or nothing to do)
  1    failed after work started (e.g. PostgreSQL refused a statement mid-way)
  2    refused or usage error, nothing changed: a missing or invalid setting, an
       unknown revision, an unreachable database, a contract step with legacy rows left
  130  interrupted (Ctrl-C)"""
DEV_DATABASE = "semaine"


class CliError(ActionableError):
    """A usage the flags' types cannot catch (e.g. an empty week span): exit status 2."""


class _StopRequestedError(Exception):
    """SIGTERM arrived (Heroku stops dynos with it): unwind and clean up."""


# ---------------------------------------------------------------------------- db
# alembic, SQLAlchemy and uvicorn take about half a second to import: only the verbs
# that use them import them (app.db.migrate), so `--help` and usage errors answer at once.
def db_upgrade(args: argparse.Namespace) -> int:
    """Upgrade the database to a revision (default head)."""
    from app.db import migrate  # noqa: PLC0415 - see the comment above

    url = database_url_from_env()
    migrate.upgrade(url, args.revision)
    _log.info("database at schema revision %s", migrate.current_revision(url))
    return ExitStatus.DONE


def db_downgrade(args: argparse.Namespace) -> int:
    """Downgrade the database to a revision (`base` removes them all)."""
    from app.db import migrate  # noqa: PLC0415 - see the comment above

    url = database_url_from_env()
    migrate.downgrade(url, args.revision)
    _log.info("database at schema revision %s", migrate.current_revision(url) or "base")
    return ExitStatus.DONE


def db_current(_args: argparse.Namespace) -> int:
    """Print the database's revision and where it stands against this image's head."""
    from app.db import migrate  # noqa: PLC0415 - see the comment above

    current = migrate.current_revision(database_url_from_env())
    head = migrate.head_revision()
    if current is None:
        _out(f"none (no schema revision yet; this image's head is {head})")
    elif current == head:
        _out(f"{current} (head)")
    elif current in migrate.known_revisions():
        _out(f"{current} (behind this image's head {head})")
    else:
        _out(f"{current} (unknown to this image: the database is ahead of head {head})")
    return ExitStatus.DONE


def db_check(_args: argparse.Namespace) -> int:
    """Print the differences between the database and the declared schema; 1 if any."""
    from app.db import migrate  # noqa: PLC0415 - see the comment above

    url = database_url_from_env()
    differences = migrate.schema_diff(url)
    for difference in differences:
        _out(str(difference))
    if differences:
        _log.error(
            "%d difference(s) between the database and the declared schema (app/db/schema.py)",
            len(differences),
        )
        return ExitStatus.FAILED
    _log.info(
        "the database matches the declared schema (revision %s)", migrate.current_revision(url)
    )
    return ExitStatus.DONE


def db_release(_args: argparse.Namespace) -> int:
    """Heroku release phase: upgrade to head, or stop at expand while data is pending."""
    from app.db import migrate  # noqa: PLC0415 - see the comment above

    url = database_url_from_env()
    current = migrate.current_revision(url)
    if current is not None and current not in migrate.known_revisions():
        _log.info(
            "database is ahead of this image, nothing to do (database at %s, image head %s)",
            current,
            migrate.head_revision(),
        )
        return ExitStatus.DONE
    try:
        migrate.upgrade(url, "head")
    except LegacyRowsRemainError as pending:
        # Each revision commits on its own, so expand is in place already; make sure.
        migrate.upgrade(url, migrate.EXPAND_REVISION)
        _log.warning(
            "data migration pending: the database stays at %s: %s", migrate.EXPAND_REVISION, pending
        )
        return ExitStatus.DONE
    _log.info("database at schema revision %s (head)", migrate.current_revision(url))
    return ExitStatus.DONE


def db_seed(args: argparse.Namespace) -> int:
    """Add sample entries spread over a span of weeks (load tests, benchmarks)."""
    from app.db.seed import seed_entries  # noqa: PLC0415 - only this verb needs it
    from app.weeks import CalendarError, Week  # noqa: PLC0415 - only this verb needs it

    try:
        first, last = Week.parse(args.first_week), Week.parse(args.last_week)
    except CalendarError as error:
        raise CliError(str(error)) from None
    if args.weeks_around_today is not None:
        first, last = _weeks_around_today(args.weeks_around_today)
    if last < first or args.entries < 1:
        msg = "need --entries >= 1 and --first-week <= --last-week"
        msg += f", not {args.entries}, {first}..{last}"
        raise CliError(msg)
    seed_entries(database_url_from_env(), args.entries, first, last)
    _log.info("added %d sample entries over %s..%s", args.entries, first, last)
    return ExitStatus.DONE


def _weeks_around_today(weeks: int) -> tuple[Week, Week]:
    """Return the weeks `weeks` before and after today's (the service's time zone)."""
    import datetime as dt  # noqa: PLC0415 - only this verb needs it

    from app.weeks import DEFAULT_TIME_ZONE, Week, current_week  # noqa: PLC0415 - see db_seed

    if weeks < 0:
        msg = f"need --weeks-around-today >= 0, not {weeks}"
        raise CliError(msg)
    monday = current_week(DEFAULT_TIME_ZONE).monday
    span = dt.timedelta(weeks=weeks)
    return Week.from_date(monday - span), Week.from_date(monday + span)


# ------------------------------------------------------------------------- serve
def serve(args: argparse.Namespace) -> int:
    """Run the web server (uvicorn) on app.main:app; with --dev, on a throwaway database."""
    port = args.port if args.port is not None else port_from_env()
    if not args.dev:
        _require_database()
        return _run_uvicorn(args.host or "0.0.0.0", port)  # noqa: S104 - a dyno must listen on every interface  # nosec B104
    return _serve_dev(args.host or "127.0.0.1", port)


def _require_database() -> None:
    """Raise DatabaseUnreachableError (one line) if the configured database cannot be reached."""
    # The app's startup would fail the same way, but as uvicorn's page of traceback.
    from app.db.pool import open_pool  # noqa: PLC0415 - see the comment on db

    try:
        settings = Settings.from_env()
    except ConfigError:
        return  # the app stays up and says what to set on /readyz (docs/api.md)

    async def open_and_close() -> None:
        pool = await open_pool(settings)
        await pool.close()

    asyncio.run(open_and_close())


def _serve_dev(host: str, port: int) -> int:
    from app.db import migrate  # noqa: PLC0415 - see the comment on db
    from app.db.devserver import throwaway_database  # noqa: PLC0415 - dev only

    previous = signal.signal(signal.SIGTERM, _raise_stop_requested)
    try:
        with throwaway_database(DEV_DATABASE) as url:
            migrate.upgrade(url, "head")
            os.environ["DATABASE_URL"] = url
            _log.info("dev database %s at schema revision %s", url, migrate.head_revision())
            return _run_uvicorn(host, port)
    finally:
        signal.signal(signal.SIGTERM, previous)
        _log.info("throwaway PostgreSQL removed")


def _run_uvicorn(host: str, port: int) -> int:
    # uvicorn shuts down gracefully on SIGINT/SIGTERM, restores the previous handlers,
    # then raises the signal again: a handler of ours turns SIGTERM into an exception,
    # so that cleanup (the dev database) runs and the exit status is 0.
    import uvicorn  # noqa: PLC0415

    from app.server import uvicorn_options  # noqa: PLC0415 - only `serve` needs it (see the comment on db)

    previous = signal.signal(signal.SIGTERM, _raise_stop_requested)
    try:
        uvicorn.run(ASGI_APP, host=host, port=port, **uvicorn_options())
    except (KeyboardInterrupt, _StopRequestedError):
        _log.info("server stopped")
    except SystemExit as exited:
        # uvicorn logs why it could not start (address in use, unknown host), then exits 3.
        if exited.code in (None, 0):
            return ExitStatus.DONE
        msg = f"the server could not listen on {host}:{port} (the line above says why)"
        raise CliError(msg, "choose a free --port, or a --host this machine has") from None
    finally:
        signal.signal(signal.SIGTERM, previous)
    return ExitStatus.DONE


def _raise_stop_requested(signum: int, _frame: FrameType | None) -> NoReturn:
    raise _StopRequestedError(signal.Signals(signum).name)


def _port(raw: str) -> int:
    # argparse turns this error into a usage error (exit 2) naming the flag.
    try:
        return parse_port(raw)
    except ConfigError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


# -------------------------------------------------------------------------- main
def _revisions() -> list[str]:
    # The ids are read from the revision files' names: importing alembic would slow --help.
    versions = Path(__file__).parent / "db" / "migrations" / "versions"
    return sorted(path.stem.removeprefix("v") for path in versions.glob("v[0-9]*.py"))


def build_parser() -> argparse.ArgumentParser:
    """Build the argument parser of `python -m app`."""
    parser = argparse.ArgumentParser(
        prog="python -m app",
        description=__doc__,
        epilog=EXIT_STATUSES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    verbs = parser.add_subparsers(dest="verb", required=True, metavar="{db,data,serve}")

    db = verbs.add_parser(
        "db",
        help="schema revisions (DATABASE_URL)",
        description=(
            "Schema revisions (alembic) of the database at DATABASE_URL, and sample data.\n"
            f"Revisions, oldest first: {', '.join(_revisions())}."
        ),
        epilog=EXIT_STATUSES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    db_verbs = db.add_subparsers(dest="db_verb", required=True)

    def db_verb(name: str, summary: str) -> argparse.ArgumentParser:
        return db_verbs.add_parser(
            name,
            help=summary,
            description=f"{summary[0].upper()}{summary[1:]}. The database is DATABASE_URL's.",
            epilog=EXIT_STATUSES,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )

    upgrade = db_verb("upgrade", "upgrade to REV (default head)")
    upgrade.add_argument(
        "revision", nargs="?", default="head", metavar="REV", help="a revision (default: head)"
    )
    upgrade.set_defaults(handler=db_upgrade)
    downgrade = db_verb("downgrade", "downgrade to REV (base: remove all)")
    downgrade.add_argument("revision", metavar="REV", help="a revision, or base")
    downgrade.set_defaults(handler=db_downgrade)
    db_verb("current", "print the revision and whether it is head").set_defaults(handler=db_current)
    db_verb("check", "print the differences from the declared schema; exit 1 if any").set_defaults(
        handler=db_check
    )
    db_verb(
        "release", "Heroku release phase: upgrade, stopping at expand if data is pending"
    ).set_defaults(handler=db_release)
    seed = db_verb("seed", "add sample entries spread over weeks (load tests, benchmarks)")
    seed.add_argument(
        "--entries", type=int, default=5000, help="how many entries to add (default 5000)"
    )
    seed.add_argument(
        "--first-week", default="2025-W01", help="first ISO week, YYYY-Www (default 2025-W01)"
    )
    seed.add_argument(
        "--last-week", default="2026-W52", help="last ISO week, YYYY-Www (default 2026-W52)"
    )
    seed.add_argument(
        "--weeks-around-today",
        type=int,
        metavar="N",
        help=(
            "seed the N weeks before and after today's instead of --first-week..--last-week"
            " (the e2e stage: its pages are seeded whatever the date)"
        ),
    )
    seed.set_defaults(handler=db_seed)
    data_commands.register(verbs)

    server = verbs.add_parser(
        "serve",
        help="run the web server on $PORT (default 8000)",
        description=(
            "Run the web server (uvicorn, app.main:app) on the database at DATABASE_URL;"
            " with --dev, on a throwaway PostgreSQL migrated to head, removed on exit."
        ),
        epilog=EXIT_STATUSES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    server.add_argument("--host", help="address to bind (default 0.0.0.0; 127.0.0.1 with --dev)")
    server.add_argument("--port", type=_port, help="port to bind (default $PORT, else 8000)")
    server.add_argument(
        "--dev", action="store_true", help="start a throwaway PostgreSQL, migrated to head"
    )
    server.set_defaults(handler=serve)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run `python -m app`; return the exit status."""
    args = build_parser().parse_args(argv)
    _configure_logging()
    handler: Callable[[argparse.Namespace], int] = args.handler
    try:
        return handler(args)
    # app.db's driver boundaries turn PostgreSQL's refusals into DbErrors too.
    except ActionableError as error:
        _err(f"error: {error}")
        return exit_status_of(error)
    except KeyboardInterrupt:
        _err("interrupted")
        return ExitStatus.INTERRUPTED
    except _StopRequestedError:
        _err("stopped (SIGTERM)")
        return ExitStatus.DONE


# The first class an error is an instance of decides (docs/architecture.md "Exit statuses"):
# refused when nothing was changed, failed once work had started.
_STATUS_OF_ERROR: tuple[tuple[type[ActionableError], ExitStatus], ...] = (
    (QueryFailedError, ExitStatus.FAILED),
    (DatabaseUnreachableError, ExitStatus.REFUSED),
    (UnknownRevisionError, ExitStatus.REFUSED),
    (UnencryptedConnectionError, ExitStatus.REFUSED),
    (LegacyRowsRemainError, ExitStatus.REFUSED),
    (LegacySeedRefusedError, ExitStatus.REFUSED),
    (ConfigError, ExitStatus.REFUSED),
    (CliError, ExitStatus.REFUSED),
)


def exit_status_of(error: ActionableError) -> ExitStatus:
    """Return the exit status `error` ends a verb with: REFUSED or FAILED (the default)."""
    for kind, status in _STATUS_OF_ERROR:
        if isinstance(error, kind):
            return status
    return ExitStatus.FAILED


def _out(line: str) -> None:
    sys.stdout.write(line + "\n")


def _err(line: str) -> None:
    sys.stderr.write(line + "\n")


def _configure_logging() -> None:
    logging.basicConfig(
        level=logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    # alembic announces each autogenerate plugin at INFO: noise for `db check`.
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)
