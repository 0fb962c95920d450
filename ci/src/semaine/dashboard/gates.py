"""The latest pipeline run's gates, read from the summary.json that `semaine pipeline` writes.

Only the fields the page shows are read (semaine.pipeline.report writes more); a
summary without them is refused, as any other input the page cannot show.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from semaine.pipeline.gates import Comparison, figure, requirement_text


class _Read(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class GateRow(_Read):
    """One gate of a stage: its outcome, what was measured, against what."""

    gate: str
    outcome: str
    measured: float | None = None
    threshold: float | None = None
    comparison: Comparison | None = None
    unit: str | None = None
    detail: str = ""

    @property
    def measurement(self) -> str:
        """Return the measured value as the gate table shows it, or "" when none was."""
        return (
            "" if self.measured is None else f"{figure(self.measured)} {self.unit or ''}".rstrip()
        )

    @property
    def requirement(self) -> str:
        """Return the threshold as the gate table shows it (`< 500 ms`), or ""."""
        if self.threshold is None or self.comparison is None:
            return ""
        return requirement_text(self.comparison, self.threshold, self.unit or "")


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
