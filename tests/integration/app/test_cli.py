"""`python -m app` against a real throwaway PostgreSQL: `serve` in real processes, db in-process."""

import datetime as dt
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

import psycopg
import pytest

from app.cli import main
from app.db.migrate import current_revision, head_revision, upgrade
from app.exit_status import ExitStatus
from app.weeks import current_week
from semaine.executors.local.ports import free_port
from semaine.executors.local.postgres import MEMORY_DIR
from tests.inprocess import Completed, run_main

pytestmark = pytest.mark.integration

MakeDatabase = Callable[..., str]
_READY_TIMEOUT = 120.0


def run_cli(*args: str, database_url: str | None = None) -> Completed:
    return run_main(main, args, {"DATABASE_URL": database_url})


def process_environ(database_url: str | None) -> dict[str, str]:
    environ = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    if database_url is not None:
        environ["DATABASE_URL"] = database_url
    return environ


def assert_one_line_error(
    result: Completed, expected: str, status: ExitStatus = ExitStatus.REFUSED
) -> None:
    assert result.returncode == status
    assert "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == 1
    assert expected in errors[0]


def insert_legacy_row(url: str) -> None:
    with psycopg.connect(url) as connection:
        connection.execute(
            "INSERT INTO entries (entry_date, title, minutes, week_start)"
            " VALUES ('2024-01-07', 'legacy', 30, '2024-01-07')"
        )


# -------------------------------------------------------------------------- db
def test_db_upgrade_current_and_downgrade(make_database: MakeDatabase) -> None:
    url = make_database("base")

    assert run_cli("db", "current", database_url=url).stdout.startswith("none ")
    assert run_cli("db", "upgrade", "0001_legacy", database_url=url).returncode == 0
    behind = run_cli("db", "current", database_url=url)
    assert behind.stdout.strip() == "0001_legacy (behind this image's head 0003_us16_contract)"
    assert run_cli("db", "upgrade", database_url=url).returncode == 0
    assert run_cli("db", "current", database_url=url).stdout.strip() == (
        "0003_us16_contract (head)"
    )
    assert run_cli("db", "downgrade", "base", database_url=url).returncode == 0
    assert current_revision(url) is None


def test_db_check_passes_at_head_and_lists_differences_below(
    make_database: MakeDatabase,
) -> None:
    at_head = run_cli("db", "check", database_url=make_database("head"))
    assert at_head.returncode == 0
    assert at_head.stdout == ""

    at_expand = run_cli("db", "check", database_url=make_database("0002_us16_expand"))
    assert at_expand.returncode == 1
    assert "modify_nullable: entries.iso_year" in at_expand.stdout
    assert "add_check: entries.ck_entries_week_start_monday" in at_expand.stdout
    assert "difference(s) between the database and the declared schema" in at_expand.stderr


def test_unknown_revision_is_one_line_listing_the_known_ones(database_url: str) -> None:
    result = run_cli("db", "downgrade", "0042_nope", database_url=database_url)

    assert_one_line_error(
        result, "unknown schema revision '0042_nope'. name a known revision: 0001"
    )


def test_missing_database_url_is_one_line_saying_what_to_set() -> None:
    assert_one_line_error(run_cli("db", "current"), "DATABASE_URL is not set")


def test_unreachable_database_never_shows_the_password() -> None:
    url = f"postgres://app:s3cret-pw@127.0.0.1:{free_port()}/semaine"

    result = run_cli("db", "upgrade", database_url=url)

    assert_one_line_error(result, "cannot connect to PostgreSQL at 127.0.0.1:")
    assert "s3cret-pw" not in result.stderr + result.stdout


def test_downgrade_needs_a_revision() -> None:
    result = run_cli("db", "downgrade")
    assert result.returncode == 2
    assert "required: REV" in result.stderr


