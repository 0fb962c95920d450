"""Endpoint checks (health: /healthz, /readyz): status, response time and body, Gatus-style.

A JSON body that says what runs (`release`, `version`, `schema.current`, as the service's
probes answer) gives the run its release and schema revision.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from semaine.monitoring.checks.base import Measured
from semaine.records.history import CheckResult, CheckState

GRACE_SECONDS = 1.0

if TYPE_CHECKING:
    from semaine.environments import CheckConditions
    from semaine.monitoring.checks.base import Target
    from semaine.monitoring.probe import Answer


@dataclass(frozen=True)
class EndpointCheck:
    """GET one path; down on no answer, an unexpected status or body; degraded when slow."""

    name: str
    conditions: CheckConditions

    @property
    def timeout_seconds(self) -> float:
        """The request's timeout and a second's grace: the request says first what hung."""
        return self.conditions.timeout_seconds + GRACE_SECONDS

    def skipped_because(self, _target: Target) -> str | None:
        """Return None: an endpoint check always applies."""
        return None

    async def measure(self, target: Target) -> Measured:
        """Request the path once and judge the answer against the conditions."""
        answer = await target.prober.get(self.conditions.path, self.conditions.timeout_seconds)
        state, detail = judge(answer, self.conditions)
        figures: dict[str, float] = {}
        if answer.status is not None:  # an unanswered request has no response time
            figures = {"response_ms": round(answer.milliseconds, 1), "status": answer.status}
        result = CheckResult(
            state=state,
            seconds=answer.milliseconds / 1000,
            detail=detail,
            figures=figures,
            thresholds={"response_ms": self.conditions.degraded_after_ms},
        )
        return Measured(result, facts_in(answer.body))


def judge(answer: Answer, conditions: CheckConditions) -> tuple[CheckState, str]:
    """Return the state of one answer against the conditions, and why."""
    where = f"GET {answer.path}"
    if answer.status is None:
        return "down", f"{where}: {answer.failure}"
    if answer.status not in conditions.status:
        expected = ", ".join(str(status) for status in conditions.status)
        return "down", f"{where} answered {answer.status}, expected {expected}{_excerpt(answer)}"
    missing = [text for text in conditions.body_contains if text not in answer.body]
    if missing:
        return "down", f"{where}: the body lacks {', '.join(repr(text) for text in missing)}"
    took = f"{answer.milliseconds:.0f} ms"
    if answer.milliseconds > conditions.degraded_after_ms:
        return "degraded", f"{where} took {took}, over {conditions.degraded_after_ms:g} ms"
    return "up", f"{where} answered {answer.status} in {took}"


def facts_in(body: str) -> dict[str, str]:
    """Return the release and schema revision a probe's JSON body states, if any."""
    try:
        document: Any = json.loads(body)
    except ValueError:
        return {}
    if not isinstance(document, dict):
        return {}
    facts = {}
    release = document.get("release") or document.get("version")
    if isinstance(release, str) and release:
        facts["release"] = release
    schema = document.get("schema")
    if isinstance(schema, dict) and isinstance(schema.get("current"), str):
        facts["schema_revision"] = schema["current"]
    return facts


def _excerpt(answer: Answer) -> str:
    try:
        document: Any = json.loads(answer.body)
    except ValueError:
        return ""
    detail = document.get("detail") if isinstance(document, dict) else None
    return f" ({' '.join(detail.split())[:200]})" if isinstance(detail, str) and detail else ""
