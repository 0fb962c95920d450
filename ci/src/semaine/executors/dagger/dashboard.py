"""`dagger call dashboard`: the page rendered in the module runtime, returned as the site folder.

Rendering is pure Python (semaine.dashboard), so no container runs: the inputs are
exported from the engine into a scratch folder, read and rendered as `semaine
dashboard` does, and the page comes back as a Directory holding index.html.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from dagger import dag

from semaine.dashboard.errors import DashboardError
from semaine.dashboard.inputs import load_inputs
from semaine.dashboard.page import PAGE, render_site

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import datetime

    import dagger

HISTORY = "history"
DEPLOYMENTS = "deployments"
SUMMARY = "summary.json"


class DashboardInputsError(Exception):
    """An input of the function cannot make a page; the message names the argument."""


async def dashboard_site(
    history: dagger.Directory,
    environments: Sequence[str],
    deployments: dagger.Directory | None,
    pipeline_summary: dagger.File | None,
    now: datetime,
) -> dagger.Directory:
    """Render the page from the given folders and file; return a folder holding index.html."""
    with tempfile.TemporaryDirectory(prefix="semaine-dashboard-") as local:
        root = Path(local)
        arguments = {root / HISTORY: "--history"}
        await history.export(str(root / HISTORY))
        if deployments is not None:
            arguments[root / DEPLOYMENTS] = "--deployments"
            await deployments.export(str(root / DEPLOYMENTS))
        if pipeline_summary is not None:
            arguments[root / SUMMARY] = "--pipeline-summary"
            await pipeline_summary.export(str(root / SUMMARY))
        try:
            inputs = load_inputs(
                root / HISTORY,
                environments,
                root / DEPLOYMENTS if deployments is not None else None,
                root / SUMMARY if pipeline_summary is not None else None,
            )
        except DashboardError as error:
            message = str(error)
            # The scratch paths mean nothing to the caller: name the argument instead.
            for path, flag in arguments.items():
                message = message.replace(str(path), flag)
            raise DashboardInputsError(message) from None
        html = render_site(inputs, now)
    return dag.directory().with_new_file(PAGE, html)
