"""The pipeline summary's gates, written as `semaine pipeline`'s own gate table writes them."""

from __future__ import annotations

from semaine.dashboard.gates import GateRow, PipelineSummary
from semaine.pipeline.gates import Comparison, GateResult, Outcome


def test_a_gate_reads_as_the_pipeline_table_shows_it() -> None:
    result = GateResult(
        "p95",
        Outcome.PASS,
        measured=412.37,
        threshold=500.0,
        comparison=Comparison.BELOW,
        unit="ms",
    )
    row = GateRow(
        gate="p95", outcome="pass", measured=412.37, threshold=500.0, comparison="<", unit="ms"
    )
    assert (row.measurement, row.requirement) == (result.measurement, result.requirement)
    assert (row.measurement, row.requirement) == ("412.4 ms", "< 500 ms")


def test_a_gate_without_figures_shows_nothing_for_them() -> None:
    row = GateRow(gate="build", outcome="skipped")
    assert (row.measurement, row.requirement) == ("", "")


def test_fields_the_page_does_not_show_are_ignored() -> None:
    summary = PipelineSummary.model_validate(
        {"verdict": "pass", "exit_status": 0, "stages": [], "note": None, "new_field": 1}
    )
    assert summary.stages == []
