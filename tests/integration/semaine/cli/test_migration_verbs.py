from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from app.db.datamigration.connection import connect
from app.db.datamigration.legacy import insert_legacy_rows, table_digest
from semaine.cli import main
from tests.inprocess import Completed, run_main
from tests.paths import HEROKU_STANDIN, load_module

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from semaine.executors.local.postgres import ThrowawayPostgres

pytestmark = pytest.mark.integration

SEMAINE = str(Path(sys.executable).with_name("semaine"))
STANDIN = HEROKU_STANDIN
PASSWORD = "pw-never-shown-42"  # noqa: S105 - a fake, to prove it is never shown


@pytest.fixture
def heroku() -> Iterator[Any]:
    with load_module("cli_heroku_standin", STANDIN).HerokuStandIn() as standin:
        yield standin


@pytest.fixture
def legacy_url(make_database: Callable[[str], str]) -> str:
    url = make_database("0002_us16_expand")
    with connect(url) as conn:
        insert_legacy_rows(conn, 800)
    # Trust authentication ignores the password: it is here to prove it is never shown.
    return url.replace("postgresql://postgres@", f"postgresql://postgres:{PASSWORD}@")


@pytest.fixture(autouse=True)
def maintainer(monkeypatch: pytest.MonkeyPatch) -> None:
    """Roll back as a listed actor (authorisation: tests/integration/semaine/delivery)."""
    monkeypatch.setenv("GITHUB_ACTOR", "semaine-maintainers")


def semaine(*arguments: str, **environment: str) -> Completed:
    return run_main(main, arguments, environment)


def assert_no_secret(result: Completed, report_dir: Path) -> None:
    assert PASSWORD not in result.stdout + result.stderr
    for path in report_dir.rglob("*"):
        if path.is_file():
            assert PASSWORD not in path.read_text("utf-8")


def test_migrate_then_roll_back_from_the_command_line(legacy_url: str, tmp_path: Path) -> None:
    assert "postgres:" + PASSWORD in legacy_url
    with connect(legacy_url) as conn:
        before = table_digest(conn)
    common = ("--environment", "staging", "--database-url", "env://TARGET_URL")

    dry = semaine(
        "migrate", *common, "--dry-run", "--report-dir", str(tmp_path), TARGET_URL=legacy_url
    )
    migrated = semaine("migrate", *common, "--report-dir", str(tmp_path), TARGET_URL=legacy_url)
    undone = semaine(
        "rollback",
        *common,
        "--rollback-type",
        "database",
        "--reason",
        "drill",
        "--report-dir",
        str(tmp_path),
        *("--reports", str(tmp_path / "records")),
        TARGET_URL=legacy_url,
    )

    assert (dry.returncode, migrated.returncode, undone.returncode) == (0, 0, 0), undone.stderr
    assert "semaine dry-run: DRY_RUN" in dry.stdout
    assert "semaine migrate: COMPLETED" in migrated.stdout
    assert "rows/s" in migrated.stderr  # progress
    assert "semaine rollback: ROLLED_BACK" in undone.stdout
    reports = {p.name.split("-")[0]: json.loads(p.read_text()) for p in tmp_path.glob("*.json")}
    (record,) = (tmp_path / "records" / "deployments").glob("*.json")
    assert json.loads(record.read_text())["rollback_type"] == "database"
    assert reports["migrate"]["figures"]["rows_updated"] == 800
    assert reports["rollback"]["figures"]["checksums_equal_pre_migration"] is True
    assert reports["migrate"]["database"].startswith("postgresql://postgres:***@127.0.0.1")
    for result in (dry, migrated, undone):
        assert_no_secret(result, tmp_path)
    with connect(legacy_url) as conn:
        assert table_digest(conn) == before


