"""Lighthouse's reports: the probe's index (`lighthouse.json`) and each median run's report.

The index is written by `semaine/probes/lighthouse.mjs` (or by the Python probe when
Lighthouse could not start); it names, for each page and preset, the JSON report of
the median run (`report`), which is Lighthouse's own result (LHR) format, and the report
of the run that scored every category (`full_report`) when the median run scored
performance alone. Each category is read from the median run when it scored it, else
from the full run.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from semaine.pipeline.parsers.errors import ReportError, read_json, shape_error

if TYPE_CHECKING:
    from pathlib import Path

INDEX = "lighthouse.json"
PASS_SCORE = 0.9
"""An audit scoring below this loses points: Lighthouse's report shows it as failed."""
_STATUS = re.compile(r"Status code: (\d+)")
_UNSCORED = frozenset({"notApplicable", "informative", "manual"})


@dataclass(frozen=True)
class CategoryResult:
    """One category of one report: its score out of 100 and the audits that lost points."""

    score: float | None
    """None when Lighthouse could not score it (an audit with weight errored)."""
    failing: tuple[str, ...] = ()
    """Titles of the audits below PASS_SCORE (and of weighted audits that errored)."""
    errored: tuple[str, ...] = ()
    """Ids of the audits of no weight that Lighthouse itself could not compute."""


@dataclass(frozen=True)
class PageAudit:
    """One page under one preset: the median run's categories, or why there are none."""

    page: str
    preset: str
    categories: dict[str, CategoryResult] = field(default_factory=dict)
    error: str | None = None
    runtime_error_code: str | None = None
    runs: int = 0

    @property
    def short_error(self) -> str:
        """The error in a few words: Lighthouse's code and the page's status, when it has them."""
        if self.error is None:
            return ""
        if self.runtime_error_code is None:
            return self.error
        code = self.runtime_error_code
        status = _STATUS.search(self.error)
        return f"{code}, status {status.group(1)}" if status else code

    @property
    def label(self) -> str:
        """The page and preset, as the summary names them: `/weeks/2026-W49 mobile`."""
        return f"{self.page} {self.preset}"


@dataclass(frozen=True)
class LighthouseIndex:
    """What the probe audited, with which Lighthouse, and why it could not (when it could not)."""

    version: str | None
    runs_per_audit: int
    error: str | None
    audits: tuple[PageAudit, ...]
    full_runs: int = 0
    """The first runs that scored every category (the others: performance alone)."""


def parse_lighthouse(folder: Path) -> LighthouseIndex:
    """Return the index in `folder` with each audit's median report read."""
    path = folder / INDEX
    document = read_json(path)
    try:
        runs = int(document.get("runs_per_audit") or 0)
        return LighthouseIndex(
            version=document.get("lighthouse_version"),
            runs_per_audit=runs,
            error=document.get("error"),
            audits=tuple(_audit(folder, item) for item in document["audits"]),
            # An index without the key is from a probe that scored every category each run.
            full_runs=int(document.get("full_runs") or runs),
        )
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise shape_error(path, f"error and audits[page, preset, report] ({error})") from error


def _audit(folder: Path, item: dict[str, Any]) -> PageAudit:
    page, preset = str(item["page"]), str(item["preset"])
    runs = len(item.get("runs") or [])
    if not item.get("report"):
        error = item.get("error") or "no report written"
        return PageAudit(page, preset, error=str(error), runs=runs)
    paths = [folder / str(item["report"])]
    if item.get("full_report") and item["full_report"] != item["report"]:
        paths.insert(0, folder / str(item["full_report"]))
    reports = [(path, parse_report(path)) for path in paths]
    runtime: dict[str, Any] = next(
        (r["runtimeError"] for _, r in reports if r.get("runtimeError")), {}
    )
    categories: dict[str, CategoryResult] = {}
    if not runtime:
        for path, report in reports:  # the median run's last: its categories win
            categories.update(categories_of(report, path))
    error = item.get("error") or (f"{runtime['code']}: {runtime['message']}" if runtime else None)
    return PageAudit(page, preset, categories, error, runtime.get("code"), runs)


def parse_report(path: Path) -> dict[str, Any]:
    """Return a Lighthouse JSON report (LHR), checked to have its audits and categories."""
    report = read_json(path)
    if not isinstance(report, dict) or not isinstance(report.get("audits"), dict):
        raise shape_error(path, "a Lighthouse result with audits and categories")
    return report


def categories_of(report: dict[str, Any], path: Path) -> dict[str, CategoryResult]:
    """Return each category of a report: score out of 100, failing audits, errored ones."""
    audits = report["audits"]
    results = {}
    try:
        for category_id, category in (report.get("categories") or {}).items():
            failing, errored = [], []
            for ref in category["auditRefs"]:
                audit = audits[ref["id"]]
                mode, score = audit.get("scoreDisplayMode"), audit.get("score")
                if mode == "error":
                    if ref.get("weight", 0) > 0:
                        failing.append(f"{audit['title']} (Lighthouse error)")
                    else:
                        errored.append(str(ref["id"]))
                elif mode not in _UNSCORED and score is not None and score < PASS_SCORE:
                    failing.append(_failed_title(audit["title"], mode, score))
            score = category.get("score")
            results[str(category_id)] = CategoryResult(
                None if score is None else round(float(score) * 100),
                tuple(failing),
                tuple(errored),
            )
    except (KeyError, TypeError, ValueError) as error:
        raise ReportError(path, f"unexpected Lighthouse categories: {error!r}") from error
    return results


def _failed_title(title: str, mode: str, score: float) -> str:
    return title if mode == "binary" else f"{title} (score {round(score * 100)})"
