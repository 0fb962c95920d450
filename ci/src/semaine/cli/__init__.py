"""The `semaine` command: the pipeline's verbs without a container engine."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from typing import Protocol


class VerbModule(Protocol):
    """A module that adds its verbs to the `semaine` command."""

    def register(self, verbs: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
        """Add this module's sub-commands; each sets `run` as its default."""


def _verb_modules() -> list[VerbModule]:
    # Imported here so that `semaine --help` stays fast and one broken verb
    # cannot hide the others behind an import error at module load.
    from semaine.cli import pipeline_verbs, migration_verbs  # noqa: PLC0415

    return [pipeline_verbs, migration_verbs]


def build_parser() -> argparse.ArgumentParser:
    """Build the parser of every `semaine` verb."""
    parser = argparse.ArgumentParser(
        prog="semaine",
        description="Semaine's CI/CD verbs, run as local processes (no container engine).",
    )
    verbs = parser.add_subparsers(dest="verb", required=True, metavar="VERB")
    for module in _verb_modules():
        module.register(verbs)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one `semaine` verb and return its exit status."""
    arguments = build_parser().parse_args(argv)
    run: Callable[[argparse.Namespace], int] = arguments.run
    return run(arguments)


if __name__ == "__main__":
    sys.exit(main())
