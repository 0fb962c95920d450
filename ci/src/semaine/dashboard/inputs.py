"""What the page is made of, read from disk: histories, delivery records, a pipeline summary.

Anything the caller named that cannot be read is refused with what to do (errors.py);
a torn line or a foreign file inside a readable history or folder is skipped and
counted, so the page says how much it could not read.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from pydantic import ValidationError

from semaine.dashboard.errors import (
    EmptyHistoryError,
    HistoryNotFoundError,
    InputNotFoundError,
    NoHistoryError,
    NotASummaryError,
    NotATimeError,
    UnreadableInputError,
)
from semaine.dashboard.gates import PipelineSummary
from semaine.records import read_deployment_records, read_monitor_runs
from semaine.records.history import history_file

if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path

    from semaine.records import DeploymentRecord, MonitorRun

HISTORY_SUFFIX = ".jsonl"
DEPLOYMENTS_FLAG = "--deployments"
SUMMARY_FLAG = "--pipeline-summary"


@dataclass(frozen=True)
class History:
    """One environment's runs, oldest first, and how many lines could not be read."""

    environment: str
    runs: list[MonitorRun]
    unreadable_lines: int = 0


@dataclass(frozen=True)
class Inputs:
    """Everything the page shows, as read."""

    histories: list[History]
    deployments: list[DeploymentRecord] | None = None
    """None when no deployments folder was given."""
    unreadable_records: int = 0
    pipeline: PipelineSummary | None = None


def load_inputs(
    history: Path,
    environments: Sequence[str] = (),
    deployments: Path | None = None,
    pipeline_summary: Path | None = None,
) -> Inputs:
    """Read the named inputs; raise a DashboardError for one that cannot be read."""
    if not history.is_dir():
        raise HistoryNotFoundError(history)
    histories = [load_history(history, name) for name in environments or _environments(history)]
    records, unreadable = load_deployments(deployments) if deployments else (None, 0)
    wanted = {h.environment for h in histories}
    return Inputs(
        histories=histories,
        deployments=None if records is None else [r for r in records if r.environment in wanted],
        unreadable_records=unreadable,
        pipeline=load_pipeline_summary(pipeline_summary) if pipeline_summary else None,
    )


def _environments(history: Path) -> list[str]:
    names = sorted(path.stem for path in history.glob(f"*{HISTORY_SUFFIX}") if path.is_file())
    if not names:
        raise NoHistoryError(history)
    return names


def load_history(history: Path, environment: str) -> History:
    """Read one environment's runs; refuse a missing, unreadable or empty history."""
    path = history_file(history, environment)
    try:
        lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    except FileNotFoundError:
        raise HistoryNotFoundError(path) from None
    except (OSError, UnicodeDecodeError) as error:
        raise UnreadableInputError(path, error) from None
    runs = [
        run for run in read_monitor_runs(history, environment) if run.environment == environment
    ]
    if not runs:
        raise EmptyHistoryError(path, len(lines))
    return History(environment, runs, len(lines) - len(runs))


def load_deployments(folder: Path) -> tuple[list[DeploymentRecord], int]:
    """Read every delivery record under `folder`; return them and how many files were skipped."""
    if not folder.exists():
        raise InputNotFoundError(DEPLOYMENTS_FLAG, folder)
    if not folder.is_dir():
        raise UnreadableInputError(folder, NotADirectoryError())
    try:
        files = sum(1 for path in folder.rglob("*.json") if path.is_file())
        records = read_deployment_records(folder)
    except OSError as error:
        raise UnreadableInputError(folder, error) from None
    return records, files - len(records)


def load_pipeline_summary(path: Path) -> PipelineSummary:
    """Read a pipeline run's summary.json; refuse one that is missing or not a summary."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputNotFoundError(SUMMARY_FLAG, path) from None
    except (OSError, UnicodeDecodeError) as error:
        raise UnreadableInputError(path, error) from None
    try:
        return PipelineSummary.model_validate(json.loads(text))
    except (ValueError, ValidationError):
        raise NotASummaryError(path) from None


def parse_now(text: str) -> datetime:
    """Parse the time to compute the page at: ISO 8601 naming its timezone."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise NotATimeError(text, "not ISO 8601") from None
    if moment.tzinfo is None:
        raise NotATimeError(text, "no timezone")
    return moment
