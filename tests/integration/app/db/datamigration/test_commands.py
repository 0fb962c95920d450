"""`python -m app data migrate|rollback|rehearse`: the service's own front door."""

from __future__ import annotations

import datetime as dt
import errno
import json
from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest

from app.cli import main
from app.db.datamigration import checkpoint
from app.db.datamigration.connection import connect
from app.db.datamigration.errors import BlankReasonError
from app.db.datamigration.legacy import insert_legacy_rows, table_digest
from app.db.datamigration.report import Report
from app.db.datamigration.runner import DataMigration, MigrationOptions
from app.weeks import Week
from semaine.cli import main as semaine_main
from semaine.executors.local.ports import free_port
from tests.inprocess import Completed, run_main
from tests.legacy_weeks import legacy_week_start

if TYPE_CHECKING:
    from pathlib import Path

    from semaine.executors.local.postgres import ThrowawayPostgres

pytestmark = pytest.mark.integration

LegacyDatabase = Callable[..., str]
PASSWORD = "app-pw-never-shown-7"  # noqa: S105 - a fake, to prove it is never shown


def app_data(*arguments: str, database_url: str | None) -> Completed:
    return run_main(main, ("data", *arguments), {"DATABASE_URL": database_url})


@pytest.fixture
def legacy_url(legacy_database: LegacyDatabase) -> str:
    url = legacy_database(600, edges=True)
    # Trust authentication ignores the password: it is here to prove it is never shown.
    return url.replace("postgresql://postgres@", f"postgresql://postgres:{PASSWORD}@")


def test_dry_run_migrate_and_roll_back_through_database_url(
    legacy_url: str, tmp_path: Path
) -> None:
    with connect(legacy_url) as conn:
        before = table_digest(conn)
    reports = ("--report-dir", str(tmp_path))

    dry = app_data("migrate", "--dry-run", *reports, database_url=legacy_url)
    migrated = app_data("migrate", "--environment", "laptop", *reports, database_url=legacy_url)
    undone = app_data("rollback", "--reason", "drill", *reports, database_url=legacy_url)

    assert (dry.returncode, migrated.returncode, undone.returncode) == (0, 0, 0), undone.stderr
    assert "python -m app data dry-run: DRY_RUN" in dry.stdout
    assert "python -m app data migrate: COMPLETED" in migrated.stdout
    assert "environment laptop" in migrated.stdout
    assert "rows/s" in migrated.stderr  # progress
    assert "python -m app data rollback: ROLLED_BACK" in undone.stdout
    written = {p.name.split("-")[0]: json.loads(p.read_text()) for p in tmp_path.glob("*.json")}
    assert written["migrate"]["environment"] == "laptop"
    assert (
        written["migrate"]["figures"]["rows_to_change"]
        == written["migrate"]["figures"]["rows_updated"]
    )
    assert written["rollback"]["figures"]["checksums_equal_pre_migration"] is True
    for result in (dry, migrated, undone):
        assert PASSWORD not in result.stdout + result.stderr
    assert all(PASSWORD not in p.read_text() for p in tmp_path.iterdir())
    with connect(legacy_url) as conn:
        assert table_digest(conn) == before


def test_the_url_comes_from_database_url_only(tmp_path: Path) -> None:
    unset = app_data("migrate", "--report-dir", str(tmp_path), database_url=None)
    on_argv = app_data(
        "migrate",
        "--database-url",
        "postgresql://h/d",
        "--report-dir",
        str(tmp_path),
        database_url=None,
    )

    assert unset.returncode == 2
    assert "python -m app data migrate: DATABASE_URL is not set" in unset.stderr
    assert on_argv.returncode == 2
    assert "unrecognized arguments: --database-url" in on_argv.stderr
    assert list(tmp_path.iterdir()) == []


