"""`python -m app serve`: the --port flag is checked like PORT, before anything starts."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from app import cli
from app.cli import main
from app.config import ConfigError
from app.db.devserver import DevServerError
from app.db.errors import (
    DatabaseUnreachableError,
    LegacyRowsRemainError,
    LegacySeedRefusedError,
    QueryFailedError,
    RejectedValueError,
    UnknownRevisionError,
)
from app.exit_status import ExitStatus
from tests.inprocess import run_main

if TYPE_CHECKING:
    from app.errors import ActionableError


@pytest.mark.parametrize("port", ["99999", "65536", "0", "-1", "http", "80.5", ""])
def test_serve_refuses_a_port_outside_1_to_65535_as_a_usage_error(
    monkeypatch: pytest.MonkeyPatch, port: str
) -> None:
    started: list[int] = []
    monkeypatch.setattr(cli, "_run_uvicorn", lambda _host, port: started.append(port) or 0)

    result = run_main(main, ["serve", "--port", port], {"PORT": None})

    assert result.returncode == 2
    assert started == []
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("usage: python -m app serve")
    assert f"argument --port: must be a TCP port number from 1 to 65535, not {port!r}" in (
        result.stderr
    )


@pytest.mark.parametrize("port", ["1", "8000", "65535"])
def test_serve_binds_the_port_given(monkeypatch: pytest.MonkeyPatch, port: str) -> None:
    started: list[int] = []
    monkeypatch.setattr(cli, "_run_uvicorn", lambda _host, port: started.append(port) or 0)

    # No DATABASE_URL: serve skips its database check (the app reports it on /readyz).
    result = run_main(main, ["serve", "--port", port], {"PORT": "9", "DATABASE_URL": None})
    assert result.returncode == 0
    assert started == [int(port)]


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (ConfigError("DATABASE_URL is not set"), ExitStatus.REFUSED),
        (UnknownRevisionError("0042_nope", ["0001_legacy"]), ExitStatus.REFUSED),
        (LegacyRowsRemainError(3), ExitStatus.REFUSED),
        (
            LegacySeedRefusedError("0003_us16_contract", ["0001_legacy"], "db downgrade"),
            ExitStatus.REFUSED,
        ),
        (DatabaseUnreachableError("127.0.0.1:1", "refused"), ExitStatus.REFUSED),
        (cli.CliError("need --entries >= 1"), ExitStatus.REFUSED),
        (
            QueryFailedError("deadlock", driver_class="DeadlockDetected", sqlstate="40P01"),
            ExitStatus.FAILED,
        ),
        (
            RejectedValueError(
                "check", driver_class="CheckViolation", sqlstate="23514", constraint="c"
            ),
            ExitStatus.FAILED,
        ),
        (DevServerError("the throwaway PostgreSQL did not start"), ExitStatus.FAILED),
    ],
)
def test_refusals_before_any_change_exit_2_and_failures_mid_operation_exit_1(
    error: ActionableError, status: ExitStatus
) -> None:
    assert cli.exit_status_of(error) == status


def test_help_lists_the_exit_statuses() -> None:
    result = run_main(main, ["--help"], {})
    assert "130  interrupted (Ctrl-C)" in result.stdout
    assert "2    refused or usage error, nothing changed" in result.stdout


def test_db_help_names_the_revisions_this_image_knows() -> None:
    from app.db.migrate import known_revisions  # noqa: PLC0415 - alembic, only here

    shown = run_main(main, ["db", "--help"]).stdout
    assert f"Revisions, oldest first: {', '.join(known_revisions())}." in shown


@pytest.mark.parametrize("verb", [["db", "upgrade"], ["db", "current"], ["db", "seed"], ["serve"]])
def test_every_db_and_serve_verb_says_what_it_does_and_its_exit_statuses(verb: list[str]) -> None:
    shown = run_main(main, [*verb, "--help"]).stdout
    assert "DATABASE_URL" in shown
    assert "exit status" in shown
