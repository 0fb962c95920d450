"""Endpoint checks against the served app: up, slow, wrong status, wrong body, hung."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from semaine.environments import CheckConditions
from semaine.monitoring.checks.endpoint import EndpointCheck

if TYPE_CHECKING:
    from collections.abc import Callable

    from semaine.monitoring.checks.base import Measured
    from tests.fault_proxy import FaultProxy

pytestmark = pytest.mark.integration
Measure = "Callable[..., Measured]"
GENEROUS_MS = 60_000.0
"""A limit no local answer reaches: the outcome does not depend on the machine's speed."""


def test_healthz_and_readyz_are_up_and_say_what_runs(
    served: str, measure: Callable[..., Measured]
) -> None:
    health = measure(
        EndpointCheck("healthz", CheckConditions(path="/healthz", degraded_after_ms=GENEROUS_MS)),
        served,
    )
    ready = measure(
        EndpointCheck("readyz", CheckConditions(path="/readyz", degraded_after_ms=GENEROUS_MS)),
        served,
    )
    assert (health.result.state, ready.result.state) == ("up", "up")
    assert health.result.figures["status"] == 200
    assert health.result.figures["response_ms"] > 0
    assert health.result.thresholds == {"response_ms": GENEROUS_MS}
    assert "release" in health.facts
    assert ready.facts["schema_revision"] == "0003_us16_contract"


def test_a_slow_answer_is_degraded(proxy: FaultProxy, measure: Callable[..., Measured]) -> None:
    proxy.slow("/healthz", 0.3)
    conditions = CheckConditions(path="/healthz", degraded_after_ms=100)
    result = measure(EndpointCheck("healthz", conditions), proxy.url).result
    assert result.state == "degraded"
    assert result.figures["response_ms"] >= 300
    assert "over 100 ms" in result.detail


def test_an_unexpected_status_is_down_with_the_problem_detail(
    proxy: FaultProxy, measure: Callable[..., Measured]
) -> None:
    proxy.fail("/readyz", 503)
    result = measure(EndpointCheck("readyz", CheckConditions(path="/readyz")), proxy.url).result
    assert result.state == "down"
    assert result.detail == "GET /readyz answered 503, expected 200 (injected fault)"


def test_a_missing_body_text_is_down(served: str, measure: Callable[..., Measured]) -> None:
    conditions = CheckConditions(
        path="/healthz", body_contains=["no such text"], degraded_after_ms=GENEROUS_MS
    )
    result = measure(EndpointCheck("healthz", conditions), served).result
    assert result.state == "down"
    assert "the body lacks 'no such text'" in result.detail


def test_a_hung_endpoint_is_down_at_its_timeout_and_retested(
    proxy: FaultProxy, measure: Callable[..., Measured]
) -> None:
    proxy.hang("/healthz")
    conditions = CheckConditions(path="/healthz", timeout_seconds=0.3)
    result = measure(EndpointCheck("healthz", conditions), proxy.url, retests=1).result
    assert result.state == "down"
    assert "no answer within 0.3 s" in result.detail
    assert result.attempts == 2


def test_a_refused_connection_is_down(measure: Callable[..., Measured]) -> None:
    from semaine.executors.local.ports import free_port  # noqa: PLC0415

    url = f"http://127.0.0.1:{free_port()}"
    result = measure(EndpointCheck("healthz", CheckConditions(path="/healthz")), url).result
    assert result.state == "down"
    assert "ConnectError" in result.detail
    assert result.figures == {}, "no answer, no response time"
