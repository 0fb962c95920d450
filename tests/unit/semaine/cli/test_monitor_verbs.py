"""`semaine monitor`: its help, and every refusal before anything is checked or recorded."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from semaine.cli import build_parser, main
from tests.paths import ROOT

if TYPE_CHECKING:
    from pathlib import Path


def help_text(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("COLUMNS", "400")
    with pytest.raises(SystemExit) as exit_info:
        build_parser().parse_args(["monitor", "--help"])
    assert exit_info.value.code == 0
    return capsys.readouterr().out


def test_the_help_explains_flags_defaults_and_exit_statuses(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    text = help_text(capsys, monkeypatch)
    for flag in (
        "--environment",
        "--url",
        "--database-url",
        "--slack-webhook",
        "--github-token",
        "--github-repo",
        "--state",
        "--report",
        "--project-dir",
    ):
        assert f"  {flag}" in text, flag
    assert "(default: monitoring/)" in text
    assert "(default: reports/monitor/)" in text
    assert "for tests against a local service and for staging previews" in text
    for status in (
        "0  every check is up",
        "1  a check is down or degraded",
        "2  refused",
        "3  no check failed",
    ):
        assert status in text


def refused(argv: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    state = tmp_path / "state"
    status = main(["monitor", *argv, "--state", str(state), "--report", str(tmp_path / "r")])
    assert status == 2
    assert not state.exists(), "a refused run records nothing"
    assert not (tmp_path / "r").exists()
    return capsys.readouterr().err


def test_an_unknown_environment_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    error = refused(["--environment", "prod", "--project-dir", str(ROOT)], tmp_path, capsys)
    assert "no environment 'prod'" in error
    assert "known: production, staging" in error


def test_a_token_without_a_repository_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["--environment", "staging", "--project-dir", str(ROOT), "--github-token", "env://T"]
    assert "--github-token needs --github-repo OWNER/NAME" in refused(argv, tmp_path, capsys)
    argv = ["--environment", "staging", "--project-dir", str(ROOT), "--github-repo", "o/r"]
    assert "--github-repo needs --github-token ADDR" in refused(argv, tmp_path, capsys)


def test_a_missing_secret_is_refused_without_its_value(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SLACK_WEBHOOK_URL", raising=False)
    argv = ["--environment", "staging", "--project-dir", str(ROOT)]
    error = refused([*argv, "--slack-webhook", "env://SLACK_WEBHOOK_URL"], tmp_path, capsys)
    assert "environment variable SLACK_WEBHOOK_URL is unset or empty" in error
    monkeypatch.setenv("DATABASE_URL", "mysql://user:pw@host/db")
    error = refused([*argv, "--database-url", "env://DATABASE_URL"], tmp_path, capsys)
    assert "must start with postgresql://" in error
    assert "pw" not in error.replace("postgresql", "")


@pytest.mark.parametrize(
    ("flag", "value", "expected"),
    [
        ("--url", "ftp://example.com", "expected an http(s) base URL"),
        ("--url", "https://user:pw@example.com", "a service URL carries no credentials"),
        ("--github-repo", "not a repo", "expected OWNER/NAME"),
    ],
)
def test_a_malformed_flag_is_a_usage_error(
    flag: str, value: str, expected: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["monitor", "--environment", "staging", flag, value])
    assert exit_info.value.code == 2
    error = capsys.readouterr().err
    assert expected in error
    assert ":pw@" not in error


@pytest.mark.parametrize("flag", ["--state", "--report"])
def test_a_folder_flag_naming_a_file_is_refused_before_any_check(
    flag: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    a_file = tmp_path / "a-file"
    a_file.write_text("not a folder\n", encoding="utf-8")
    folders = {"--state": str(tmp_path / "state"), "--report": str(tmp_path / "r")}
    folders[flag] = str(a_file / "below")
    argv = ["--environment", "staging", "--project-dir", str(ROOT)]
    # An unreachable URL: were the checks to run, the refusal would come after them.
    argv += ["--url", "http://127.0.0.1:9"]
    status = main(["monitor", *argv, *(part for pair in folders.items() for part in pair)])
    assert status == 2
    error = capsys.readouterr().err
    assert f"{flag} {a_file / 'below'} cannot be a folder: {a_file} is a file" in error
    assert f"pass {flag} a folder you can write to" in error
    assert not (tmp_path / "state").exists(), "a refused run records nothing"
    assert not (tmp_path / "r").exists()
