"""The local executor end to end on copies of the tiny fixture project.

Real tools, real PostgreSQL, real locust and Chromium. One clean copy passes (its run is
made once and read by two tests); one copy broken in every way makes each gate fail for
its own reason.
"""

import datetime as dt
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from semaine.cli import main

pytestmark = [pytest.mark.slow, pytest.mark.integration]


def run_pipeline(project: Path, reports: Path, stages: str) -> int:
    # The heavy stages overlap: the load stage mostly waits on its paced users.
    options = ["--max-cpu-heavy", "2", "--project-dir", str(project), "--report-dir", str(reports)]
    return main(["pipeline", "--only", stages, *options])


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def summary_of(report_dir: Path) -> dict[str, Any]:
    summary: dict[str, Any] = json.loads((report_dir / "summary.json").read_text(encoding="utf-8"))
    return summary


def gates(report_dir: Path) -> dict[tuple[str, str], dict[str, Any]]:
    return {
        (stage["name"], gate["gate"]): gate
        for stage in summary_of(report_dir)["stages"]
        for gate in stage["gates"]
    }


_AGGREGATED = re.compile(r'\{[^{}]*"name": "Aggregated"[^{}]*\}')
_DETAIL = re.compile(r"^(\d+) requests, (\d+) failed")


def locust_final_report(html: Path) -> dict[str, Any]:
    """Return the Aggregated line of locust's HTML report (its figures at the end)."""
    found = _AGGREGATED.search(html.read_text(encoding="utf-8"))
    assert found, f"no Aggregated statistics in {html}"
    aggregated: dict[str, Any] = json.loads(found.group(0))
    return aggregated


TIME_UNITS = {"ms", "s"}
_YEAR, _WEEK, _ = dt.datetime.now(tz=dt.UTC).date().isocalendar()
TODAY = f"/weeks/{_YEAR}-W{_WEEK:02d}"
"""The tiny project's Lighthouse page: `/weeks/{this_week}`."""


@dataclass(frozen=True)
class Run:
    """A pipeline run: its exit status and its report folder."""

    status: int
    reports: Path


@pytest.fixture(scope="module")
def clean_run(module_tiny_project: Path, tmp_path_factory: pytest.TempPathFactory) -> Run:
    """Run every stage once on a clean copy of the tiny project: its tests only read it."""
    reports = tmp_path_factory.mktemp("clean") / "reports"
    stages = "lint,typecheck,test,load,e2e,build"
    return Run(run_pipeline(module_tiny_project, reports, stages), reports)


@pytest.mark.browser
def test_a_clean_project_passes_every_gate(clean_run: Run) -> None:
    status, reports = clean_run.status, clean_run.reports
    found = gates(reports)
    # A gate on a duration measures this machine as well as the project: on a busy one it
    # may fail, and that is the gate working (bench/ holds the figures). Every other gate
    # passes, and every timing gate has measured something (never inconclusive).
    timing = {key: gate for key, gate in found.items() if gate.get("unit") in TIME_UNITS}
    others = {key: gate for key, gate in found.items() if key not in timing}
    assert {("load", "API p95"), ("e2e", "navigation")} <= timing.keys(), found
    assert {gate["outcome"] for gate in others.values()} == {"pass"}, others
    for key, gate in timing.items():
        assert gate["outcome"] in {"pass", "fail"}, (key, gate)
        assert gate["measured"] is not None, (key, gate)
    assert {("load", "seed entries"), ("e2e", "seed entries")} <= found.keys()
    # The e2e stage seeds its database, then Lighthouse audits the tiny page (one page,
    # desktop, one run: its [tool.semaine.lighthouse]). Its accessibility and best
    # practices are whole; its performance (a measure of time too) passes.
    assert found[("e2e", "seed entries")]["outcome"] == "pass"
    for category in ("performance", "accessibility", "best practices"):
        gate = found[("e2e", f"lighthouse {category}")]
        assert gate["outcome"] == "pass", gate
        assert category == "performance" or gate["notes"] == [f"{TODAY} desktop: 100"], gate
    timing_passed = all(gate["outcome"] == "pass" for gate in timing.values())
    assert status == (0 if timing_passed else 1)
    # The fixture's locustfile stops after 300 requests: all of them are judged.
    judged = int(found[("load", "API p95")]["detail"].split(" requests")[0])
    assert judged >= 300, found[("load", "API p95")]
    assert [stage["verdict"] for stage in summary_of(reports)["stages"]][-1] == "skipped"
    # The browser workflow ran in the test stage, with the rest of the suite.
    junit = (reports / "test" / "junit.xml").read_text(encoding="utf-8")
    assert 'name="test_next_week_follows_this_week"' in junit
    for artefact in (
        "lint/ruff.json",
        "typecheck/mypy.xml",
        "test/junit.xml",
        "test/coverage.json",
        "test/coverage-html/index.html",
        "load/locust.json",
        "load/locust.html",
        "e2e/page-timing.json",
        "e2e/screenshots/00-first-load.jpg",
        "e2e/lighthouse/lighthouse.json",
        "summary.md",
    ):
        assert (reports / artefact).exists(), artefact


