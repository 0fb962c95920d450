"""What the dashboard refuses, with what to do: an input it cannot read, a page it cannot write.

Plain ValueErrors (not app.errors.ActionableError): the Dagger function renders the page
in the module runtime, which installs ci/ without the service.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path


class DashboardError(ValueError):
    """The page cannot be made; the message says what happened and what to do."""

    def __init__(self, what_happened: str, what_to_do: str) -> None:
        self.what_happened = what_happened
        self.what_to_do = what_to_do
        super().__init__(f"{what_happened}. {what_to_do}")


class HistoryNotFoundError(DashboardError):
    """The history folder, or an asked environment's file in it, does not exist."""

    def __init__(self, path: Path) -> None:
        super().__init__(
            f"no history at {path}",
            "pass --history the folder `semaine monitor --state DIR` writes, and --environment"
            " names that have a NAME.jsonl there",
        )


class NoHistoryError(DashboardError):
    """The history folder holds no environment's history."""

    def __init__(self, folder: Path) -> None:
        super().__init__(
            f"{folder} holds no history (no *.jsonl file)",
            "run `semaine monitor --state` with this folder first, or pass the right folder",
        )


class EmptyHistoryError(DashboardError):
    """An environment's history holds no readable run."""

    def __init__(self, path: Path, lines: int) -> None:
        super().__init__(
            f"{path} holds no readable monitor run ({lines} non-empty lines)",
            "point --history at the folder `semaine monitor --state` writes",
        )


class UnreadableInputError(DashboardError):
    """An input exists but cannot be read (permissions, encoding, a folder for a file)."""

    def __init__(self, path: Path, error: Exception) -> None:
        super().__init__(
            f"cannot read {path} ({type(error).__name__})",
            "check that it is a readable UTF-8 file (or folder) and its permissions",
        )


class InputNotFoundError(DashboardError):
    """An optional input was named but is not there."""

    def __init__(self, flag: str, path: Path) -> None:
        super().__init__(
            f"{flag} {path} does not exist", f"pass the right path or leave {flag} out"
        )


class NotASummaryError(DashboardError):
    """The pipeline summary is not the JSON `semaine pipeline` writes."""

    def __init__(self, path: Path) -> None:
        super().__init__(
            f"{path} is not a pipeline summary (JSON with verdict, exit_status and stages)",
            "pass the summary.json a `semaine pipeline` run wrote",
        )


class UnwritableOutputError(DashboardError):
    """The page cannot be written where asked."""

    def __init__(self, path: Path, error: OSError) -> None:
        super().__init__(
            f"cannot write {path} ({type(error).__name__}: {error.strerror or error})",
            "pass --output a folder you can write to",
        )


class NotATimeError(DashboardError):
    """The time to compute the page at is not an ISO 8601 time with its timezone."""

    def __init__(self, text: str, reason: str) -> None:
        super().__init__(
            f"{text!r} is not a time to compute the page at: {reason}",
            "give ISO 8601 with a timezone, e.g. 2026-11-30T14:00:00Z or +01:00",
        )
