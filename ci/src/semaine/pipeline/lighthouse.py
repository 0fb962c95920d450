"""How Lighthouse's reports become the e2e stage's Lighthouse gates (pure: reports in).

One gate per gated category (performance, accessibility, best practices), measured on
the lowest score of every audited page and preset (each the median of its runs); SEO is
reported beside them, never gated. Each gate's notes list every page and preset's score
and the audits that lost points. Lighthouse that could not run (no Node, no Chromium,
a crash, no index) makes the gates inconclusive with the reason, never passed; a page
that answered an error status fails them.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from semaine.pipeline.gates import GateResult, Outcome, failed, inconclusive
from semaine.pipeline.parsers import ReportError
from semaine.pipeline.parsers.lighthouse import PageAudit, parse_lighthouse
from semaine.pipeline.thresholds import GATES

if TYPE_CHECKING:
    from pathlib import Path

    from semaine.pipeline.parsers.lighthouse import LighthouseIndex
    from semaine.pipeline.thresholds import Thresholds

FOLDER = "lighthouse"
"""The probe's output folder, in the e2e stage's report folder."""
GATED = (
    ("performance", "lighthouse_performance_min", "lighthouse performance"),
    ("accessibility", "lighthouse_accessibility_min", "lighthouse accessibility"),
    ("best-practices", "lighthouse_best_practices_min", "lighthouse best practices"),
)
REPORTED = ("seo", "lighthouse SEO")
"""Scored and shown, not gated (the seed gates the other three)."""
PAGE_ERRORS = frozenset({"ERRORED_DOCUMENT_REQUEST", "NOT_HTML"})
"""Lighthouse's runtime errors that say the page itself is broken (an error status, not HTML)."""
UNIT = "points"


def lighthouse(reports: Path, thresholds: Thresholds) -> tuple[GateResult, ...]:
    """Judge the Lighthouse index and the median reports in `reports`/lighthouse."""
    names = [gate for _, _, gate in GATED] + [REPORTED[1]]
    try:
        index = parse_lighthouse(reports / FOLDER)
    except ReportError as error:
        reason = f"Lighthouse wrote no usable report: {error}"
        return tuple(inconclusive(name, reason) for name in names)
    if index.error or not index.audits:
        reason = index.error or "Lighthouse audited no page"
        return tuple(inconclusive(name, reason) for name in names)
    gates = tuple(
        _category(index, category, key, gate, thresholds) for category, key, gate in GATED
    )
    return (*gates, _reported(index))


def _category(
    index: LighthouseIndex,
    category: str,
    key: str,
    gate: str,
    thresholds: Thresholds,
) -> GateResult:
    scored, problems, broken = _scores(index, category)
    notes = _notes(index, category)
    if broken:
        detail = f"{len(broken)} of {len(index.audits)} pages x presets did not load"
        return replace(failed(gate, detail), findings=tuple(broken), notes=notes)
    if not scored:
        result = inconclusive(gate, f"no {category} score: {problems[0]}")
        return replace(result, findings=tuple(problems), notes=notes)
    score, worst = min(scored, key=lambda item: item[0])
    detail = f"lowest: {worst.label}{_out_of_ten(category, score, thresholds)}"
    detail += f"; {_which_runs(index, category)}"
    detail += f", {_counted(len(scored), 'page x preset', 'pages x presets')}"
    result = GATES[key].check(gate, score, thresholds, detail=detail)
    below = [audit for value, audit in scored if value < (result.threshold or 0)]
    findings = tuple(
        f"{audit.label}: {title}" for audit in below for title in audit.categories[category].failing
    )
    if result.outcome is Outcome.PASS and problems:
        unscored = _counted(len(problems), "page x preset", "pages x presets")
        result = inconclusive(gate, f"{unscored} not scored; {detail}")
        findings = tuple(problems)
    return replace(result, findings=findings, notes=notes)


def _scores(
    index: LighthouseIndex, category: str
) -> tuple[list[tuple[float, PageAudit]], list[str], list[str]]:
    scored: list[tuple[float, PageAudit]] = []
    problems: list[str] = []
    broken: list[str] = []
    for audit in index.audits:
        if audit.error and audit.runtime_error_code in PAGE_ERRORS:
            broken.append(f"{audit.label}: {audit.short_error}")
        elif audit.error:
            problems.append(f"{audit.label}: {audit.error}")
        elif category not in audit.categories:
            problems.append(f"{audit.label}: no {category} category in its report")
        elif (score := audit.categories[category].score) is None:
            problems.append(f"{audit.label}: Lighthouse could not score {category}")
        else:
            scored.append((score, audit))
    return scored, problems, broken


def _which_runs(index: LighthouseIndex, category: str) -> str:
    """Say which runs a category's scores come from: the median, or the runs scoring it."""
    runs = _counted(index.runs_per_audit, "run")
    if category == "performance" or index.full_runs >= index.runs_per_audit:
        return f"median of {runs}"
    if index.full_runs == 1:
        return f"run 1 of {runs} (runs 2-{index.runs_per_audit} score performance alone)"
    return f"the median of {runs} if it scored {category}, else run 1 (runs 1-{index.full_runs} do)"


def _counted(number: int, noun: str, plural: str = "") -> str:
    return f"{number} {noun if number == 1 else plural or noun + 's'}"


def _out_of_ten(category: str, score: float, thresholds: Thresholds) -> str:
    if category != "performance":
        return f" ({score:g})"
    floor = thresholds.lighthouse_performance_min
    return f" ({score:g}/100 = {score / 10:.1f}/10; the seed asks >= {floor / 10:.1f}/10)"


def _notes(index: LighthouseIndex, category: str) -> tuple[str, ...]:
    notes = []
    errored: dict[str, None] = {}
    for audit in index.audits:
        result = audit.categories.get(category)
        if result is None:
            notes.append(f"{audit.label}: not scored ({audit.short_error or 'no such category'})")
            continue
        shown = "not scored" if result.score is None else f"{result.score:g}"
        lost = f"; lost points: {', '.join(result.failing)}" if result.failing else ""
        notes.append(f"{audit.label}: {shown}{lost}")
        errored.update(dict.fromkeys(result.errored))
    if errored:
        notes.append(
            f"Lighthouse {index.version or ''} could not compute {len(errored)} audits of no"
            f" weight (no effect on the score): {', '.join(errored)}"
        )
    return tuple(notes)


def _reported(index: LighthouseIndex) -> GateResult:
    category, gate = REPORTED
    scored, problems, broken = _scores(index, category)
    notes = _notes(index, category)
    if not scored:
        reason = (broken + problems)[0] if broken or problems else "no page scored"
        return replace(inconclusive(gate, f"no {category} score: {reason}"), notes=notes)
    score, worst = min(scored, key=lambda item: item[0])
    detail = f"reported, not a gate; lowest: {worst.label}"
    return GateResult(gate, Outcome.PASS, measured=score, unit=UNIT, detail=detail, notes=notes)
