"""locust's final statistics (`locust --json-file PREFIX` writes PREFIX.json when it stops).

Not `--csv`: locust rewrites PREFIX_stats.csv once a second while it runs and not after
its last requests, so that file misses the end of the run.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from semaine.pipeline.parsers.errors import read_json, shape_error

if TYPE_CHECKING:
    from collections.abc import Iterable
    from pathlib import Path

AGGREGATED = "Aggregated"
P95 = 0.95


@dataclass(frozen=True)
class EndpointStats:
    """Request statistics of one endpoint (or of all, named `Aggregated`)."""

    method: str
    name: str
    requests: int
    failures: int
    p95_ms: float | None
    """None when locust had no sample to compute it from."""

    @property
    def error_rate_percent(self) -> float:
        """Failed requests as a percentage of all requests (0 when there were none)."""
        return 100.0 * self.failures / self.requests if self.requests else 0.0


@dataclass(frozen=True)
class LoadStats:
    """Every endpoint's statistics and the aggregated line."""

    endpoints: tuple[EndpointStats, ...]
    aggregated: EndpointStats


def parse_locust_json(path: Path) -> LoadStats:
    """Return the statistics of locust's `--json-file` report at `path`, all endpoints summed."""
    document = read_json(path)
    if not isinstance(document, list):
        raise shape_error(path, "a JSON list of locust's statistics entries")
    try:
        entries = [_entry(item) for item in document]
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        expected = f"locust entries with num_requests, response_times ({error})"
        raise shape_error(path, expected) from error
    merged: Counter[float] = Counter()
    for _, times in entries:
        merged.update(times)
    endpoints = tuple(stats for stats, _ in entries)
    requests = sum(stats.requests for stats in endpoints)
    aggregated = EndpointStats(
        method="",
        name=AGGREGATED,
        requests=requests,
        failures=sum(stats.failures for stats in endpoints),
        p95_ms=percentile(merged, requests, P95),
    )
    return LoadStats(endpoints=endpoints, aggregated=aggregated)


def percentile(times: Counter[float], requests: int, fraction: float) -> float | None:
    """Return the response time `fraction` of the requests finished within, as locust does.

    `times` counts the requests per (rounded) response time; None without a request.
    """
    if not requests:
        return None
    within = int(requests * fraction)
    counted = 0
    for time_ms in sorted(times, reverse=True):
        counted += times[time_ms]
        if requests - counted <= within:
            return time_ms
    return 0.0


def _entry(item: dict[str, Any]) -> tuple[EndpointStats, Counter[float]]:
    times = Counter(_histogram(item["response_times"].items()))
    requests = int(item["num_requests"])
    stats = EndpointStats(
        method=str(item["method"]),
        name=str(item["name"]),
        requests=requests,
        failures=int(item["num_failures"]),
        p95_ms=percentile(times, requests, P95),
    )
    return stats, times


def _histogram(pairs: Iterable[tuple[str, Any]]) -> dict[float, int]:
    # JSON object keys are strings: locust's are response times rounded to whole ms.
    return {float(time_ms): int(count) for time_ms, count in pairs}
