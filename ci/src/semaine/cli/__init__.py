"""The `semaine` command: the pipeline's verbs without a container engine."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from contextlib import contextmanager
from typing import TYPE_CHECKING

from semaine.exit_status import ExitStatus

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Sequence

Verbs = argparse._SubParsersAction  # noqa: SLF001  argparse exposes no public name for it


def _verb_registrars() -> list[Callable[[Verbs[argparse.ArgumentParser]], None]]:
    # Imported here so that `semaine --help` stays fast and one broken verb
    # cannot hide the others behind an import error at module load.
    from semaine.cli.dashboard_verbs import register as register_dashboard  # noqa: PLC0415
    from semaine.cli.delivery_verbs import register as register_delivery  # noqa: PLC0415
    from semaine.cli.migration_verbs import register as register_migration  # noqa: PLC0415
    from semaine.cli.monitor_verbs import register as register_monitor  # noqa: PLC0415
    from semaine.cli.pipeline_verbs import register as register_pipeline  # noqa: PLC0415
    from semaine.cli.promotion_verbs import register as register_promotion  # noqa: PLC0415

    return [
        register_pipeline,
        register_migration,
        register_delivery,
        register_monitor,
        register_dashboard,
        register_promotion,
    ]


def build_parser() -> argparse.ArgumentParser:
    """Build the parser of every `semaine` verb."""
    parser = argparse.ArgumentParser(
        prog="semaine",
        description="Semaine's CI/CD verbs, run as local processes (no container engine).",
    )
    verbs = parser.add_subparsers(dest="verb", required=True, metavar="VERB")
    for register in _verb_registrars():
        register(verbs)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one `semaine` verb and return its exit status."""
    arguments = build_parser().parse_args(argv)
    run: Callable[[argparse.Namespace], int] = arguments.run
    try:
        with _sigterm_as_ctrl_c():
            return run(arguments)
    except KeyboardInterrupt:
        # The executor has stopped its processes and its throwaway PostgreSQL by now.
        sys.stderr.write(
            f"semaine {arguments.verb}: interrupted; nothing was judged (run it again)\n"
        )
        return ExitStatus.INTERRUPTED


@contextmanager
def _sigterm_as_ctrl_c() -> Iterator[None]:
    # A CI runner or service manager stops a job with SIGTERM: without this, Python dies at
    # once and leaves the run's app servers and throwaway PostgreSQL running. As SIGINT, it
    # takes Ctrl-C's way out (asyncio cancels the run, whose cleanups then stop them).
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, lambda *_: signal.raise_signal(signal.SIGINT))
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


if __name__ == "__main__":
    sys.exit(main())
