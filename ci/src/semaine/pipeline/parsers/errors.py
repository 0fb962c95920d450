"""The one error every report parser raises."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pathlib import Path


class ReportError(Exception):
    """A report file is missing or cannot be read; `path` and `reason` say which and why."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


def read_text(path: Path) -> str:
    """Return the text of the report at `path`, or raise ReportError."""
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError as error:
        raise ReportError(path, "report not written (the tool did not run or crashed)") from error
    except (OSError, UnicodeDecodeError) as error:
        raise ReportError(path, f"report unreadable: {error}") from error


def read_optional_text(path: Path) -> str:
    """Return the text of a log that may be missing or damaged: empty when it cannot be read."""
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def read_json(path: Path) -> Any:  # noqa: ANN401 - JSON is Any until each parser checks its shape
    """Return the decoded JSON report at `path`, or raise ReportError."""
    try:
        return json.loads(read_text(path))
    except json.JSONDecodeError as error:
        raise ReportError(path, f"not valid JSON: {error}") from error


def shape_error(path: Path, expected: str) -> ReportError:
    """Return the error for a report whose structure is not the tool's."""
    return ReportError(path, f"unexpected structure: expected {expected}")
