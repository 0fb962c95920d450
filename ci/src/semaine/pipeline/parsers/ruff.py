"""ruff's JSON output (`ruff check` and `ruff format --check --output-format json`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from semaine.pipeline.parsers.errors import read_json, shape_error

if TYPE_CHECKING:
    from pathlib import Path


@dataclass(frozen=True)
class Finding:
    """One ruff diagnostic."""

    code: str
    filename: str
    row: int
    message: str

    def __str__(self) -> str:
        return f"{self.filename}:{self.row} {self.code} {self.message}"


def parse_ruff_json(path: Path) -> tuple[Finding, ...]:
    """Return the findings of ruff's JSON report at `path`."""
    document = read_json(path)
    if not isinstance(document, list):
        raise shape_error(path, "a JSON list of diagnostics")
    try:
        return tuple(
            Finding(
                code=str(item["code"]),
                filename=str(item["filename"]),
                row=int(item["location"]["row"]),
                message=str(item["message"]),
            )
            for item in document
        )
    except (KeyError, TypeError) as error:
        raise shape_error(
            path, f"diagnostics with code, filename, location, message ({error})"
        ) from error