# --------------------------------------------------------------------- release
def test_release_upgrades_an_empty_database_to_head(make_database: MakeDatabase) -> None:
    url = make_database("base")

    result = run_cli("db", "release", database_url=url)

    assert result.returncode == 0, result.stderr
    assert current_revision(url) == head_revision()


def test_release_stops_at_expand_while_the_data_migration_is_pending(
    make_database: MakeDatabase,
) -> None:
    url = make_database("0001_legacy")
    insert_legacy_row(url)

    result = run_cli("db", "release", database_url=url)

    assert result.returncode == 0, result.stderr
    assert "data migration pending: " in result.stderr
    assert "1 row(s) of entries are still legacy" in result.stderr
    assert current_revision(url) == "0002_us16_expand"


def test_release_leaves_a_database_ahead_of_this_image_alone(database_url: str) -> None:
    with psycopg.connect(database_url) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '0004_future'")

    result = run_cli("db", "release", database_url=database_url)

    assert result.returncode == 0, result.stderr
    assert "database is ahead of this image, nothing to do" in result.stderr
    assert current_revision(database_url) == "0004_future"


# ----------------------------------------------------------------------- serve
def wait_for_http(url: str, process: subprocess.Popen[str], log: Path) -> str:
    deadline = time.monotonic() + _READY_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the server exited with {process.returncode}:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - loopback http
                return str(response.read().decode())
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.05)
    pytest.fail(f"the server did not answer {url}:\n{log.read_text()}")


def start_cli(
    log: Path, *args: str, database_url: str | None = None, **extra: str
) -> subprocess.Popen[str]:
    with log.open("w") as sink:
        return subprocess.Popen(
            [sys.executable, "-m", "app", *args],
            stdout=sink,
            stderr=subprocess.STDOUT,
            text=True,
            env={**process_environ(database_url), **extra},
        )


@pytest.mark.slow
@pytest.mark.parametrize("stop_signal", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_serve_dev_runs_on_a_throwaway_database_and_removes_it(
    tmp_path: Path, stop_signal: signal.Signals
) -> None:
    port = free_port()
    log = tmp_path / "serve.log"
    # Its temporary folder in memory when there is one, as the tests' own cluster: initdb's
    # sync and the removal then never wait for a disk that other jobs keep busy.
    memory = {"TMPDIR": str(MEMORY_DIR)} if MEMORY_DIR.is_dir() else {}
    process = start_cli(log, "serve", "--dev", "--port", str(port), **memory)
    try:
        body = wait_for_http(f"http://127.0.0.1:{port}/readyz", process, log)
        assert '"current":"0003_us16_contract"' in body
        match = re.search(r"data directory (\S+)/data", log.read_text())
        assert match is not None
        directory = Path(match.group(1))
        assert directory.exists()

        process.send_signal(stop_signal)
        assert process.wait(timeout=120) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()

    output = log.read_text()
    assert "Traceback" not in output
    assert "throwaway PostgreSQL removed" in output
    assert not directory.exists()


@pytest.mark.slow
def test_serve_listens_on_port_from_the_environment(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    port = free_port()
    log = tmp_path / "serve.log"
    monkeypatch.setenv("PORT", str(port))
    process = start_cli(log, "serve", "--host", "127.0.0.1", database_url=database_url)
    try:
        body = wait_for_http(f"http://127.0.0.1:{port}/healthz", process, log)
        assert '"version":"1.6.0"' in body
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=60) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_serve_rejects_an_invalid_port_in_one_line(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PORT", "web")

    result = run_cli("serve", database_url=database_url)

    assert_one_line_error(result, "PORT must be a TCP port number from 1 to 65535, not 'web'")


@pytest.mark.slow
def test_serve_with_an_unreachable_database_exits_in_one_line(tmp_path: Path) -> None:
    url = f"postgresql://app:s3cret-pw@127.0.0.1:{free_port()}/semaine"
    environ = {**process_environ(url), "DATABASE_POOL_TIMEOUT": "0.5"}
    result = subprocess.run(
        [sys.executable, "-m", "app", "serve", "--host", "127.0.0.1", "--port", str(free_port())],
        capture_output=True,
        text=True,
        env=environ,
        check=False,
        timeout=120,
        cwd=tmp_path,
    )
    assert result.returncode == ExitStatus.REFUSED, result.stderr
    assert "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == 1, result.stderr
    assert errors[0].startswith("error: cannot connect to PostgreSQL at 127.0.0.1:")
    assert "s3cret-pw" not in result.stderr


@pytest.mark.slow
def test_serve_on_a_port_in_use_exits_in_one_line(database_url: str, tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "app", "serve", "--host", "127.0.0.1", "--port", str(port)],
            capture_output=True,
            text=True,
            env=process_environ(database_url),
            check=False,
            timeout=120,
            cwd=tmp_path,
        )
    # Not uvicorn's own exit 3 ("inconclusive" here): refused, nothing served.
    assert result.returncode == ExitStatus.REFUSED, result.stderr
    assert "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    expected = (
        f"error: the server could not listen on 127.0.0.1:{port} (the line above says why)."
        " choose a free --port, or a --host this machine has"
    )
    assert errors == [expected], result.stderr


