"""The order of a full rollback's steps, so the running code always supports the schema.

The running release (US1.6) supports 0002_us16_expand and 0003_us16_contract; an
earlier release is only assumed to support up to 0002 (expand/contract: the revision
both sides of a change run against). The data restore needs 0002. Hence:

- schema at 0003: schema down to 0002 first (the running code supports it), then the
  application (the earlier release meets 0002), then the data;
- schema at 0002 (or below): the application first, then the data.

Every step is idempotent, and the plan is made again from what is observed on each
run, so a full rollback stopped halfway finishes when it is run again.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from app.db.migrate import CONTRACT_REVISION, EXPAND_REVISION

StepKind = Literal["schema", "application", "data"]


@dataclass(frozen=True)
class PlannedStep:
    """One step of the plan and why it comes where it does."""

    kind: StepKind
    why: str


def plan_full(revision: str | None, application: str) -> list[PlannedStep]:
    """Return the steps of a full rollback from the schema `revision`; `application` says where."""
    if revision == CONTRACT_REVISION:
        return [
            PlannedStep(
                "schema",
                f"{CONTRACT_REVISION} -> {EXPAND_REVISION} first: the running release supports"
                f" {EXPAND_REVISION}, an earlier one may not support {CONTRACT_REVISION}",
            ),
            PlannedStep("application", application),
            PlannedStep("data", f"restore the migration run's backup (needs {EXPAND_REVISION})"),
        ]
    return [
        PlannedStep("application", application),
        PlannedStep(
            "data", f"restore the migration run's backup; schema at {revision or 'none'} stays"
        ),
    ]


def render_plan(environment: str, steps: list[PlannedStep]) -> str:
    """Return the plan as the lines printed before anything changes."""
    lines = [f"full rollback of {environment}, in this order:"]
    lines += [f"  {n}. {step.kind}: {step.why}" for n, step in enumerate(steps, start=1)]
    return "\n".join(lines)
