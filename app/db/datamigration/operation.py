"""Run a data-migration verb, print its report, write its files, return the exit status.

The one implementation behind both front doors: `python -m app data ...` calls it with
DATABASE_URL, `semaine migrate|rollback|rehearse` with the URL it resolved (secrets,
the Heroku app's config vars). Exit status: 0 done (or nothing to do), 1 the run failed
(the data restored, unless the message says otherwise; or the run ended but its report
could not be written, which the message says), 2 refused before any write: a path it
would write that cannot be written is refused before any database work.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app.db.datamigration.errors import DataMigrationError, ValidationFailedError
from app.db.datamigration.outputs import OutputPathError, check_file, check_folder
from app.db.datamigration.progress import StreamProgress
from app.db.datamigration.rehearsal import RehearsalRefusedError, rehearse
from app.db.datamigration.runner import DataMigration, MigrationOptions
from app.db.driver import driver_errors
from app.db.errors import DatabaseUnreachableError, DriverError, QueryFailedError
from app.exit_status import ExitStatus
from app.redaction import scrub

if TYPE_CHECKING:
    import argparse

    from app.db.datamigration.frontdoor import FrontDoor
    from app.db.datamigration.report import Report


@dataclass(frozen=True)
class Request:
    """A verb and its flags, as either command line parsed them."""

    verb: str
    environment: str
    report_dir: Path
    dry_run: bool = False
    batch_size: int | None = None
    dump_path: Path | None = None
    run_id: str | None = None
    reason: str = ""

    @classmethod
    def from_arguments(cls, verb: str, arguments: argparse.Namespace) -> Request:
        """Read the flags `commands.add_*_flags` define (absent ones keep their default)."""
        flags: dict[str, Any] = vars(arguments)
        return cls(
            verb=verb,
            environment=str(flags["environment"]),
            report_dir=Path(flags["report_dir"]),
            dry_run=bool(flags.get("dry_run", False)),
            batch_size=flags.get("batch_size"),
            dump_path=flags.get("dump_path"),
            run_id=flags.get("run_id"),
            reason=str(flags.get("reason") or ""),
        )


def run_verb(url: str, request: Request, door: FrontDoor) -> int:
    """Run `request` against the database at `url`: report on stdout, progress on stderr."""
    out, err = sys.stdout, sys.stderr
    name = f"{door.program} {request.verb}"
    try:
        check_folder("--report-dir", request.report_dir)
        if request.dump_path is not None:
            check_file("--dump-path", request.dump_path)
        with driver_errors(url):
            migration = DataMigration(
                url,
                MigrationOptions(
                    environment=request.environment,
                    batch_size=request.batch_size,
                    dump_path=request.dump_path,
                    door=door,
                ),
                progress=StreamProgress(err),
            )
            report = _perform(migration, request)
    except (ValidationFailedError, QueryFailedError) as error:
        err.write(f"{name}: {scrub(str(error), url)}\n")
        return ExitStatus.FAILED
    except (DataMigrationError, DatabaseUnreachableError) as error:
        err.write(f"{name}: {scrub(str(error), url)}\n")
        return ExitStatus.REFUSED
    out.write(report.to_text())
    try:
        json_path, _ = report.write(request.report_dir)
    except OSError as error:
        err.write(_unwritten(name, f"ended {report.status.upper()}", request.report_dir, error))
        return ExitStatus.FAILED
    err.write(f"report written to {json_path}\n")
    return report.exit_code


def run_rehearsal(url: str, rows: int, report_json: Path, door: FrontDoor) -> int:
    """Rehearse on the throwaway database at `url`; write the JSON figures the pipeline reads."""
    out, err = sys.stdout, sys.stderr
    name = f"{door.program} rehearse"
    try:
        check_file("--report-json", report_json)
        with driver_errors(url):
            result = rehearse(url, rows)
    except (RehearsalRefusedError, OutputPathError, DatabaseUnreachableError) as error:
        err.write(f"{name}: {scrub(str(error), url)}\n")
        return ExitStatus.REFUSED
    except (DataMigrationError, DriverError) as error:
        err.write(f"{name}: {scrub(str(error), url)}\n")
        return ExitStatus.FAILED
    figures = result.to_json()
    passed = "passed" if figures["passed"] else "FAILED"
    out.write(
        f"rehearsal of {result.rows:,} rows: migration {figures['migration_seconds']} s,"
        f" checks {passed}\n"
    )
    try:
        report_json.write_text(json.dumps(figures, indent=2, default=str) + "\n", "utf-8")
    except OSError as error:
        err.write(_unwritten(name, f"ended with its checks {passed}", report_json, error))
        return ExitStatus.FAILED
    return ExitStatus.DONE if figures["passed"] else ExitStatus.FAILED


def _unwritten(name: str, ended: str, where: Path, error: OSError) -> str:
    """Say in one line that the run itself `ended` so, but its report could not be written."""
    return (
        f"{name}: the run itself {ended} (the lines above say what it did),"
        f" but its report could not be written to {where}: {error.strerror or error}."
        " Keep the report printed above; free space or fix the path before the next run\n"
    )


def _perform(migration: DataMigration, request: Request) -> Report:
    if request.verb == "rollback":
        return migration.rollback(request.run_id, request.reason)
    return migration.dry_run() if request.dry_run else migration.migrate()
