"""The local executor reuses passed results of unchanged inputs, like Dagger's cache."""

import json
import re
from pathlib import Path
from typing import Any

import pytest

from semaine.cli import main

pytestmark = pytest.mark.integration


def run(project: Path, reports: Path, *options: str, stages: str = "lint") -> dict[str, Any]:
    status = main(
        ["pipeline", "--only", stages, "--project-dir", str(project),
         "--report-dir", str(reports), "--accept-inconclusive", "no audit here", *options]
    )  # fmt: skip
    summary: dict[str, Any] = json.loads((reports / "summary.json").read_text(encoding="utf-8"))
    assert status == summary["exit_status"]
    return {stage["name"]: stage for stage in summary["stages"]}


def test_unchanged_inputs_reuse_a_pass_and_a_change_runs_again(
    tiny_project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = tiny_project
    first = run(project, tmp_path / "r1", stages="lint,security")
    assert first["lint"]["verdict"] == "pass"
    assert first["lint"]["cached_from"] is None
    capsys.readouterr()

    second = run(project, tmp_path / "r2", stages="lint,security")
    assert second["lint"]["cached_from"].startswith("cached: same inputs as the run of ")
    assert second["lint"]["gates"] == first["lint"]["gates"]
    assert (tmp_path / "r2" / "lint" / "ruff.json").exists()
    # The security stage asks a vulnerability service: it runs every time.
    assert second["security"]["cached_from"] is None
    output = capsys.readouterr()
    assert re.search(r"lint +pass \(cached\)", output.err)
    assert "cached (same inputs as an earlier passed run; --no-cache runs them): lint" in (
        output.out
    )

    forced = run(project, tmp_path / "r3", "--no-cache")
    assert forced["lint"]["cached_from"] is None

    weeks = project / "app" / "weeks.py"
    weeks.write_text(weeks.read_text(encoding="utf-8") + "\nimport os\n", encoding="utf-8")
    edited = run(project, tmp_path / "r4")
    assert edited["lint"]["cached_from"] is None
    assert edited["lint"]["verdict"] == "fail"


def test_a_failure_is_never_reused(tiny_project: Path, tmp_path: Path) -> None:
    project = tiny_project
    (project / "app" / "lint_error.py").write_text('"""Unused."""\nimport os\n', encoding="utf-8")
    assert run(project, tmp_path / "r1")["lint"]["verdict"] == "fail"
    again = run(project, tmp_path / "r2")["lint"]
    assert again["verdict"] == "fail"
    assert again["cached_from"] is None
    assert not (project / ".semaine_cache" / "lint").exists()


def test_reports_written_inside_the_project_are_not_its_sources(tiny_project: Path) -> None:
    project = tiny_project
    assert run(project, project / "out")["lint"]["cached_from"] is None
    assert run(project, project / "out")["lint"]["cached_from"] is not None
