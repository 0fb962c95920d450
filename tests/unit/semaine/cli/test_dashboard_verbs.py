"""`semaine dashboard`: writes the page whole, refuses unreadable inputs with exit status 2."""

from __future__ import annotations

import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from semaine import cli
from semaine.exit_status import ExitStatus
from tests.dashboard_histories import (
    MONDAY,
    every,
    pipeline_summary,
    record,
    run,
    write_history,
    write_records,
)

NOW = MONDAY + timedelta(hours=10)
SEMAINE = str(Path(sys.executable).parent / "semaine")


@pytest.fixture
def history(tmp_path: Path) -> Path:
    times = every(MONDAY + timedelta(hours=7), NOW, timedelta(minutes=15))
    return write_history(tmp_path / "state", [run(at) for at in times])


def test_the_page_is_written_with_every_input(
    history: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    deployments = write_records(tmp_path / "reports", [record("deploy", MONDAY, 80.0)])
    summary = pipeline_summary(tmp_path / "summary.json")
    site = tmp_path / "site" / "nested"
    status = cli.main(
        [
            "dashboard",
            "--history", str(history),
            "--environment", "production",
            "--deployments", str(deployments),
            "--pipeline-summary", str(summary),
            "--output", str(site),
            "--now", NOW.isoformat(),
        ]
    )  # fmt: skip
    assert status == ExitStatus.DONE
    assert capsys.readouterr().out == f"wrote {site / 'index.html'} (12 runs, 1 environments)\n"
    page = (site / "index.html").read_text(encoding="utf-8")
    assert page.startswith("<!doctype html>")
    assert "Gates of the latest pipeline run" in page
    assert [path.name for path in site.iterdir()] == ["index.html"], "no temporary file left"
    assert (site / "index.html").stat().st_mode & 0o777 == 0o644


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["--history", "{tmp}/nowhere"], "no history at "),
        (["--history", "{tmp}"], "holds no history (no *.jsonl file)"),
        (["--history", "{history}", "--environment", "qa"], "qa.jsonl"),
        (["--history", "{history}", "--deployments", "{tmp}/none"], "--deployments "),
        (["--history", "{history}", "--pipeline-summary", "{history}/production.jsonl"],
         "not a pipeline summary"),
        (["--history", "{history}", "--output", "{history}/production.jsonl"], "cannot write "),
    ],
)  # fmt: skip
def test_what_cannot_make_a_page_is_refused_with_status_2(
    history: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    flags: list[str],
    message: str,
) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    argv = [flag.format(tmp=empty, history=history) for flag in flags]
    if "--output" not in argv:
        argv += ["--output", str(tmp_path / "site")]
    assert cli.main(["dashboard", *argv]) == ExitStatus.REFUSED
    error = capsys.readouterr().err
    assert error.startswith("semaine dashboard: ")
    assert message in error
    assert error.count("\n") == 1
    assert not (tmp_path / "site").exists(), "nothing written"


def test_a_page_that_cannot_replace_the_old_one_leaves_no_partial_file(
    history: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = tmp_path / "site"
    (site / "index.html").mkdir(parents=True)  # in the way: the rename must fail
    (site / "index.html" / "kept").write_text("kept")
    args = ["dashboard", "--history", str(history), "--output", str(site)]
    assert cli.main(args) == ExitStatus.REFUSED
    assert "cannot write" in capsys.readouterr().err
    assert sorted(path.name for path in site.iterdir()) == ["index.html"]
    assert (site / "index.html" / "kept").read_text() == "kept"


def test_now_without_a_timezone_is_a_usage_error(
    history: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as stopped:
        cli.main(
            [
                "dashboard",
                "--history",
                str(history),
                "--output",
                str(tmp_path),
                "--now",
                "2026-11-30",
            ]
        )
    assert stopped.value.code == ExitStatus.REFUSED
    assert "no timezone" in capsys.readouterr().err


def test_help_names_every_input_the_gap_rule_and_the_exit_statuses(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit):
        cli.main(["dashboard", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    for flag in (
        "--history",
        "--environment",
        "--deployments",
        "--pipeline-summary",
        "--output",
        "--now",
    ):
        assert flag in text
    assert "gaps (scheduled runs that did not happen) shown as gaps" in text
    assert "0 the page was written" in text
    assert "2 refused, nothing written" in text


def test_the_console_script_writes_the_page(history: Path, tmp_path: Path) -> None:
    # The one run through the real `semaine` console script, to test its wiring.
    site = tmp_path / "site"
    done = subprocess.run(
        [SEMAINE, "dashboard", "--history", str(history), "--output", str(site)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert (site / "index.html").is_file()
