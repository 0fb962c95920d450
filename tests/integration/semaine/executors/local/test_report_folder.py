"""A run owns its report folder: an earlier run's stage folders go, a user's files stay."""

import json
from pathlib import Path

import pytest

from semaine.cli import main

pytestmark = [pytest.mark.slow, pytest.mark.integration]


def run(*argv: str) -> int:
    return main([*argv, "--no-cache"])


def summary_stages(reports: Path) -> list[str]:
    summary = json.loads((reports / "summary.json").read_text(encoding="utf-8"))
    return [stage["name"] for stage in summary["stages"]]


def test_an_only_run_leaves_no_folder_of_an_earlier_run(tiny_project: Path, tmp_path: Path) -> None:
    reports = tmp_path / "reports"
    options = ("--project-dir", str(tiny_project), "--report-dir", str(reports))
    assert run("pipeline", "--only", "lint,typecheck", *options) == 0
    (reports / "notes.txt").write_text("mine", encoding="utf-8")
    assert run("pipeline", "--only", "lint", *options) == 0
    # Uploading reports/ now uploads this run alone, and what the user put there.
    assert summary_stages(reports) == ["lint"]
    assert not (reports / "typecheck").exists()
    assert (reports / "lint" / "ruff.json").is_file()
    assert (reports / "notes.txt").read_text(encoding="utf-8") == "mine"


def test_a_folder_a_run_did_not_write_is_never_deleted(
    tiny_project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # `--report-dir .` in a project that has a folder named like a stage.
    own = tiny_project / "lint"
    own.mkdir()
    (own / "keep.txt").write_text("mine", encoding="utf-8")
    options = ("--project-dir", str(tiny_project), "--report-dir", str(tiny_project))
    assert run("lint", *options) == 2
    assert (own / "keep.txt").read_text(encoding="utf-8") == "mine"
    error = capsys.readouterr().err
    assert f"{own} was not written by a semaine run" in error
    assert "--report-dir" in error
