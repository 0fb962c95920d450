"""The run's summaries: `summary.json` for machines, `summary.md` for people and CI pages."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from semaine.pipeline.gates import Outcome

if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path

    from semaine.pipeline.gates import GateResult
    from semaine.pipeline.verdict import RunVerdict, StageResult

SUMMARY_JSON = "summary.json"
SUMMARY_MD = "summary.md"

_BADGE = {
    Outcome.PASS: "✅ pass",
    Outcome.FAIL: "❌ fail",
    Outcome.INCONCLUSIVE: "⚠️ inconclusive",
    Outcome.SKIPPED: "⏭️ skipped",
}


def write_summaries(
    report_dir: Path,
    results: Sequence[StageResult],
    verdict: RunVerdict,
    *,
    executor: str,
) -> tuple[Path, Path]:
    """Write summary.json and summary.md into `report_dir` and return their paths."""
    report_dir.mkdir(parents=True, exist_ok=True)
    json_path, md_path = report_dir / SUMMARY_JSON, report_dir / SUMMARY_MD
    document = summary_document(results, verdict, executor=executor)
    json_path.write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
    md_path.write_text(summary_markdown(results, verdict), encoding="utf-8")
    return json_path, md_path


def summary_document(
    results: Sequence[StageResult],
    verdict: RunVerdict,
    *,
    executor: str,
) -> dict[str, Any]:
    """Return the machine-readable summary of a run."""
    return {
        "verdict": verdict.outcome.value,
        "exit_status": int(verdict.exit_status),
        "accepted_inconclusive": verdict.accepted_inconclusive,
        "executor": executor,
        "stages": [_stage_document(result) for result in results],
    }


def _stage_document(result: StageResult) -> dict[str, Any]:
    return {
        "name": result.stage,
        "verdict": result.outcome.value,
        "duration_s": round(result.duration_s, 3),
        "reason": result.reason,
        "cached_from": result.cached_from or None,
        "partial_run": result.partial_run or None,
        "key_figures": result.key_figures,
        "thresholds": {gate.gate: gate.requirement for gate in result.gates if gate.requirement},
        "gates": [_gate_document(gate) for gate in result.gates],
        "output_tail": result.output_tail,
        "overlapped_with": list(result.overlapped),
        "reports": f"{result.stage}/",
    }


def _gate_document(gate: GateResult) -> dict[str, Any]:
    return {
        "gate": gate.gate,
        "outcome": gate.outcome.value,
        "measured": gate.measured,
        "threshold": gate.threshold,
        "comparison": gate.comparison.value if gate.comparison else None,
        "unit": gate.unit,
        "detail": gate.detail,
    }


def summary_markdown(results: Sequence[StageResult], verdict: RunVerdict) -> str:
    """Return the human summary: the verdict and one table row per gate."""
    lines = [
        f"## Pipeline: {_BADGE[verdict.outcome]} (exit status {int(verdict.exit_status)})",
        "",
    ]
    if verdict.accepted_inconclusive:
        lines += [f"Inconclusive gates accepted: {_cell(verdict.accepted_inconclusive)}", ""]
    lines += [
        "| stage | gate | outcome | measured | threshold | detail |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for result in results:
        cached = ", cached" if result.cached_from else ""
        duration = f"{result.stage} ({result.duration_s:.1f} s{cached})"
        if not result.gates:
            lines.append(
                f"| {duration} | | {_BADGE[result.outcome]} | | | {_cell(result.reason)} |"
            )
        lines.extend(
            f"| {duration} | {_cell(gate.gate)} | {_BADGE[gate.outcome]} | "
            f"{gate.measurement} | {_cell(gate.requirement)} | {_cell(gate.detail)} |"
            for gate in result.gates
        )
    overlaps = [f"- {r.stage}: with {', '.join(r.overlapped)}" for r in results if r.overlapped]
    if overlaps:
        lines += ["", "Stages that ran at the same time (timing stages run alone):", *overlaps]
    cached_notes = [f"- {r.stage}: {r.cached_from}" for r in results if r.cached_from]
    if cached_notes:
        lines += ["", "Judged again from the reports of an earlier run with the same inputs:"]
        lines += cached_notes
    partial_notes = [f"- {r.stage}: {r.partial_run}" for r in results if r.partial_run]
    if partial_notes:
        lines += ["", "Only the tests a change affects ran (`--no-cache` runs them all):"]
        lines += partial_notes
    troubled = [r for r in results if r.outcome in {Outcome.FAIL, Outcome.INCONCLUSIVE}]
    for result in troubled:
        if result.output_tail:
            lines += ["", f"<details><summary>{result.stage}: output tail</summary>", ""]
            lines += ["```", result.output_tail, "```", "", "</details>"]
    return "\n".join(lines) + "\n"


def _cell(text: str, limit: int = 300) -> str:
    flat = " ".join(text.split()).replace("|", "\\|")
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def gate_table(results: Sequence[StageResult], verdict: RunVerdict) -> str:
    """Return the gate table as plain text for a terminal."""
    rows = [("stage", "gate", "outcome", "measured", "threshold", "detail")]
    for result in results:
        if not result.gates:
            rows.append((result.stage, "", result.outcome.value, "", "", result.reason))
        rows.extend(
            (
                result.stage,
                gate.gate,
                gate.outcome.value,
                gate.measurement,
                gate.requirement,
                _cell(gate.detail, 80),
            )
            for gate in result.gates
        )
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]) - 1)]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=False))
        + "  "
        + row[-1]
        for row in rows
    ]
    accepted = (
        f" (inconclusive accepted: {verdict.accepted_inconclusive})"
        if verdict.accepted_inconclusive
        else ""
    )
    lines.append("")
    cached = [result.stage for result in results if result.cached_from]
    if cached:
        lines.append(
            f"cached (same inputs as an earlier passed run; --no-cache runs them): "
            f"{', '.join(cached)}"
        )
    lines.extend(
        f"{result.stage}: {result.partial_run}; --no-cache runs them all"
        for result in results
        if result.partial_run
    )
    lines.append(
        f"verdict: {verdict.outcome.value}{accepted}; exit status {int(verdict.exit_status)}"
    )
    return "\n".join(line.rstrip() for line in lines) + "\n"