def test_the_url_comes_from_heroku_config_vars(
    legacy_url: str, heroku: Any, tmp_path: Path
) -> None:
    heroku.config_vars["semaine-prod-eu"] = {"DATABASE_URL": legacy_url}

    result = semaine(
        "migrate",
        "--environment",
        "production",
        "--report-dir",
        str(tmp_path),
        HEROKU_API_URL=heroku.url,
        HEROKU_API_KEY=heroku.api_key,
        HEROKU_APP_PRODUCTION="semaine-prod-eu",
    )

    assert result.returncode == 0, result.stderr
    assert "COMPLETED" in result.stdout
    assert [r.path for r in heroku.requests] == ["/apps/semaine-prod-eu/config-vars"]
    assert heroku.violations == []
    assert_no_secret(result, tmp_path)


def test_a_refused_heroku_key_exits_2_without_the_key(heroku: Any, tmp_path: Path) -> None:
    result = semaine(
        "migrate",
        "--environment",
        "staging",
        "--report-dir",
        str(tmp_path),
        HEROKU_API_URL=heroku.url,
        HEROKU_API_KEY="not-the-right-key-77",
    )
    assert result.returncode == 2
    assert "401" in result.stderr
    assert "not-the-right-key-77" not in result.stdout + result.stderr


def test_a_missing_secret_names_the_variable(tmp_path: Path) -> None:
    result = semaine(
        "migrate",
        "--environment",
        "staging",
        "--database-url",
        "env://NO_SUCH_VARIABLE_X",
        "--report-dir",
        str(tmp_path),
    )
    assert result.returncode == 2
    assert "NO_SUCH_VARIABLE_X is unset" in result.stderr


def test_a_failing_batch_exits_1_after_rolling_back(legacy_url: str, tmp_path: Path) -> None:
    with connect(legacy_url) as conn:
        before = table_digest(conn)
        # A real failure inside the database, on the 500th row.
        conn.execute(
            "CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS"
            " $$BEGIN RAISE EXCEPTION 'refused row %', NEW.id; END$$;"
            " CREATE TRIGGER refuse BEFORE UPDATE ON public.entries FOR EACH ROW"
            " WHEN (NEW.id = 500 AND NEW.iso_year IS NOT NULL) EXECUTE FUNCTION refuse()"
        )

    result = semaine(
        "migrate",
        "--environment",
        "staging",
        "--database-url",
        "env://TARGET_URL",
        "--batch-size",
        "100",
        "--report-dir",
        str(tmp_path),
        TARGET_URL=legacy_url,
    )

    assert result.returncode == 1
    assert "semaine migrate: FAILED" in result.stdout
    assert "refused row 500" in result.stdout
    with connect(legacy_url) as conn:
        assert table_digest(conn) == before


