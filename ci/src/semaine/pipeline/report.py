"""The run's summaries: `summary.json` for machines, `summary.md` for people and CI pages."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from semaine.exit_status import ExitStatus
from semaine.pipeline import quick
from semaine.pipeline.gates import Outcome

if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path

    from semaine.pipeline.gates import GateResult
    from semaine.pipeline.verdict import RunVerdict, StageResult

SUMMARY_JSON = "summary.json"
SUMMARY_MD = "summary.md"
TERMINAL_DETAIL = 80
"""Characters of a gate's detail in the terminal's table; the rest is shown below it."""

_BADGE = {
    Outcome.PASS: "✅ pass",
    Outcome.FAIL: "❌ fail",
    Outcome.INCONCLUSIVE: "⚠️ inconclusive",
    Outcome.SKIPPED: "⏭️ skipped",
}

INCONCLUSIVE_ADVICE = (
    "what to do: make the inconclusive checks possible (each says why it could not be made),"
    " or, knowingly, run again with --accept-inconclusive REASON to record why they may pass"
)


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
        "quick": verdict.quick,
        "note": quick.NOTE if verdict.quick else None,
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
        "findings": list(gate.findings),
        "notes": list(gate.notes),
    }


def summary_markdown(results: Sequence[StageResult], verdict: RunVerdict) -> str:
    """Return the human summary: the verdict and one table row per gate."""
    status = f"{_BADGE[verdict.outcome]} (exit status {int(verdict.exit_status)})"
    if verdict.quick:
        lines = [f"## Quick run: {status}, not the pipeline's verdict", "", quick.NOTE, ""]
    else:
        lines = [f"## Pipeline: {status}", ""]
    if verdict.accepted_inconclusive:
        lines += [f"Inconclusive gates accepted: {_cell(verdict.accepted_inconclusive)}", ""]
    if verdict.exit_status == ExitStatus.INCONCLUSIVE:
        lines += [INCONCLUSIVE_ADVICE, ""]
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
    lines += _markdown_findings(results)
    lines += _markdown_notes(results)
    overlaps = [f"- {r.stage}: with {', '.join(r.overlapped)}" for r in results if r.overlapped]
    if overlaps:
        lines += ["", "Stages that ran at the same time (timing stages run alone):", *overlaps]
    cached_notes = [f"- {r.stage}: {r.cached_from}" for r in results if r.cached_from]
    if cached_notes:
        lines += ["", "Judged again from the reports of an earlier run with the same inputs:"]
        lines += cached_notes
    troubled = [r for r in results if r.outcome in {Outcome.FAIL, Outcome.INCONCLUSIVE}]
    for result in troubled:
        if result.output_tail:
            lines += ["", f"<details><summary>{result.stage}: output tail</summary>", ""]
            lines += ["```", result.output_tail, "```", "", "</details>"]
    return "\n".join(lines) + "\n"


def _troubled(results: Sequence[StageResult]) -> list[tuple[StageResult, GateResult]]:
    return [
        (result, gate)
        for result in results
        for gate in result.gates
        if gate.outcome in {Outcome.FAIL, Outcome.INCONCLUSIVE}
    ]


def _markdown_findings(results: Sequence[StageResult]) -> list[str]:
    lines: list[str] = []
    for result, gate in _troubled(results):
        if gate.findings:
            title = f"{result.stage} / {gate.gate}: {gate.detail}" if gate.detail else gate.gate
            lines += ["", f"**{_cell(title, 1000)}**", "", "```text", *gate.findings, "```"]
    return lines


def _noted(results: Sequence[StageResult]) -> list[tuple[StageResult, GateResult]]:
    return [(result, gate) for result in results for gate in result.gates if gate.notes]


def _markdown_notes(results: Sequence[StageResult]) -> list[str]:
    lines: list[str] = []
    for result, gate in _noted(results):
        lines += ["", f"**{_cell(f'{result.stage} / {gate.gate}')}**", ""]
        lines += [f"- {_cell(note, 1000)}" for note in gate.notes]
    return lines


def _terminal_notes(results: Sequence[StageResult]) -> list[str]:
    lines: list[str] = []
    for result, gate in _noted(results):
        lines.append(f"{result.stage} / {gate.gate}:")
        lines.extend(f"  {note}" for note in gate.notes)
    return lines


def _terminal_findings(results: Sequence[StageResult]) -> list[str]:
    lines: list[str] = []
    for result, gate in _troubled(results):
        # What the table's detail cell cut, and the findings, in full: one a line.
        if gate.findings or len(_flat(gate.detail)) > TERMINAL_DETAIL:
            lines.append(f"{result.stage} / {gate.gate} ({gate.outcome.value}): {gate.detail}")
            lines.extend(f"  {finding}" for finding in gate.findings)
    return lines


def _flat(text: str) -> str:
    return " ".join(text.split())


def _cell(text: str, limit: int = 300) -> str:
    flat = _flat(text).replace("|", "\\|")
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
                _cell(gate.detail, TERMINAL_DETAIL),
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
    notes = _terminal_notes(results)
    if notes:
        lines += ["", *notes]
    findings = _terminal_findings(results)
    if findings:
        lines += ["", *findings]
    lines.append("")
    cached = [result.stage for result in results if result.cached_from]
    if cached:
        lines.append(
            f"cached (same inputs as an earlier passed run; --no-cache runs them): "
            f"{', '.join(cached)}"
        )
    if verdict.quick:
        lines.append(quick.NOTE)
    kind = "quick run verdict (not the pipeline's)" if verdict.quick else "verdict"
    lines.append(
        f"{kind}: {verdict.outcome.value}{accepted}; exit status {int(verdict.exit_status)}"
    )
    if verdict.exit_status == ExitStatus.INCONCLUSIVE:
        lines.append(INCONCLUSIVE_ADVICE)
    return "\n".join(line.rstrip() for line in lines) + "\n"
