import json
import shutil
from pathlib import Path

from semaine.pipeline import evaluations, quick
from semaine.pipeline.gates import Comparison, GateResult, Outcome, check, inconclusive, passed
from semaine.pipeline.report import gate_table, summary_document, summary_markdown, write_summaries
from semaine.pipeline.thresholds import FLOOR
from semaine.pipeline.verdict import StageResult, run_verdict
from tests.paths import TOOL_OUTPUTS

RESULTS = [
    StageResult(
        "load",
        Outcome.FAIL,
        20.5,
        (check("API p95", 812.0, Comparison.BELOW, 500, unit="ms", detail="900 requests"),),
        output_tail="locust said | something",
        key_figures={"API p95": "812 ms"},
    ),
    StageResult(
        "security",
        Outcome.INCONCLUSIVE,
        3.0,
        (inconclusive("vulnerable dependencies", "service unreachable"),),
    ),
    StageResult("build", Outcome.SKIPPED, 0.0, reason="needs a container engine"),
]


def test_summary_json(tmp_path: Path) -> None:
    verdict = run_verdict(RESULTS)
    json_path, md_path = write_summaries(tmp_path / "reports", RESULTS, verdict, executor="local")
    document = json.loads(json_path.read_text(encoding="utf-8"))
    assert (document["verdict"], document["exit_status"], document["executor"]) == (
        "fail",
        1,
        "local",
    )
    load = document["stages"][0]
    assert load["thresholds"] == {"API p95": "< 500 ms"}
    assert load["key_figures"] == {"API p95": "812 ms"}
    assert load["gates"][0]["measured"] == 812.0
    assert document["stages"][2]["verdict"] == "skipped"
    assert md_path.read_text(encoding="utf-8") == summary_markdown(RESULTS, verdict)


def test_summary_markdown_is_a_gate_table_with_escaped_cells() -> None:
    markdown = summary_markdown(RESULTS, run_verdict(RESULTS))
    assert "| load (20.5 s) | API p95 | ❌ fail | 812 ms | < 500 ms | 900 requests |" in markdown
    assert "needs a container engine" in markdown
    assert "locust said | something" in markdown  # inside a code block: left as is
    assert "exit status 1" in markdown


def test_accepted_inconclusive_is_recorded_with_its_reason() -> None:
    results = RESULTS[1:]
    verdict = run_verdict(results, "the runner has no internet")
    assert "the runner has no internet" in summary_markdown(results, verdict)
    table = gate_table(results, verdict)
    assert "inconclusive accepted: the runner has no internet" in table
    assert "exit status 0" in table


def test_a_cached_result_says_where_it_comes_from_everywhere() -> None:
    note = "cached: same inputs as the run of 2026-11-24T11:00:00+00:00 (80.0 s)"
    results = [StageResult("test", Outcome.PASS, 0.1, (passed("tests"),), cached_from=note)]
    verdict = run_verdict(results)
    document = summary_document(results, verdict, executor="local")
    assert document["stages"][0]["cached_from"] == note
    markdown = summary_markdown(results, verdict)
    assert "| test (0.1 s, cached) | tests |" in markdown
    assert f"- test: {note}" in markdown
    assert "--no-cache runs them): test" in gate_table(results, verdict)
    assert "cached" not in gate_table(RESULTS, run_verdict(RESULTS))


QUICK_RESULTS = [
    StageResult("lint", Outcome.PASS, 0.1, (passed("ruff check"),)),
    StageResult(
        "test",
        Outcome.PASS,
        4.0,
        (
            check("affected tests", 0, Comparison.AT_MOST, 0, unit="failed", detail="2 passed"),
            GateResult("coverage", Outcome.SKIPPED, detail=quick.NOT_JUDGED),
        ),
    ),
]


def test_a_quick_run_says_everywhere_that_it_is_not_the_pipeline_s_verdict() -> None:
    verdict = run_verdict(QUICK_RESULTS, quick=True)
    document = summary_document(QUICK_RESULTS, verdict, executor="local")
    assert (document["quick"], document["note"], document["exit_status"]) == (True, quick.NOTE, 0)
    coverage = document["stages"][1]["gates"][1]
    assert (coverage["outcome"], coverage["detail"]) == ("skipped", quick.NOT_JUDGED)

    markdown = summary_markdown(QUICK_RESULTS, verdict)
    assert markdown.startswith(
        "## Quick run: ✅ pass (exit status 0), not the pipeline's verdict\n\n" + quick.NOTE
    )
    assert "| test (4.0 s) | coverage | ⏭️ skipped |  |  | not judged in --quick" in markdown

    table = gate_table(QUICK_RESULTS, verdict)
    assert quick.NOTE in table
    assert table.endswith("quick run verdict (not the pipeline's): pass; exit status 0\n")