def test_rehearse_writes_its_figures(postgres: ThrowawayPostgres, tmp_path: Path) -> None:
    url = postgres.create_database("rehearsal_cli")
    report = tmp_path / "rehearsal.json"

    # The one verb run through the real `semaine` console script, to test its wiring.
    arguments = ("--database-url", url, "--rows", "2000", "--report-json", str(report))
    result = subprocess.run(
        [SEMAINE, "rehearse", *arguments], capture_output=True, text=True, check=False, timeout=120
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("rehearsal of 2,000 rows: migration ")
    figures = json.loads(report.read_text())
    assert figures["passed"] is True
    assert figures["rows"] == 2000
    assert figures["checks"]["rollback_byte_identical"] is True
    assert figures["migration_seconds"] > 0


def test_a_second_run_never_overwrites_the_first_report(legacy_url: str, tmp_path: Path) -> None:
    common = ("--environment", "staging", "--database-url", "env://TARGET_URL")
    reports = ("--report-dir", str(tmp_path))

    first = semaine("migrate", *common, *reports, TARGET_URL=legacy_url)
    again = semaine("migrate", *common, *reports, TARGET_URL=legacy_url)

    assert (first.returncode, again.returncode) == (0, 0), again.stderr
    assert "NOTHING_TO_DO" in again.stdout
    written = sorted(tmp_path.glob("migrate-*.json"))
    assert len(written) == 2
    statuses = {json.loads(p.read_text())["status"]: p for p in written}
    assert statuses.keys() == {"completed", "nothing_to_do"}
    completed = json.loads(statuses["completed"].read_text())
    assert completed["figures"]["rows_updated"] == 800
    assert (
        statuses["completed"]
        .with_suffix(".txt")
        .read_text()
        .startswith("semaine migrate: COMPLETED")
    )
    assert f"report written to {statuses['nothing_to_do']}" in again.stderr


@pytest.mark.parametrize("reason", ["", "   ", "\t"])
def test_a_blank_rollback_reason_is_a_usage_error(
    legacy_url: str, tmp_path: Path, reason: str
) -> None:
    with connect(legacy_url) as conn:
        before = table_digest(conn)

    result = semaine(
        "rollback",
        *("--environment", "staging", "--database-url", "env://TARGET_URL"),
        *("--rollback-type", "database", "--reason", reason, "--report-dir", str(tmp_path)),
        TARGET_URL=legacy_url,
    )

    assert result.returncode == 2
    assert "--reason: say why" in result.stderr
    assert list(tmp_path.iterdir()) == []
    with connect(legacy_url) as conn:
        assert table_digest(conn) == before


@pytest.mark.parametrize(
    ("verb", "flag", "value"),
    [
        ("migrate", "--batch-size", "abc"),
        ("migrate", "--batch-size", "0"),
        ("migrate", "--batch-size", "2.5"),
        ("rehearse", "--rows", "-3"),
    ],
)
def test_a_count_that_is_not_a_whole_number_says_what_is_expected(
    verb: str, flag: str, value: str, tmp_path: Path
) -> None:
    target = (
        ("--database-url", "env://UNUSED", "--report-json", str(tmp_path / "r.json"))
        if verb == "rehearse"
        else ("--environment", "staging")
    )

    result = semaine(verb, *target, flag, value)

    assert result.returncode == 2
    assert f"argument {flag}: expected a whole number >= 1, not {value!r}" in result.stderr
    assert "_positive" not in result.stderr


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (f"mysql://root:{PASSWORD}@db.example/entries", "must start with postgresql://"),
        (f"postgresql://root:{PASSWORD}@db.example:port/entries", "is not a valid URL"),
        (f"{PASSWORD}", "must start with postgresql://"),
    ],
)
def test_a_database_url_that_is_not_postgresql_says_what_it_must_be(
    url: str, expected: str, tmp_path: Path
) -> None:
    result = semaine(
        "migrate",
        *("--environment", "staging", "--database-url", "env://TARGET_URL"),
        *("--report-dir", str(tmp_path)),
        TARGET_URL=url,
    )

    assert result.returncode == 2
    assert f"the URL in env://TARGET_URL {expected}" in result.stderr
    assert PASSWORD not in result.stderr + result.stdout
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("verb", ["migrate", "rollback", "rehearse"])
def test_help_describes_the_verb_its_defaults_and_exit_statuses(verb: str) -> None:
    result = semaine(verb, "--help")

    assert result.returncode == 0
    text = " ".join(result.stdout.split())  # argparse wraps lines where it likes
    assert "docs/data-migration.md" in text  # the description points at the runbook
    assert "exit status: 0 " in text
    assert " 1 " in text.partition("exit status:")[2]
    assert " 2 refused or usage error, nothing changed" in text
    defaults = {
        "migrate": ["(default: reports/data-migration)", "(default: env://HEROKU_API_KEY)"],
        "rollback": ["(default: the latest completed run)", "(default: reports/data-migration)"],
        "rehearse": ["(default: 10000)"],
    }[verb]
    for default in defaults:
        assert default in text


def test_rollback_help_offers_every_type() -> None:
    text = " ".join(semaine("rollback", "--help").stdout.split())

    assert "{application,database,full}" in text
    assert "docs/deployment.md" in text


