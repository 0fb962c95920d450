"""The record every deploy, promotion and rollback writes: who, when, what, each step, outcome."""

from __future__ import annotations

import json
from datetime import datetime  # noqa: TC003  # pydantic reads the annotation at runtime
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

DeliveryKind = Literal["deploy", "promote", "rollback"]
Outcome = Literal["succeeded", "failed", "rolled-back", "refused"]
if TYPE_CHECKING:
    from pathlib import Path

RECORDS_FOLDER = "deployments"


class StepTiming(BaseModel):
    """One step of a delivery and the seconds it took."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    seconds: Annotated[float, Field(ge=0)]
    outcome: Literal["succeeded", "failed", "skipped"] = "succeeded"


class DeploymentRecord(BaseModel):
    """A deploy, promotion or rollback, as written to `<reports>/deployments/<id>.json`."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: DeliveryKind
    environment: str
    actor: str
    started_at: datetime
    finished_at: datetime
    from_release: str | None = None
    to_release: str | None = None
    digest: str | None = None
    reason: str | None = None
    rollback_type: Literal["application", "database", "full"] | None = None
    steps: list[StepTiming] = []
    outcome: Outcome
    detail: str = ""

    @property
    def seconds(self) -> float:
        """Wall time from start to finish."""
        return (self.finished_at - self.started_at).total_seconds()

    @property
    def record_id(self) -> str:
        """A file-safe, sortable id: start time, kind, environment."""
        stamp = self.started_at.strftime("%Y%m%dT%H%M%S%fZ")
        return f"{stamp}-{self.kind}-{self.environment}"

    def as_text(self) -> str:
        """Render the record as lines a person reads in a CI log."""
        lines = [
            f"{self.kind} {self.environment}: {self.outcome} in {self.seconds:.1f} s",
            f"  by {self.actor}, {self.started_at.isoformat()}",
            f"  from {self.from_release or '-'} to {self.to_release or '-'}",
        ]
        if self.digest:
            lines.append(f"  image {self.digest}")
        if self.reason:
            lines.append(f"  reason: {self.reason}")
        lines.extend(f"  {step.name}: {step.outcome}, {step.seconds:.1f} s" for step in self.steps)
        if self.detail:
            lines.append(f"  {self.detail}")
        return "\n".join(lines) + "\n"


def write_deployment_record(reports: Path, record: DeploymentRecord) -> Path:
    """Write `record` as JSON and text under `reports/deployments/`; return the JSON path."""
    folder = reports / RECORDS_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{record.record_id}.json"
    path.write_text(record.model_dump_json(indent=2) + "\n", encoding="utf-8")
    path.with_suffix(".txt").write_text(record.as_text(), encoding="utf-8")
    return path


def read_deployment_records(folder: Path) -> list[DeploymentRecord]:
    """Read every record under `folder` (recursively), oldest first; skip unreadable files."""
    records = []
    for path in sorted(folder.rglob("*.json")):
        try:
            records.append(DeploymentRecord.model_validate(json.loads(path.read_text("utf-8"))))
        except (ValueError, ValidationError):
            continue
    return sorted(records, key=lambda record: record.started_at)