def test_next_steps_name_the_command_that_was_run(legacy_url: str, tmp_path: Path) -> None:
    with connect(legacy_url) as conn:
        checkpoint.ensure_schema(conn)
        conn.execute(
            "INSERT INTO semaine_migration.runs (run_id, environment, status, rows_to_change,"
            " backup_table, backup_rows, backup_checksum, untouched_checksum)"
            " VALUES ('20260101t000000z_abcdef', 'x', 'rolling_back', 0, 'b', 0, '0', '0')"
        )

    app = app_data("migrate", "--report-dir", str(tmp_path), database_url=legacy_url)
    semaine = run_main(
        semaine_main,
        ("migrate", "--environment", "staging", "--database-url", "env://TARGET"),
        {"TARGET": legacy_url},
    )

    assert (app.returncode, semaine.returncode) == (2, 2)
    assert (
        "finish its rollback first: python -m app data rollback"
        " --run-id 20260101t000000z_abcdef --reason '...'"
    ) in app.stderr
    assert (
        "finish its rollback first: semaine rollback --environment staging --database-url"
        " env://TARGET --rollback-type database --run-id 20260101t000000z_abcdef --reason '...'"
    ) in semaine.stderr


def test_rehearse_on_an_empty_database(postgres: ThrowawayPostgres, tmp_path: Path) -> None:
    url = postgres.create_database("rehearsal_app_cli")
    figures_path = tmp_path / "rehearsal.json"

    result = app_data(
        "rehearse", "--rows", "500", "--report-json", str(figures_path), database_url=url
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("rehearsal of 500 rows: migration ")
    figures = json.loads(figures_path.read_text())
    assert figures["passed"] is True
    assert figures["checks"]["rollback_byte_identical"] is True


def test_a_blank_rollback_reason_is_refused_by_both_doors(legacy_url: str, tmp_path: Path) -> None:
    result = app_data(
        "rollback", "--reason", " ", "--report-dir", str(tmp_path), database_url=legacy_url
    )

    assert result.returncode == 2
    assert "--reason: say why" in result.stderr
    with pytest.raises(BlankReasonError, match="say why"):
        DataMigration(legacy_url, MigrationOptions("staging")).rollback(None, "  ")
    assert list(tmp_path.iterdir()) == []


def test_a_database_url_that_is_not_postgresql_is_refused(tmp_path: Path) -> None:
    result = app_data(
        "migrate", "--report-dir", str(tmp_path), database_url=f"mysql://u:{PASSWORD}@h/db"
    )

    assert result.returncode == 2
    assert "DATABASE_URL must start with postgresql:// or postgres://, not mysql://" in (
        result.stderr
    )
    assert PASSWORD not in result.stderr


def test_a_batch_size_that_is_not_a_whole_number_says_what_is_expected() -> None:
    result = app_data("migrate", "--batch-size", "many", database_url=None)

    assert result.returncode == 2
    assert "argument --batch-size: expected a whole number >= 1, not 'many'" in result.stderr


@pytest.mark.parametrize("verb", ["migrate", "rollback", "rehearse"])
def test_help_describes_the_verb_its_defaults_and_exit_statuses(verb: str) -> None:
    result = app_data(verb, "--help", database_url=None)

    assert result.returncode == 0
    text = " ".join(result.stdout.split())
    assert "DATABASE_URL" in text
    assert "docs/data-migration.md" in text
    assert "exit status: 0 " in text
    assert " 2 refused or usage error, nothing changed" in text
    assert "(default: " in text


def test_seed_legacy_rows_then_follow_the_runbook(
    make_database: Callable[[str], str], tmp_path: Path
) -> None:
    url = make_database("0002_us16_expand")
    reports = ("--report-dir", str(tmp_path))

    seeded = app_data("seed", "--legacy", "1071", database_url=url)

    assert seeded.returncode == 0, seeded.stderr
    assert "added 1,071 legacy rows" in seeded.stdout
    with connect(url) as conn:
        rows = conn.execute("SELECT entry_date, week_start, iso_year FROM entries").fetchall()
    assert len(rows) == 1071
    assert all(r["week_start"] == legacy_week_start(r["entry_date"]) for r in rows)
    assert all(r["iso_year"] is None for r in rows)
    days = {r["entry_date"] for r in rows}
    for year in range(1990, 2040):  # every day around every new year, every weekday
        first = dt.date(year, 12, 28)
        assert {first + dt.timedelta(days=n) for n in range(8)} <= days
    assert {Week.from_date(d).iso_week for d in days} >= {53}
    assert {d.isoweekday() for d in days} == set(range(1, 8))

    migrated = app_data("migrate", *reports, database_url=url)
    contracted = run_main(main, ("db", "upgrade", "head"), {"DATABASE_URL": url})

    assert migrated.returncode == 0, migrated.stderr
    assert "completed: 1,071 rows now have their ISO week" in migrated.stdout
    assert contracted.returncode == 0, contracted.stderr


@pytest.mark.parametrize("revision", ["head", "base"])
def test_seed_legacy_refuses_a_database_that_cannot_hold_legacy_rows(
    make_database: Callable[[str], str], revision: str
) -> None:
    url = make_database(revision)

    result = app_data("seed", "--legacy", "10", database_url=url)

    assert result.returncode == 2
    assert "python -m app data seed: legacy rows need a database at 0001_legacy or" in (
        result.stderr
    )
    verb = "downgrade" if revision == "head" else "upgrade"
    assert f"run python -m app db {verb} 0002_us16_expand first" in result.stderr


def test_seed_legacy_says_what_postgresql_refused(make_database: Callable[[str], str]) -> None:
    url = make_database("0001_legacy")
    with connect(url) as conn:
        conn.execute("ALTER TABLE entries ADD CONSTRAINT no_drills CHECK (minutes < 0)")

    result = app_data("seed", "--legacy", "10", database_url=url)

    assert result.returncode == 1
    assert "python -m app data seed: PostgreSQL refused:" in result.stderr
    assert "no_drills" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_database_that_refuses_writes_says_what_postgresql_refused(
    legacy_url: str, postgres: ThrowawayPostgres, tmp_path: Path
) -> None:
    # A read-only database (a Heroku follower, say): the migration's first write fails.
    name = legacy_url.rsplit("/", 1)[1]
    with connect(postgres.url) as admin:
        admin.execute(f'ALTER DATABASE "{name}" SET default_transaction_read_only = on')

    result = app_data("migrate", "--report-dir", str(tmp_path), database_url=legacy_url)

    assert result.returncode == 1, result.stderr
    (line,) = [line for line in result.stderr.splitlines() if "refused" in line]
    assert line.startswith(
        "python -m app data migrate: PostgreSQL refused: ReadOnlySqlTransaction (SQLSTATE 25006):"
    )
    assert PASSWORD not in result.stderr
    assert "Traceback" not in result.stderr


def test_an_unreachable_database_is_refused_in_one_line(tmp_path: Path) -> None:
    url = f"postgresql://postgres:{PASSWORD}@127.0.0.1:{free_port()}/semaine"

    result = app_data("migrate", "--report-dir", str(tmp_path), database_url=url)

    assert result.returncode == 2, result.stderr  # nothing was changed
    assert result.stderr.startswith("python -m app data migrate: cannot connect to PostgreSQL at")
    assert result.stderr.count("\n") == 1
    assert PASSWORD not in result.stderr


def _untouched(url: str) -> tuple[str, object]:
    """Return the table digest, and whether the semaine_migration schema exists."""
    with connect(url) as conn:
        row = conn.execute("SELECT to_regnamespace('semaine_migration') AS s").fetchone()
        return table_digest(conn), row


@pytest.mark.parametrize(
    ("flags", "expected"),
    [
        (
            ("--report-dir", "{file}/sub"),
            "--report-dir {file}/sub cannot be created: {file} is a file",
        ),
        (("--report-dir", "{file}"), "--report-dir {file} is a file, not a folder"),
        (("--dump-path", "{tmp}"), "--dump-path {tmp} is a folder: name a file in it"),
        (("--dump-path", "{file}/x.dump"), "--dump-path {file}/x.dump is in {file}, a file"),
    ],
)
def test_an_output_path_that_cannot_be_written_is_refused_before_any_database_work(
    legacy_url: str, tmp_path: Path, flags: tuple[str, str], expected: str
) -> None:
    plain = tmp_path / "afile"
    plain.write_text("mine", encoding="utf-8")
    names = {"file": str(plain), "tmp": str(tmp_path)}
    arguments = [flag.format(**names) for flag in flags]
    if arguments[0] != "--report-dir":
        arguments += ["--report-dir", str(tmp_path / "reports")]
    before = _untouched(legacy_url)

    result = app_data("migrate", *arguments, database_url=legacy_url)

    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith(f"python -m app data migrate: {expected.format(**names)}")
    assert result.stderr.count("\n") == 1
    assert "choose another" in result.stderr
    assert result.stdout == ""
    assert _untouched(legacy_url) == before
    assert plain.read_text(encoding="utf-8") == "mine"


def test_a_report_that_cannot_be_written_says_the_run_completed(
    legacy_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def disk_full(_report: Report, directory: Path) -> tuple[Path, Path]:
        raise OSError(errno.ENOSPC, "No space left on device", str(directory))

    monkeypatch.setattr(Report, "write", disk_full)

    result = app_data("migrate", "--report-dir", str(tmp_path), database_url=legacy_url)

    assert result.returncode == 1
    assert "python -m app data migrate: COMPLETED" in result.stdout
    (line,) = [line for line in result.stderr.splitlines() if "could not be written" in line]
    assert line.startswith("python -m app data migrate: the run itself ended COMPLETED")
    assert f"could not be written to {tmp_path}: No space left on device" in line
    assert "Traceback" not in result.stderr


def test_rehearse_refuses_a_database_that_is_not_empty(legacy_url: str, tmp_path: Path) -> None:
    before = _untouched(legacy_url)
    figures_path = tmp_path / "rehearsal.json"

    result = app_data("rehearse", "--report-json", str(figures_path), database_url=legacy_url)

    assert result.returncode == 2, result.stderr  # refused, nothing changed
    assert result.stderr.startswith("python -m app data rehearse: rehearse needs an empty database")
    assert result.stderr.count("\n") == 1
    assert _untouched(legacy_url) == before
    assert not figures_path.exists()


def test_rehearse_refuses_legacy_rows_it_did_not_write(
    make_database: Callable[[str], str], tmp_path: Path
) -> None:
    url = make_database("0001_legacy")
    with connect(url) as conn:
        insert_legacy_rows(conn, 5)
    before = _untouched(url)

    result = app_data("rehearse", "--report-json", str(tmp_path / "r.json"), database_url=url)

    assert result.returncode == 2, result.stderr
    assert result.stderr == (
        "python -m app data rehearse: rehearse needs an empty entries table."
        " pass a throwaway database\n"
    )
    assert _untouched(url) == before


def test_rehearse_refuses_a_report_json_it_cannot_write(
    postgres: ThrowawayPostgres, tmp_path: Path
) -> None:
    url = postgres.create_database("rehearsal_app_cli_path")
    plain = tmp_path / "afile"
    plain.write_text("mine", encoding="utf-8")

    result = app_data("rehearse", "--report-json", str(plain / "r.json"), database_url=url)

    assert result.returncode == 2, result.stderr
    assert result.stderr == (
        f"python -m app data rehearse: --report-json {plain}/r.json is in {plain}, a file,"
        " not a folder. choose another --report-json\n"
    )
    with connect(url) as conn:
        assert conn.execute("SELECT to_regclass('public.entries') AS t").fetchone() == {"t": None}


def test_rehearse_refuses_an_unreachable_database(tmp_path: Path) -> None:
    url = f"postgresql://postgres:{PASSWORD}@127.0.0.1:{free_port()}/semaine"

    result = app_data("rehearse", "--report-json", str(tmp_path / "r.json"), database_url=url)

    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith("python -m app data rehearse: cannot connect to PostgreSQL at")
    assert PASSWORD not in result.stderr
