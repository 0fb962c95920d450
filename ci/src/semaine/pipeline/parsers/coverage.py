"""coverage.py's JSON report (`--cov-report=json:PATH` / `coverage json`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from semaine.pipeline.parsers.errors import read_json, shape_error

if TYPE_CHECKING:
    from pathlib import Path


@dataclass(frozen=True)
class CoverageReport:
    """Overall and per-file coverage, in percent (branches included when measured)."""

    total_percent: float
    files_percent: dict[str, float]


def parse_coverage_json(path: Path) -> CoverageReport:
    """Return the coverage percentages of coverage.py's JSON report at `path`."""
    document = read_json(path)
    try:
        total = float(document["totals"]["percent_covered"])
        files = {
            name.replace("\\", "/"): float(entry["summary"]["percent_covered"])
            for name, entry in document["files"].items()
        }
    except (KeyError, TypeError, ValueError) as error:
        raise shape_error(path, f"'totals' and 'files' with percent_covered ({error})") from error
    return CoverageReport(total_percent=total, files_percent=files)
