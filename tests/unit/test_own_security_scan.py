"""The project's own code passes its security stage's bandit step, as the pipeline runs it."""

from __future__ import annotations

import json
import subprocess  # nosec B404 - runs bandit, a fixed argv
import sys
from pathlib import Path

import pytest

from semaine.pipeline.stages import REPORT, SECURITY
from tests.paths import ROOT

pytestmark = pytest.mark.slow


def test_bandit_finds_nothing_of_medium_or_high_severity_in_the_code(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A `# noqa` for ruff is not a `# nosec` for bandit: the gate would fail on the project."""
    # Under the test stage's coverage, bandit (which runs none of our code) would be traced.
    monkeypatch.delenv("COVERAGE_PROCESS_CONFIG", raising=False)
    bandit = next(step for step in SECURITY.steps if step.name == "bandit")
    argv = [part.replace(REPORT, str(tmp_path)) for part in bandit.argv]
    argv[0] = str(Path(sys.executable).with_name("bandit"))  # the environment running pytest
    subprocess.run(argv, cwd=ROOT, capture_output=True, check=False)  # nosec B603
    findings = json.loads((tmp_path / "bandit.json").read_text(encoding="utf-8"))["results"]
    serious = [
        f"{item['filename']}:{item['line_number']} {item['test_id']} {item['issue_text']}"
        for item in findings
        if item["issue_severity"] in {"MEDIUM", "HIGH"}
    ]
    assert serious == []
