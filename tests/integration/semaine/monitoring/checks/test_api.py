"""The API check against the served app: every US1.6 read, its p95 and error rate."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from semaine.environments.monitoring import ApiPerformance
from semaine.executors.local.ports import free_port
from semaine.monitoring.checks.api import ApiCheck

if TYPE_CHECKING:
    from collections.abc import Callable

    from semaine.monitoring.checks.base import Measured
    from tests.fault_proxy import FaultProxy

pytestmark = pytest.mark.integration
GENEROUS = ApiPerformance(requests=16, p95_ms=60_000)


def test_every_read_answers_and_the_api_is_up(
    proxy: FaultProxy, measure: Callable[..., Measured]
) -> None:
    result = measure(ApiCheck(GENEROUS), proxy.url).result
    assert result.state == "up", result.detail
    assert result.figures["requests"] == 16
    assert result.figures["errors"] == 0
    assert 0 < result.figures["p95_ms"] <= result.figures["max_ms"]
    assert result.thresholds == {"p95_ms": 60_000, "error_rate_percent": 0.1}
    kinds = {path.split("/")[3] for path in proxy.paths}
    assert kinds == {"weeks", "dates", "months"}
    assert sum(path.endswith("/entries") for path in proxy.paths) == 4


def test_a_slow_endpoint_makes_the_api_degraded(
    proxy: FaultProxy, measure: Callable[..., Measured]
) -> None:
    proxy.slow("/api/v1/months/", 0.15)
    limits = ApiPerformance(requests=8, p95_ms=100)
    result = measure(ApiCheck(limits), proxy.url).result
    assert result.state == "degraded"
    assert result.figures["p95_ms"] >= 150
    assert "p95 over 100 ms" in result.detail


def test_errors_over_the_rate_make_the_api_down(
    proxy: FaultProxy, measure: Callable[..., Measured]
) -> None:
    proxy.fail("/api/v1/weeks/current", 500)
    result = measure(ApiCheck(GENEROUS), proxy.url).result
    assert result.state == "down"
    assert result.figures["errors"] == 4
    assert result.figures["error_rate_percent"] == 25
    assert "e.g. GET /api/v1/weeks/current answered 500" in result.detail


def test_a_hung_series_is_cut_at_the_check_timeout(
    proxy: FaultProxy, measure: Callable[..., Measured]
) -> None:
    proxy.hang("/api/")
    limits = ApiPerformance(requests=8, request_timeout_seconds=5, timeout_seconds=0.5)
    result = measure(ApiCheck(limits), proxy.url).result
    assert result.state == "down"
    assert result.detail == "no result within its 0.5 s timeout"


def test_a_series_nobody_answered_reports_no_latency(measure: Callable[..., Measured]) -> None:
    limits = ApiPerformance(requests=4, request_timeout_seconds=2)
    result = measure(ApiCheck(limits), f"http://127.0.0.1:{free_port()}").result
    assert result.state == "down"
    assert "p95_ms" not in result.figures  # no answer has no latency: never a 0 ms p95
    assert result.detail.startswith("4 requests: none answered, 4 errors (100 %)")
