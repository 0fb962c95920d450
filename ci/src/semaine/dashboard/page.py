"""The page: every view computed at one `now`, rendered by jinja2 with autoescape on."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from jinja2 import Environment, PackageLoader, StrictUndefined

from semaine.dashboard import deliveries, formatting
from semaine.dashboard.environment_view import (
    LONGEST_WINDOW,
    UPTIME_TARGET_PERCENT,
    WINDOWS,
    EnvironmentView,
    environment_view,
)

if TYPE_CHECKING:
    from datetime import datetime

    from semaine.dashboard.gates import PipelineSummary
    from semaine.dashboard.inputs import Inputs
    from semaine.records import DeploymentRecord

PAGE = "index.html"


@dataclass(frozen=True)
class DeliveriesView:
    """The deliveries of the longest window, their success rate and rollback times."""

    records: list[DeploymentRecord]
    success: deliveries.SuccessRate
    rollbacks: list[deliveries.RollbackTime]
    unreadable: int


@dataclass(frozen=True)
class PageView:
    """Everything the page shows, computed at `now`."""

    now: datetime
    environments: list[EnvironmentView]
    deliveries: DeliveriesView | None
    pipeline: PipelineSummary | None


def page_view(inputs: Inputs, now: datetime) -> PageView:
    """Compute the page's views from what was read."""
    shown = None
    if inputs.deployments is not None:
        records = deliveries.in_window(inputs.deployments, now - LONGEST_WINDOW, now)
        shown = DeliveriesView(
            records,
            deliveries.success_rate(records),
            deliveries.rollback_times(records),
            inputs.unreadable_records,
        )
    return PageView(
        now=now,
        environments=[environment_view(history, now) for history in inputs.histories],
        deliveries=shown,
        pipeline=inputs.pipeline,
    )


@cache
def _templates() -> Environment:
    environment = Environment(
        loader=PackageLoader("semaine.dashboard", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters.update(
        local_time=formatting.local_time,
        timestamp=formatting.local_timestamp,
        duration=formatting.duration,
        percent=formatting.percent,
        figure=formatting.figure,
        safe_link=formatting.safe_link,
    )
    environment.globals["named_figure"] = formatting.named_figure
    environment.globals.update(
        windows=[label for label, _ in WINDOWS],
        uptime_target=UPTIME_TARGET_PERCENT,
        success_target=deliveries.SUCCESS_TARGET_PERCENT,
        rollback_limit=deliveries.ROLLBACK_LIMIT,
    )
    return environment


def render_page(view: PageView) -> str:
    """Return the page's HTML."""
    return _templates().get_template(f"{PAGE}.j2").render(page=view)


def render_site(inputs: Inputs, now: datetime) -> str:
    """Compute and render the page at `now`."""
    return render_page(page_view(inputs, now))
