"""Run a check under its deadline; re-check a failing one before it counts (Upptime's retest)."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

import anyio

from app.redaction import scrub
from semaine.monitoring.checks.base import Measured
from semaine.records.history import CheckResult

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

    from semaine.monitoring.checks.base import Check, Target


async def checked(
    check: Check,
    target: Target,
    *,
    retests: int,
    pause_seconds: float,
    sleep: Callable[[float], Awaitable[None]] = anyio.sleep,
) -> Measured:
    """Measure `check`; while it is not up, measure again, up to `retests` more times."""
    attempts = retests + 1
    for attempt in range(1, attempts + 1):
        measured = await attempt_once(check, target)
        if measured.result.state == "up" or attempt == attempts:
            result = measured.result.model_copy(update={"attempts": attempt})
            return Measured(result, measured.facts)
        await sleep(pause_seconds)
    raise AssertionError  # pragma: no cover - the loop returns on its last attempt


async def attempt_once(check: Check, target: Target) -> Measured:
    """Measure once; a measurement past the check's deadline is down, a crash is an error."""
    began = time.perf_counter()
    with anyio.move_on_after(check.timeout_seconds):
        try:
            return await check.measure(target)
        except Exception as error:  # noqa: BLE001 - a broken check must not stop the others
            said = f"the check could not run: {type(error).__name__}: {error}"
            detail = scrub(said, target.database_url or "")
            return _result("error", began, " ".join(detail.split()))
    return _result("down", began, f"no result within its {check.timeout_seconds:g} s timeout")


def _result(state: str, began: float, detail: str) -> Measured:
    seconds = time.perf_counter() - began
    return Measured(
        CheckResult.model_validate({"state": state, "seconds": seconds, "detail": detail})
    )