@pytest.mark.browser
def test_the_judged_request_count_is_locusts_final_total(clean_run: Run) -> None:
    # locust rewrites `--csv`'s `_stats.csv` once a second while it runs and not after its
    # last requests: the gate once judged 1,799 requests where locust's own final report
    # said 1,921. The judged figures must be those of locust's HTML report, written when
    # the run ended.
    p95 = gates(clean_run.reports)[("load", "API p95")]
    judged = _DETAIL.match(p95["detail"])
    assert judged, p95
    final = locust_final_report(clean_run.reports / "load" / "locust.html")
    assert int(judged.group(1)) == final["num_requests"]
    assert int(judged.group(2)) == final["num_failures"]
    assert p95["measured"] == final["response_time_percentile_0.95"]


def test_each_gate_fails_for_its_own_breakage(
    tiny_project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Coverage's subprocess patch would start a tracer in every Python tool of this run:
    # none of them runs code of semaine that the clean run or other tests leave unmeasured.
    monkeypatch.delenv("COVERAGE_PROCESS_CONFIG", raising=False)
    project = tiny_project
    app = project / "app"
    # An unused import (ruff check) in a file ruff format would rewrite (ruff format).
    (app / "lint_error.py").write_text('"""Lint error."""\nimport os\nx=1\n', encoding="utf-8")
    edit(app / "weeks.py", "def label(day: dt.date) -> str:", "def label(day: dt.date) -> int:")
    edit(project / "tests" / "check_weeks.py", '"2026-W53"', '"2027-W01"')
    edit(
        app / "weeks.py",
        '    return f"{year}-W{week:02d}"',
        ('    if year < 0:\n        return f"{-year}"\n    return f"{year}-W{week:02d}"'),
    )
    edit(app / "server.py", "import time", "import subprocess\nimport time")
    edit(
        app / "server.py",
        "def serve(port: int) -> None:",
        (
            "def shell(command: str) -> None:\n"
            '    """Run a shell command."""\n'
            "    subprocess.run(command, shell=True, check=False)\n\n\n"
            "def serve(port: int) -> None:"
        ),
    )
    edit(
        app / "server.py",
        'os.environ.get("TINY_DELAY_S", "0")',
        'os.environ.get("TINY_DELAY_S", "0.6")',
    )
    # One slow answer in ten: more users keep the sample count over the gate's minimum.
    edit(project / "pyproject.toml", "users = 10\nspawn-rate = 10", "users = 20\nspawn-rate = 20")
    edit(
        app / "schema.py",
        'DOWNGRADE = "DROP TABLE IF EXISTS entries"',
        'DOWNGRADE = "DROP TABLE entries_typo"',
    )
    reports = tmp_path / "reports"
    stages = "lint,typecheck,security,test,migrations,load"
    status = run_pipeline(project, reports, stages)
    found = gates(reports)
    assert status == 1
    expected_failures = {
        ("lint", "ruff check"): "F401",
        ("lint", "ruff format"): "",
        ("typecheck", "mypy"): "[return-value]",
        ("security", "bandit (severity >= medium)"): "B602",
        ("test", "tests"): "label_uses_the_iso_year",
        ("test", "coverage app/weeks.py"): "",
        ("migrations", "downgrade base"): "exited 1",
        ("load", "API p95"): "",
    }
    for key, detail in expected_failures.items():
        assert found[key]["outcome"] == "fail", (key, found[key])
        assert detail in "\n".join([found[key]["detail"], *found[key]["findings"]]), found[key]
    assert found[("migrations", "upgrade head")]["outcome"] == "pass"
    assert found[("migrations", "upgrade head again")]["outcome"] == "inconclusive"
    assert found[("load", "API error rate")]["outcome"] == "pass"
