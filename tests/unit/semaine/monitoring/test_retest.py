"""Retests and deadlines: a failing check is tried again, a hung one cut, a broken one reported."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

import anyio

from semaine.environments import Monitoring
from semaine.monitoring.checks.base import Measured, Target
from semaine.monitoring.probe import Prober
from semaine.monitoring.retest import checked
from semaine.records.history import CheckResult

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable


@dataclass
class ScriptedCheck:
    """A check whose attempts return the scripted states in turn ("hang" never returns)."""

    script: list[str]
    timeout_seconds: float = 5.0
    name: str = "scripted"
    attempts: int = 0
    pauses: list[float] = field(default_factory=list)

    def skipped_because(self, _target: Target) -> str | None:
        return None

    async def measure(self, target: Target) -> Measured:
        state = self.script[min(self.attempts, len(self.script) - 1)]
        self.attempts += 1
        if state == "hang":
            await anyio.sleep_forever()
        if state == "crash":
            message = f"cannot use {target.database_url}"
            raise RuntimeError(message)
        return Measured(CheckResult.model_validate({"state": state, "seconds": 0.01}))

    async def sleep(self, seconds: float) -> None:
        self.pauses.append(seconds)


def run(
    check: ScriptedCheck, retests: int = 2, sleep: Callable[[float], Awaitable[None]] | None = None
) -> CheckResult:
    async def measure() -> CheckResult:
        async with Prober("http://127.0.0.1:9") as prober:
            target = Target(
                base_url="http://127.0.0.1:9",
                prober=prober,
                monitoring=Monitoring(),
                now=datetime(2026, 11, 30, tzinfo=UTC),
                today=date(2026, 11, 30),
                database_url="postgresql://monitor:hunter2@db.example/semaine",
            )
            measured = await checked(
                check, target, retests=retests, pause_seconds=5, sleep=sleep or check.sleep
            )
            return measured.result

    return anyio.run(measure)


def test_an_up_check_is_measured_once() -> None:
    check = ScriptedCheck(["up"])
    result = run(check)
    assert (result.state, result.attempts, check.pauses) == ("up", 1, [])


def test_a_failing_check_is_retested_and_a_recovery_counts() -> None:
    check = ScriptedCheck(["down", "degraded", "up"])
    result = run(check)
    assert (result.state, result.attempts) == ("up", 3)
    assert check.pauses == [5, 5]


def test_a_check_failing_every_try_counts_as_its_last_state() -> None:
    check = ScriptedCheck(["down", "down", "degraded"])
    result = run(check)
    assert (result.state, result.attempts) == ("degraded", 3)
    assert run(ScriptedCheck(["down"]), retests=0).attempts == 1


def test_a_hung_check_is_down_at_its_deadline() -> None:
    check = ScriptedCheck(["hang"], timeout_seconds=0.05)
    result = run(check, retests=1)
    assert result.state == "down"
    assert "no result within its 0.05 s timeout" in result.detail
    assert result.attempts == 2


def test_a_crashing_check_is_an_error_and_its_message_is_scrubbed() -> None:
    result = run(ScriptedCheck(["crash"]), retests=0)
    assert result.state == "error"
    assert result.detail.startswith("the check could not run: RuntimeError")
    assert "hunter2" not in result.detail