def test_upgrade_helper_and_cli_agree(make_database: MakeDatabase) -> None:
    url = make_database("base")
    upgrade(url, "0002_us16_expand")
    # The one db verb run as a real `python -m app`: app/__main__.py must stay wired to main.
    result = subprocess.run(
        [sys.executable, "-m", "app", "db", "current"],
        capture_output=True,
        text=True,
        env=process_environ(url),
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("0002_us16_expand ")


def test_db_seed_spreads_entries_over_the_weeks_asked(database_url: str) -> None:
    result = run_cli(
        "db", "seed", "--entries", "28", "--first-week", "2026-W52", "--last-week", "2026-W53",
        database_url=database_url,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "added 28 sample entries over 2026-W52..2026-W53" in result.stderr
    with psycopg.connect(database_url) as connection:
        weeks = connection.execute(
            "SELECT iso_year, iso_week, count(*), min(entry_date), max(entry_date)"
            " FROM entries GROUP BY 1, 2 ORDER BY 1, 2"
        ).fetchall()
    assert [(year, week, count) for year, week, count, _, _ in weeks] == [
        (2026, 52, 14),
        (2026, 53, 14),
    ]
    assert weeks[0][3].isoformat() == "2026-12-21"
    assert weeks[-1][4].isoformat() == "2027-01-03"


def test_db_seed_around_today_covers_the_weeks_either_side_of_this_one(database_url: str) -> None:
    result = run_cli(
        "db", "seed", "--entries", "35", "--weeks-around-today", "2", database_url=database_url
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    this_week = current_week()
    with psycopg.connect(database_url) as connection:
        weeks = connection.execute(
            "SELECT week_start, count(*) FROM entries GROUP BY 1 ORDER BY 1"
        ).fetchall()
    # Five weeks of seven days: each day gets one entry.
    mondays = [this_week.monday + dt.timedelta(weeks=offset) for offset in range(-2, 3)]
    assert weeks == [(monday, 7) for monday in mondays]
    refused = run_cli("db", "seed", "--weeks-around-today", "-1", database_url=database_url)
    assert_one_line_error(refused, "need --weeks-around-today >= 0, not -1")


def test_db_seed_refuses_a_backwards_span_in_one_line(database_url: str) -> None:
    result = run_cli(
        "db", "seed", "--first-week", "2026-W10", "--last-week", "2026-W09",
        database_url=database_url,
    )  # fmt: skip
    assert_one_line_error(result, "--first-week <= --last-week, not 5000, 2026-W10..2026-W09")
    nothing = run_cli("db", "seed", "--entries", "0", database_url=database_url)
    assert_one_line_error(nothing, "need --entries >= 1")
    assert_one_line_error(
        run_cli("db", "seed", "--first-week", "2026-W99", database_url=database_url), "2026-W99"
    )
