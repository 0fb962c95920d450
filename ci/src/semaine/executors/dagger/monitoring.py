"""`dagger call monitor`: one monitor run in a container, its history in and out.

The history folder goes in at STATE_PATH and comes back, with the run's line appended,
as `history/` in the returned folder, beside report.json, report.md and exit-status: the
function cannot fail and still return them, so the status travels in the folder.
"""

from __future__ import annotations

import dagger
from dagger import dag

from semaine.executors.dagger.chains import (
    RUNNER,
    VERB_EXIT_STATUS,
    VERB_LOG,
    VERB_OUTPUT,
    new_run_id,
    with_secret_flags,
)
from semaine.executors.dagger.containers import REPORTS_PATH, toolchain, with_run

STATE_PATH = "/state"
HISTORY_FOLDER = "history"
"""Where the updated history is in the returned folder."""


async def monitor_verb(
    source: dagger.Directory,
    flags: list[str],
    secrets: dict[str, dagger.Secret | None],
    state: dagger.Directory | None,
) -> dagger.Directory:
    """Run `semaine monitor` once; return its report, the updated history and its exit status."""
    container = (
        toolchain(source)
        .with_(with_run(new_run_id()))
        .with_directory(STATE_PATH, state if state is not None else dag.directory())
        # Present even when the verb refuses before writing its report: the folder returns.
        .with_directory(REPORTS_PATH, dag.directory())
    )
    container, flags = with_secret_flags(container, flags, secrets)
    argv = [*RUNNER, "semaine", "monitor", *flags, "--state", STATE_PATH, "--report", REPORTS_PATH]
    ran = container.with_exec(argv, expect=dagger.ReturnType.ANY)
    status = await ran.exit_code()
    return (
        ran.directory(REPORTS_PATH)
        .with_directory(HISTORY_FOLDER, ran.directory(STATE_PATH))
        .with_new_file(VERB_OUTPUT, await ran.stdout())
        .with_new_file(VERB_LOG, await ran.stderr())
        .with_new_file(VERB_EXIT_STATUS, f"{status}\n")
    )
