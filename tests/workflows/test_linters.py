"""zizmor and GitHub's workflow schema find nothing to say about any workflow (offline)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.paths import ROOT
from tests.workflows.workflow_files import NAMES, WORKFLOWS

VENV_BIN = Path(sys.executable).parent
BAD = ROOT / "tests" / "workflows" / "bad"
"""Workflows wrong on purpose, to show each check can fail."""


def run(*argv: str) -> subprocess.CompletedProcess[str]:
    """Run a tool of the project's venv from the repository root."""
    return subprocess.run(
        [str(VENV_BIN / argv[0]), *argv[1:]],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


@pytest.mark.parametrize("persona", ["regular", "pedantic"])
def test_zizmor_finds_nothing_and_nothing_is_suppressed(persona: str) -> None:
    # --no-ignores: an inline `# zizmor: ignore[...]` would not hide a finding here.
    done = run(
        "zizmor",
        "--offline",
        "--no-ignores",
        # A file that is not a valid workflow is an error, not skipped with a warning.
        "--strict-collection",
        f"--persona={persona}",
        "--format=json",
        ".github/workflows",
    )
    findings = json.loads(done.stdout or "[]")
    assert findings == [], json.dumps(findings, indent=1)[:4000]
    assert done.returncode == 0, done.stderr


def test_zizmor_would_report_a_finding() -> None:
    # The check above can fail: zizmor reads this folder and reports what it finds.
    done = run("zizmor", "--offline", "--format=json", str(BAD / "insecure.yml"))
    audits = {finding["ident"] for finding in json.loads(done.stdout)}
    assert {"unpinned-uses", "artipacked", "template-injection"} <= audits


def test_every_workflow_is_valid_against_github_s_schema() -> None:
    paths = [str(WORKFLOWS / name) for name in NAMES]
    done = run("check-jsonschema", "--builtin-schema", "vendor.github-workflows", *paths)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "ok -- validation done" in done.stdout


def test_the_schema_check_would_report_an_error() -> None:
    bad = str(BAD / "invalid.yml")
    done = run("check-jsonschema", "--builtin-schema", "vendor.github-workflows", bad)
    assert done.returncode == 1, done.stdout