def test_a_whole_run_is_not_labelled_quick() -> None:
    verdict = run_verdict(RESULTS)
    document = summary_document(RESULTS, verdict, executor="local")
    assert (document["quick"], document["note"]) == (False, None)
    assert summary_markdown(RESULTS, verdict).startswith("## Pipeline: ")
    assert "Quick run" not in gate_table(RESULTS, verdict)


def dirty_lint(tmp_path: Path) -> list[StageResult]:
    """Judge the lint stage on ruff's recorded reports of a dirty sample (8 findings)."""
    shutil.copy(TOOL_OUTPUTS / "ruff-dirty.json", tmp_path / "ruff.json")
    shutil.copy(TOOL_OUTPUTS / "ruff-format-dirty.json", tmp_path / "ruff-format.json")
    return [StageResult("lint", Outcome.FAIL, 1.0, evaluations.lint(tmp_path, FLOOR))]


def test_every_finding_of_a_failed_gate_is_readable_in_all_three_summaries(
    tmp_path: Path,
) -> None:
    # S602 and S307 made lint fail, yet were behind "…" in all three.
    results = dirty_lint(tmp_path)
    verdict = run_verdict(results)
    s602 = "pkg/mod.py:4 S602 `subprocess` call with `shell=True` identified, security issue"
    s307 = "pkg/mod.py:5 S307 Use of possibly insecure function"
    table = gate_table(results, verdict)
    markdown = summary_markdown(results, verdict)
    document = summary_document(results, verdict, executor="local")
    gate = document["stages"][0]["gates"][0]
    for text in (table, markdown, "\n".join(gate["findings"])):
        assert s602 in text
        assert s307 in text
    for text in (table, markdown, gate["detail"]):
        assert "8 findings: 1 ANN001, 1 ANN201, 1 D100, 1 D103" in text
        assert "1 S307, 1 S602" in text
    # One finding a line in the terminal and in summary.md, never folded into one cell.
    assert any(line.strip().endswith(s602) for line in table.splitlines())
    assert any(line.strip().endswith(s602) for line in markdown.splitlines())


def test_a_detail_too_long_for_the_terminal_table_is_shown_whole_below_it() -> None:
    detail = "129 of 129 dependencies not audited, every one for the same reason: " + "x" * 80
    results = [
        StageResult(
            "security",
            Outcome.INCONCLUSIVE,
            1.0,
            (inconclusive("vulnerable dependencies", detail),),
        )
    ]
    table = gate_table(results, run_verdict(results))
    assert f"security / vulnerable dependencies (inconclusive): {detail}" in table


def test_an_inconclusive_verdict_says_what_to_do_in_the_table_and_summary() -> None:
    results = [
        StageResult("security", Outcome.INCONCLUSIVE, 1.0, (inconclusive("pip-audit", "offline"),))
    ]
    verdict = run_verdict(results)
    for text in (gate_table(results, verdict), summary_markdown(results, verdict)):
        assert "--accept-inconclusive REASON" in text
    passed_run = [StageResult("lint", Outcome.PASS, 0.1, (passed("ruff check"),))]
    assert "--accept-inconclusive" not in gate_table(passed_run, run_verdict(passed_run))


def test_lighthouse_scores_per_page_and_failing_audits_reach_every_summary(
    tmp_path: Path,
) -> None:
    shutil.copytree(TOOL_OUTPUTS / "lighthouse" / "fail", tmp_path / "lighthouse")
    gates = evaluations.lighthouse(tmp_path, FLOOR)
    results = [StageResult("e2e", Outcome.FAIL, 9.0, gates)]
    verdict = run_verdict(results)
    document = summary_document(results, verdict, executor="local")
    (stage,) = document["stages"]
    by_gate = {gate["gate"]: gate for gate in stage["gates"]}
    accessibility = by_gate["lighthouse accessibility"]
    assert accessibility["notes"] == [
        "/weeks/2026-W49 desktop: 89; lost points: Image elements do not have `[alt]` attributes"
    ]
    assert accessibility["findings"] == [
        "/weeks/2026-W49 desktop: Image elements do not have `[alt]` attributes"
    ]
    assert stage["key_figures"] == {}  # judge_stage fills them; here only the gates matter
    markdown = summary_markdown(results, verdict)
    assert "**e2e / lighthouse SEO**" in markdown  # scores shown whatever the outcome
    assert "- /weeks/2026-W49 desktop: 46; lost points: First Contentful Paint" in markdown
    table = gate_table(results, verdict)
    assert "e2e / lighthouse best practices:\n  /weeks/2026-W49 desktop: 100" in table
