"""The Lighthouse gates on recorded reports of Lighthouse 12.2.3 (tool-outputs/lighthouse/).

pass: the seeded week page, desktop and mobile (median of 3 runs); fail: the tiny project
broken on purpose; page-error: a page answering 404; missing-category: the pass reports
with the accessibility category removed from one; no-node: the probe without Node.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from typing import TYPE_CHECKING

import pytest

from semaine.pipeline import evaluations
from semaine.pipeline.gates import GateResult, Outcome
from semaine.pipeline.lighthouse import FOLDER, GATED, REPORTED, lighthouse
from semaine.pipeline.parsers import ReportError
from semaine.pipeline.parsers.lighthouse import parse_lighthouse
from semaine.pipeline.thresholds import FLOOR, Thresholds
from tests.paths import TOOL_OUTPUTS

if TYPE_CHECKING:
    from pathlib import Path

RECORDED = TOOL_OUTPUTS / "lighthouse"
GATES = [gate for _, _, gate in GATED]


def recorded(tmp_path: Path, case: str) -> Path:
    """Give a stage report folder holding the recorded Lighthouse folder of `case`."""
    shutil.copytree(RECORDED / case, tmp_path / FOLDER)
    return tmp_path


def judged(reports: Path, thresholds: Thresholds = FLOOR) -> dict[str, GateResult]:
    return {result.gate: result for result in lighthouse(reports, thresholds)}


def test_the_seeded_week_page_passes_every_gate_with_its_scores_noted(tmp_path: Path) -> None:
    results = judged(recorded(tmp_path, "pass"))
    assert [results[gate].outcome for gate in GATES] == [Outcome.PASS] * 3
    performance = results["lighthouse performance"]
    assert (performance.measured, performance.requirement) == (100, ">= 60 points")
    # The seed's 6.0/10, both ways.
    assert "100/100 = 10.0/10; the seed asks >= 6.0/10" in performance.detail
    assert "median of 3 runs, 2 pages x presets" in performance.detail
    lost = (
        "100; lost points: Enable text compression (score 50),"
        " Serve static assets with an efficient cache policy (score 50)"
    )
    assert performance.notes[:2] == (
        f"/weeks/2026-W49 desktop: {lost}",
        f"/weeks/2026-W49 mobile: {lost}",
    )
    # 12.2.3's trace engine fails on this Chromium's frame events: said once, weight 0.
    assert "could not compute 6 audits of no weight" in performance.notes[-1]
    best = results["lighthouse best practices"]
    assert best.measured == 96
    assert best.notes[0].endswith("lost points: Browser errors were logged to the console")
    assert best.findings == ()  # passing: nothing offends, the notes still say what lost points
    seo = results[REPORTED[1]]
    assert (seo.outcome, seo.measured, seo.requirement) == (Outcome.PASS, 90, "")
    assert "not a gate" in seo.detail
    assert seo.notes[0].endswith("Document does not have a meta description")


def test_a_stricter_table_fails_the_page_and_names_what_lost_points(tmp_path: Path) -> None:
    strict = replace(FLOOR, lighthouse_best_practices_min=100.0)
    best = judged(recorded(tmp_path, "pass"), strict)["lighthouse best practices"]
    assert best.outcome is Outcome.FAIL
    assert best.findings == ("/weeks/2026-W49 desktop: Browser errors were logged to the console",)


def test_the_broken_page_fails_accessibility_and_performance_for_their_own_reasons(
    tmp_path: Path,
) -> None:
    results = judged(recorded(tmp_path, "fail"))
    accessibility = results["lighthouse accessibility"]
    assert (accessibility.outcome, accessibility.measured) == (Outcome.FAIL, 89)
    assert accessibility.findings == (
        "/weeks/2026-W49 desktop: Image elements do not have `[alt]` attributes",
    )
    performance = results["lighthouse performance"]
    assert (performance.outcome, performance.measured) == (Outcome.FAIL, 46)
    assert "4.6/10; the seed asks >= 6.0/10" in performance.detail
    lost = "\n".join(performance.findings)
    for metric in ("First Contentful Paint", "Total Blocking Time", "Speed Index"):
        assert metric in lost
    assert results["lighthouse best practices"].outcome is Outcome.PASS


def test_a_page_that_answers_an_error_status_fails_every_gate(tmp_path: Path) -> None:
    results = judged(recorded(tmp_path, "page-error"))
    for gate in GATES:
        assert results[gate].outcome is Outcome.FAIL
        assert results[gate].detail == "2 of 2 pages x presets did not load"
        assert results[gate].findings == (
            "/months/2026-11 desktop: ERRORED_DOCUMENT_REQUEST, status 404",
            "/months/2026-11 mobile: ERRORED_DOCUMENT_REQUEST, status 404",
        )
    assert results[REPORTED[1]].outcome is Outcome.INCONCLUSIVE


def test_a_missing_category_is_inconclusive_never_a_pass(tmp_path: Path) -> None:
    results = judged(recorded(tmp_path, "missing-category"))
    accessibility = results["lighthouse accessibility"]
    assert accessibility.outcome is Outcome.INCONCLUSIVE
    assert accessibility.findings == (
        "/weeks/2026-W49 mobile: no accessibility category in its report",
    )
    assert results["lighthouse performance"].outcome is Outcome.PASS


def test_a_failing_score_outweighs_a_missing_one(tmp_path: Path) -> None:
    strict = replace(FLOOR, lighthouse_accessibility_min=100.0)
    reports = recorded(tmp_path, "missing-category")
    report = reports / FOLDER / "weeks-2026-W49.desktop.report.json"
    document = json.loads(report.read_text(encoding="utf-8"))
    document["categories"]["accessibility"]["score"] = 0.5
    report.write_text(json.dumps(document), encoding="utf-8")
    assert judged(reports, strict)["lighthouse accessibility"].outcome is Outcome.FAIL


@pytest.mark.parametrize("case", ["no-node", "no-index", "no-page"])
def test_lighthouse_that_could_not_run_is_inconclusive_with_the_reason(
    tmp_path: Path, case: str
) -> None:
    if case == "no-node":
        reports = recorded(tmp_path, "no-node")
        reason = "node is not on PATH, so Lighthouse cannot run: run scripts/setup"
    elif case == "no-index":
        reports = tmp_path  # a crash before the index was written
        reason = "Lighthouse wrote no usable report"
    else:
        (tmp_path / FOLDER).mkdir()
        (tmp_path / FOLDER / "lighthouse.json").write_text('{"audits": []}', encoding="utf-8")
        reports, reason = tmp_path, "Lighthouse audited no page"
    results = lighthouse(reports, FLOOR)
    assert [result.gate for result in results] == [*GATES, REPORTED[1]]
    for result in results:
        assert result.outcome is Outcome.INCONCLUSIVE
        assert reason in result.detail


def test_an_audit_that_crashed_mid_way_makes_its_gates_inconclusive(tmp_path: Path) -> None:
    reports = recorded(tmp_path, "pass")
    index_path = reports / FOLDER / "lighthouse.json"
    index = json.loads(index_path.read_text(encoding="utf-8"))
    index["audits"][1] = {
        "page": "/weeks/2026-W49",
        "preset": "mobile",
        "report": None,
        "runs": [],
        "error": "run 1 of 3 failed: Protocol error (Page.navigate): Target closed",
    }
    index_path.write_text(json.dumps(index), encoding="utf-8")
    results = judged(reports)
    for gate in GATES:
        assert results[gate].outcome is Outcome.INCONCLUSIVE
        assert "1 page x preset not scored" in results[gate].detail
        assert "Target closed" in results[gate].findings[0]


def test_the_parser_reads_the_index_and_the_median_reports() -> None:
    index = parse_lighthouse(RECORDED / "pass")
    assert (index.version, index.runs_per_audit, index.error) == ("12.2.3", 3, None)
    desktop, mobile = index.audits
    assert (desktop.label, mobile.label) == ("/weeks/2026-W49 desktop", "/weeks/2026-W49 mobile")
    assert {name: result.score for name, result in desktop.categories.items()} == {
        "performance": 100,
        "accessibility": 100,
        "best-practices": 96,
        "seo": 90,
    }
    assert desktop.runs == 3


def test_the_parser_refuses_a_report_that_is_not_lighthouse_s(tmp_path: Path) -> None:
    reports = recorded(tmp_path, "pass")
    (reports / FOLDER / "weeks-2026-W49.desktop.report.json").write_text("[]", encoding="utf-8")
    with pytest.raises(ReportError, match="a Lighthouse result"):
        parse_lighthouse(reports / FOLDER)
    # The evaluation turns that into inconclusive gates, never a pass.
    assert {r.outcome for r in lighthouse(reports, FLOOR)} == {Outcome.INCONCLUSIVE}


def test_the_e2e_evaluation_includes_the_lighthouse_gates(tmp_path: Path) -> None:
    reports = recorded(tmp_path, "pass")
    shutil.copy(TOOL_OUTPUTS / "page-timing.json", reports / "page-timing.json")
    gates = [result.gate for result in evaluations.e2e(reports, FLOOR)]
    assert gates == ["page load", "navigation", *GATES, REPORTED[1]]


def _rescore(report: Path, category: str, score: float) -> None:
    document = json.loads(report.read_text(encoding="utf-8"))
    document["categories"][category]["score"] = score
    report.write_text(json.dumps(document), encoding="utf-8")


def test_performance_is_the_median_run_s_and_the_other_categories_the_full_run_s(
    tmp_path: Path,
) -> None:
    # Week desktop: the median is run 3, which scored performance alone; month: run 1.
    reports = recorded(tmp_path, "performance-runs")
    folder = reports / FOLDER
    week = parse_lighthouse(folder).audits[0]
    assert set(week.categories) == {"performance", "accessibility", "best-practices", "seo"}
    assert (
        "accessibility"
        not in json.loads(
            (folder / "weeks-2026-W49.desktop.report.json").read_text(encoding="utf-8")
        )["categories"]
    )
    # Where each score is read from: a worse performance in the full run is not judged,
    # a worse accessibility there is.
    _rescore(folder / "weeks-2026-W49.desktop.run-1.report.json", "performance", 0.3)
    _rescore(folder / "weeks-2026-W49.desktop.run-1.report.json", "accessibility", 0.8)
    results = judged(reports)
    assert (
        results["lighthouse performance"].outcome,
        results["lighthouse performance"].measured,
    ) == (
        Outcome.PASS,
        100,
    )
    assert "median of 3 runs" in results["lighthouse performance"].detail
    accessibility = results["lighthouse accessibility"]
    assert (accessibility.outcome, accessibility.measured) == (Outcome.FAIL, 80)
    assert "run 1 of 3 runs (runs 2-3 score performance alone)" in accessibility.detail
    # The month's median run is the full run: its one report gives every category.
    _rescore(folder / "months-2026-11.desktop.report.json", "performance", 0.5)
    assert judged(reports)["lighthouse performance"].measured == 50
