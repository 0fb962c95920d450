"""The monitor's history: a JSON line per run, appended, read by the next run and the dashboard."""

from __future__ import annotations

import json
import os
from datetime import datetime  # noqa: TC003  # pydantic reads the annotation at runtime
from typing import TYPE_CHECKING, Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

if TYPE_CHECKING:
    from pathlib import Path

CheckState = Literal["up", "degraded", "down", "error"]


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CheckResult(_Record):
    """One check's outcome in one run: its state, how long it took, its figures against limits."""

    state: CheckState
    seconds: Annotated[float, Field(ge=0)]
    detail: str = ""
    figures: dict[str, float] = {}
    thresholds: dict[str, float] = {}
    attempts: Annotated[int, Field(ge=1)] = 1


class IncidentEvent(_Record):
    """An incident opened, worsened or resolved during a run."""

    check: str
    event: Literal["opened", "worsened", "resolved"]
    state: CheckState
    opened_at: datetime
    resolved_at: datetime | None = None
    issue_url: str | None = None
    alerted: bool = False


class MonitorRun(_Record):
    """One monitor run against one environment."""

    environment: str
    started_at: datetime
    seconds: Annotated[float, Field(ge=0)]
    release: str | None = None
    schema_revision: str | None = None
    state: CheckState
    checks: dict[str, CheckResult]
    incidents: list[IncidentEvent] = []
    in_maintenance: bool = False
    problems: list[str] = []
    skipped: dict[str, str] = {}
    """Checks that did not apply to this run, with why (an http:// URL has no certificate)."""


def history_file(folder: Path, environment: str) -> Path:
    """Return the JSON-lines file that holds `environment`'s runs under `folder`."""
    return folder / f"{environment}.jsonl"


def append_monitor_run(folder: Path, run: MonitorRun) -> Path:
    """Append `run` as one line to its environment's history, flushed to disk; return the file."""
    folder.mkdir(parents=True, exist_ok=True)
    path = history_file(folder, run.environment)
    with path.open("a+b") as stream:
        # A run killed mid-line left no newline: end that line, or this run joins it.
        size = stream.seek(0, os.SEEK_END)
        if size:
            stream.seek(size - 1)
            if stream.read(1) != b"\n":
                stream.write(b"\n")
        stream.write(run.model_dump_json().encode("utf-8") + b"\n")
        stream.flush()
        os.fsync(stream.fileno())
    return path


def read_monitor_runs(folder: Path, environment: str) -> list[MonitorRun]:
    """Read `environment`'s runs, oldest first; a torn or foreign line is skipped, not fatal."""
    path = history_file(folder, environment)
    if not path.is_file():
        return []
    runs = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            runs.append(MonitorRun.model_validate(json.loads(line)))
        except (ValueError, ValidationError):
            continue
    return sorted(runs, key=lambda run: run.started_at)
