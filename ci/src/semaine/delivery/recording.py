"""Write every delivery's record (JSON and text) and announce it; an announcement never fails it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from semaine.records import DeploymentRecord, write_deployment_record

if TYPE_CHECKING:
    from semaine.delivery.context import DeliveryContext


def publish(record: DeploymentRecord, context: DeliveryContext) -> DeploymentRecord:
    """Write `record` under the reports folder, post it to Slack if asked; return it."""
    try:
        path = write_deployment_record(context.reports, record)
    except OSError as error:
        context.say(f"the record could not be written under {context.reports}: {error.strerror}")
    else:
        context.say(f"record written to {path}")
    if context.slack_webhook:
        announce(record, context)
    return record


def announce(record: DeploymentRecord, context: DeliveryContext) -> None:  # noqa: ARG001 - wired with semaine.integrations.slack
    """Post the record to Slack; a failure is said, never raised."""
    context.say("Slack: not posted (semaine.integrations.slack is not on this branch yet)")