def test_reports_speak_to_people(legacy_url: str, tmp_path: Path) -> None:
    common = ("--environment", "staging", "--database-url", "env://TARGET_URL")
    reports = ("--report-dir", str(tmp_path))

    dry = semaine("migrate", *common, "--dry-run", *reports, TARGET_URL=legacy_url)
    migrated = semaine("migrate", *common, *reports, TARGET_URL=legacy_url)
    again = semaine("migrate", *common, *reports, TARGET_URL=legacy_url)

    assert "dry run: nothing was written; 800 of 800 rows would change" in dry.stdout
    assert "dry_run" not in dry.stdout
    assert "None" not in dry.stdout  # legacy rows have no ISO week yet: say so
    assert ", ISO week none -> 19" in dry.stdout
    assert re.search(r"-W\d\d\b", dry.stdout)  # week labels as ISO writes them: 1990-W01
    for shown in (migrated.stdout, again.stdout):
        assert "True" not in shown
        assert "False" not in shown
    assert "resumed" not in migrated.stdout  # a fresh run: nothing to say about resuming
    assert "untouched checksum equal: yes" in migrated.stdout
    assert "next: apply the contract: python -m app db upgrade head" in migrated.stdout
    assert "next: apply the contract: python -m app db upgrade head" in again.stdout
    written = [json.loads(p.read_text()) for p in tmp_path.glob("migrate-*.json")]
    (completed,) = [r for r in written if r["status"] == "completed"]
    assert completed["next_step"].startswith("apply the contract: python -m app db upgrade head")


@pytest.mark.parametrize("verb", ["migrate", "rollback"])
def test_a_report_dir_under_a_plain_file_is_refused_before_any_database_work(
    legacy_url: str, tmp_path: Path, verb: str
) -> None:
    plain = tmp_path / "afile"
    plain.write_text("mine", encoding="utf-8")
    with connect(legacy_url) as conn:
        before = table_digest(conn)
    rollback = ("--rollback-type", "database", "--reason", "drill") if verb == "rollback" else ()
    rollback += ("--reports", str(tmp_path / "records")) if verb == "rollback" else ()

    result = semaine(
        verb,
        *("--environment", "staging", "--database-url", "env://TARGET_URL", *rollback),
        *("--report-dir", str(plain / "sub")),
        TARGET_URL=legacy_url,
    )

    assert result.returncode == 2, result.stderr
    assert (
        f"semaine {verb}: --report-dir {plain}/sub cannot be created: {plain} is a file,"
        " not a folder. choose another --report-dir"
    ) in result.stderr.splitlines()
    # rollback also writes its deployment record (refused) and prints it on stdout.
    assert result.stdout == "" or "refused" in result.stdout
    with connect(legacy_url) as conn:
        assert table_digest(conn) == before
        row = conn.execute("SELECT to_regnamespace('semaine_migration') AS s").fetchone()
        assert row == {"s": None}


def test_rehearse_on_a_database_that_is_not_empty_is_refused(
    legacy_url: str, tmp_path: Path
) -> None:
    with connect(legacy_url) as conn:
        before = table_digest(conn)

    result = semaine(
        "rehearse",
        *("--database-url", "env://TARGET_URL", "--report-json", str(tmp_path / "r.json")),
        TARGET_URL=legacy_url,
    )

    assert result.returncode == 2, result.stderr  # refused, nothing changed
    assert result.stderr.startswith("semaine rehearse: rehearse needs an empty database")
    assert PASSWORD not in result.stderr
    with connect(legacy_url) as conn:
        assert table_digest(conn) == before
    assert list(tmp_path.iterdir()) == []


def test_rehearse_refuses_a_report_json_that_is_a_folder(
    postgres: ThrowawayPostgres, tmp_path: Path
) -> None:
    url = postgres.create_database("rehearsal_cli_path")

    result = semaine(
        "rehearse",
        "--database-url",
        "env://TARGET_URL",
        "--report-json",
        str(tmp_path),
        TARGET_URL=url,
    )

    assert result.returncode == 2, result.stderr
    assert result.stderr == (
        f"semaine rehearse: --report-json {tmp_path} is a folder: name a file in it."
        " choose another --report-json\n"
    )
    with connect(url) as conn:
        assert conn.execute("SELECT to_regclass('public.entries') AS t").fetchone() == {"t": None}
