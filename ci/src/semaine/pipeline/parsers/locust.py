"""locust's CSV statistics (`locust --csv PREFIX` writes PREFIX_stats.csv)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import TYPE_CHECKING

from semaine.pipeline.parsers.errors import ReportError, read_text, shape_error

if TYPE_CHECKING:
    from pathlib import Path

AGGREGATED = "Aggregated"


@dataclass(frozen=True)
class EndpointStats:
    """Request statistics of one endpoint (or of all, named `Aggregated`)."""

    method: str
    name: str
    requests: int
    failures: int
    p95_ms: float | None
    """None when locust had no sample to compute it from (it writes N/A)."""

    @property
    def error_rate_percent(self) -> float:
        """Failed requests as a percentage of all requests (0 when there were none)."""
        return 100.0 * self.failures / self.requests if self.requests else 0.0


@dataclass(frozen=True)
class LoadStats:
    """Every endpoint's statistics and the aggregated line."""

    endpoints: tuple[EndpointStats, ...]
    aggregated: EndpointStats


def parse_locust_stats(path: Path) -> LoadStats:
    """Return the statistics of locust's `*_stats.csv` at `path`."""
    rows = list(csv.DictReader(io.StringIO(read_text(path))))
    try:
        stats = [_endpoint(row) for row in rows]
    except (KeyError, ValueError) as error:
        raise shape_error(path, f"locust stats columns ({error})") from error
    aggregated = [item for item in stats if item.name == AGGREGATED]
    if not aggregated:
        raise ReportError(path, "no 'Aggregated' line: locust did not finish its run")
    endpoints = tuple(item for item in stats if item.name != AGGREGATED)
    return LoadStats(endpoints=endpoints, aggregated=aggregated[0])


def _endpoint(row: dict[str, str]) -> EndpointStats:
    p95 = row["95%"]
    return EndpointStats(
        method=row["Type"],
        name=row["Name"],
        requests=int(row["Request Count"]),
        failures=int(row["Failure Count"]),
        p95_ms=None if p95 in {"", "N/A"} else float(p95),
    )
