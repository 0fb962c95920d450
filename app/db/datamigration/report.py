"""The final report of a verb: JSON for machines, text for people; never a secret."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from app.exit_status import ExitStatus

if TYPE_CHECKING:
    from collections.abc import Mapping
    from pathlib import Path

FAILED = "failed"
_FAILING = frozenset({FAILED})

Scalar = str | int | float | bool | None
# Flags of events: news when they happened, noise when they did not.
_SHOWN_ONLY_WHEN_TRUE = frozenset({"resumed", "rolled_back_automatically"})


@dataclass(frozen=True)
class Report:
    """What a migrate, dry run or rollback did, with its figures.

    `program` is the command line that ran it (`semaine`, `python -m app data`).
    """

    program: str
    verb: str
    status: str
    environment: str
    database: str
    run_id: str | None = None
    figures: Mapping[str, Scalar] = field(default_factory=dict)
    phases: Mapping[str, float] = field(default_factory=dict)
    problems: tuple[str, ...] = ()
    summary: str = ""
    next_step: str = ""
    sample: tuple[Mapping[str, Scalar], ...] = ()

    @property
    def exit_code(self) -> int:
        """DONE when the verb did what was asked (or had nothing to do), FAILED when it failed."""
        return ExitStatus.FAILED if self.status in _FAILING else ExitStatus.DONE

    def to_json(self) -> dict[str, object]:
        """Return the machine-readable form."""
        return {
            "verb": self.verb,
            "status": self.status,
            "environment": self.environment,
            "database": self.database,
            "run_id": self.run_id,
            "figures": dict(self.figures),
            "phases_seconds": {k: round(v, 4) for k, v in self.phases.items()},
            "problems": list(self.problems),
            "summary": self.summary,
            "next_step": self.next_step,
            "sample": [dict(s) for s in self.sample],
        }

    def to_text(self) -> str:
        """Return the human-readable form."""
        # The first line is the status code scripts look for; the rest is for people.
        lines = [f"{self.program} {self.verb}: {self.status.upper()}"]
        if self.summary:
            lines.append(f"  {self.summary}")
        lines.append(f"  environment {self.environment}, database {self.database}")
        if self.run_id:
            lines.append(f"  run {self.run_id}")
        lines.extend(
            f"  {name.replace('_', ' ')}: {_shown(value)}"
            for name, value in self.figures.items()
            if value is not False or name not in _SHOWN_ONLY_WHEN_TRUE
        )
        if self.phases:
            timed = ", ".join(f"{name} {seconds:.2f} s" for name, seconds in self.phases.items())
            lines.append(f"  phases: {timed}")
        lines.extend(f"  problem: {problem}" for problem in self.problems)
        if self.sample:
            lines.append("  sample (before -> after):")
            lines.extend(f"    {_sample_line(s)}" for s in self.sample)
        if self.next_step:
            lines.append(f"  next: {self.next_step}")
        return "\n".join(lines) + "\n"

    def write(self, directory: Path) -> tuple[Path, Path]:
        """Write `<verb>-<run or time>.json` and `.txt` into `directory`; return both paths.

        A report is a record: a later invocation about the same run (a re-run that finds
        nothing to do, a second rollback) writes `<stem>-2`, `<stem>-3`..., never over it.
        """
        directory.mkdir(parents=True, exist_ok=True)
        base = f"{self.verb}-{self.run_id or dt.datetime.now(dt.UTC).strftime('%Y%m%dt%H%M%Sz')}"
        document = json.dumps(self.to_json(), indent=2, default=str) + "\n"
        stem, number = base, 1
        while True:
            paths = (directory / f"{stem}.json", directory / f"{stem}.txt")
            if _create(paths[0], document) and _create(paths[1], self.to_text(), paths[0]):
                return paths
            number += 1
            stem = f"{base}-{number}"


def _create(path: Path, text: str, claimed: Path | None = None) -> bool:
    """Create `path` with `text` unless it exists (then give `claimed` back); say if done."""
    try:
        # Mode "x" creates or fails in one system call: two writers never share a name.
        with path.open("x", encoding="utf-8") as handle:
            handle.write(text)
    except FileExistsError:
        if claimed is not None:
            claimed.unlink()
        return False
    return True


def _shown(value: Scalar) -> str:
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:,.3f}"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return str(value)


def _sample_line(sample: Mapping[str, Scalar]) -> str:
    before = _week(sample["iso_year_before"], sample["iso_week_before"])
    after = _week(sample["iso_year_after"], sample["iso_week_after"])
    return (
        f"id {sample['id']} {sample['entry_date']}: week_start {sample['week_start_before']}"
        f" -> {sample['week_start_after']}, ISO week {before} -> {after}"
    )


def _week(iso_year: Scalar, iso_week: Scalar) -> str:
    """Write an ISO year and week as ISO 8601 does (2026-W01); a legacy row has none."""
    if isinstance(iso_year, int) and isinstance(iso_week, int):
        return f"{iso_year:04d}-W{iso_week:02d}"
    return "none"
