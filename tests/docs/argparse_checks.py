"""Check a `semaine ...` or `python -m app ...` command with the program's own parser.

Both programs build their parser in one function (`semaine.cli.build_parser`,
`app.cli.build_parser`): a doc command is parsed by it, so an unknown verb, flag or
value fails here exactly as it would in a terminal. argparse offers no public walk of
its sub-parsers, hence the few private names below.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Sequence

PLACEHOLDER = re.compile(r"^(?:\.\.\.|[A-Z][A-Z0-9_]*|<[^>]+>)$")
"""A synopsis word standing for a value: `...`, `URL`, `N`, `<stage>`."""


@dataclass(frozen=True)
class Program:
    """A command-line program of the project and where its parser is built."""

    name: str
    build: Callable[[], argparse.ArgumentParser]

    def parser(self) -> argparse.ArgumentParser:
        """Return a fresh parser that refuses abbreviated flags (docs spell them in full)."""
        parser = self.build()
        for each in _all_parsers(parser):
            each.allow_abbrev = False
        return parser


def _build_semaine() -> argparse.ArgumentParser:
    from semaine.cli import build_parser  # noqa: PLC0415 - imported when first needed

    return build_parser()


def _build_app() -> argparse.ArgumentParser:
    from app.cli import build_parser  # noqa: PLC0415 - imported when first needed

    return build_parser()


SEMAINE = Program("semaine", _build_semaine)
APP = Program("python -m app", _build_app)


def parse_problems(program: Program, argv: Sequence[str]) -> list[str]:
    """Parse `argv` as the program would; return its usage error, if any."""
    stderr = io.StringIO()
    try:
        with contextlib.redirect_stderr(stderr), contextlib.redirect_stdout(io.StringIO()):
            program.parser().parse_args(list(argv))
    except SystemExit as exit_:
        if exit_.code not in {0, None}:
            message = " ".join(stderr.getvalue().split()) or f"exit status {exit_.code}"
            return [f"`{program.name}` refuses it: {message}"]
    return []


def synopsis_problems(program: Program, words: Sequence[str]) -> list[str]:
    """Check a synopsis: every verb (`a|b`: each) and every flag must exist."""
    return list(_walk(program, program.parser(), list(words), program.name))


def _walk(
    program: Program, parser: argparse.ArgumentParser, words: list[str], path: str
) -> Iterator[str]:
    verbs = _subparsers(parser)
    if verbs is None:
        yield from _flag_problems(parser, words, path)
        return
    position = next((i for i, word in enumerate(words) if not word.startswith("-")), None)
    yield from _flag_problems(parser, words[: position or 0], path)
    if position is None or PLACEHOLDER.match(words[position]):
        return  # `semaine ...`: no verb named, nothing more to check
    for verb in words[position].split("|"):
        if verb not in verbs.choices:
            choices = ", ".join(verbs.choices)
            yield f"`{path}` has no verb {verb!r} (it has: {choices})"
            continue
        sub = verbs.choices[verb]
        yield from _walk(program, sub, words[position + 1 :], f"{path} {verb}")


def _flag_problems(parser: argparse.ArgumentParser, words: list[str], path: str) -> Iterator[str]:
    known = parser._option_string_actions  # noqa: SLF001 - argparse offers no public walk
    for word in words:
        flag = word.split("=", 1)[0]
        if flag.startswith("-") and flag not in {"-", "--"} and flag not in known:
            flags = ", ".join(sorted(f for f in known if f.startswith("--")))
            yield f"`{path}` has no flag {flag} (it has: {flags})"


def verb_path(program: Program, words: Sequence[str]) -> tuple[str, ...]:
    """Return the verbs a command names (`db upgrade`), up to the first non-verb."""
    parser, path = program.parser(), []
    for word in words:
        verbs = _subparsers(parser)
        if verbs is None or word not in verbs.choices:
            break
        path.append(word)
        parser = verbs.choices[word]
    return tuple(path)


def help_problems(program: Program, path: Sequence[str]) -> list[str]:
    """Run `PROGRAM PATH --help`; return why it did not print a usage and exit 0."""
    stdout = io.StringIO()
    try:
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(io.StringIO()):
            program.parser().parse_args([*path, "--help"])
    except SystemExit as exit_:
        if exit_.code in {0, None} and stdout.getvalue().startswith("usage:"):
            return []
        return [f"`{program.name} {' '.join(path)} --help` exited {exit_.code}"]
    return [f"`{program.name} {' '.join(path)} --help` did not exit"]


def _subparsers(
    parser: argparse.ArgumentParser,
) -> argparse._SubParsersAction[argparse.ArgumentParser] | None:
    actions = parser._actions  # noqa: SLF001 - argparse offers no public walk
    found = [a for a in actions if isinstance(a, argparse._SubParsersAction)]  # noqa: SLF001
    return found[0] if found else None


def _all_parsers(parser: argparse.ArgumentParser) -> Iterator[argparse.ArgumentParser]:
    yield parser
    verbs = _subparsers(parser)
    for sub in {id(p): p for p in (verbs.choices.values() if verbs else ())}.values():
        yield from _all_parsers(sub)
