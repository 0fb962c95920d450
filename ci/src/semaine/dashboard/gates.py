"""The latest pipeline run's gates, read from the summary.json that `semaine pipeline` writes.

Only the fields the page shows are read (semaine.pipeline.report writes more); a
summary without them is refused, as any other input the page cannot show.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict


class _Read(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class GateRow(_Read):
    """One gate of a stage: its outcome, what was measured, against what."""

    gate: str
    outcome: str
    measured: Any = None
    threshold: Any = None
    comparison: str | None = None
    unit: str | None = None
    detail: str = ""

    @property
    def measurement(self) -> str:
        """Return the measured value with its unit, or "" when nothing was measured."""
        return "" if self.measured is None else f"{self.measured}{_unit(self.unit)}"

    @property
    def requirement(self) -> str:
        """Return the threshold as a condition (`< 500 ms`), or "" when there is none."""
        if self.threshold is None:
            return ""
        return f"{self.comparison or ''} {self.threshold}{_unit(self.unit)}".strip()


def _unit(unit: str | None) -> str:
    if not unit:
        return ""
    return unit if unit == "%" else f" {unit}"


class StageRow(_Read):
    """One stage of the run and its gates."""

    name: str
    verdict: str
    duration_s: float = 0.0
    reason: str = ""
    gates: list[GateRow] = []


class PipelineSummary(_Read):
    """The run's verdict and its stages."""

    verdict: str
    exit_status: int
    executor: str = ""
    quick: bool = False
    accepted_inconclusive: str | None = None
    stages: list[StageRow]
