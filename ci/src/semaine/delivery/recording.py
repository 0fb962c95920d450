"""Write every delivery's record (JSON and text); post it to Slack (a failure never fails it)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from semaine.integrations.slack import context as slack_context
from semaine.integrations.slack import escape, fields, header, post_to_slack, section
from semaine.records import DeploymentRecord, write_deployment_record

if TYPE_CHECKING:
    from semaine.delivery.context import DeliveryContext
    from semaine.integrations.slack.blocks import Block


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


def announce(record: DeploymentRecord, context: DeliveryContext) -> None:
    """Post the record to Slack; a failure is said, never raised."""
    assert context.slack_webhook is not None  # noqa: S101 - publish checks it
    delivery = post_to_slack(context.slack_webhook, _headline(record), slack_blocks(record))
    if delivery.delivered:
        context.say("Slack: record posted")
    else:
        context.say(f"Slack: the record was not posted ({delivery.detail}); the delivery stands")


def slack_blocks(record: DeploymentRecord) -> list[Block]:
    """Return the record as Block Kit: a header, who/what/where fields, the steps, the detail."""
    pairs = [
        ("Environment", record.environment),
        ("Actor", record.actor),
        ("From", record.from_release or "-"),
        ("To", record.to_release or "-"),
        ("Seconds", f"{record.seconds:.1f}"),
    ]
    if record.rollback_type:
        pairs.append(("Rollback type", record.rollback_type))
    if record.digest:
        pairs.append(("Image", record.digest))
    if record.reason:
        pairs.append(("Reason", record.reason))
    steps = "\n".join(
        f"{escape(step.name)}: {step.outcome}, {step.seconds:.1f} s" for step in record.steps
    )
    blocks = [header(_headline(record)), fields(pairs)]
    if steps:
        blocks.append(section(steps))
    if record.detail:
        blocks.append(slack_context(record.detail))
    return blocks


def _headline(record: DeploymentRecord) -> str:
    return f"{record.kind} {record.environment}: {record.outcome}"
