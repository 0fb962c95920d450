"""mypy's JUnit XML report (`mypy --junit-xml`)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from defusedxml import ElementTree

from semaine.pipeline.parsers.errors import ReportError, read_text, shape_error

if TYPE_CHECKING:
    from pathlib import Path

_ERROR_LINE = re.compile(r"^[^:\n]+:\d+:(?:\d+:)? error: ", re.MULTILINE)


@dataclass(frozen=True)
class MypyReport:
    """The error lines mypy reported (empty when the code type-checks)."""

    errors: tuple[str, ...]
    crashed: bool
    """mypy reported an error of its own (a JUnit <error>), not a type error."""


def parse_mypy_junit(path: Path) -> MypyReport:
    """Return the type errors of mypy's JUnit XML report at `path`."""
    try:
        root = ElementTree.fromstring(read_text(path))
    except ElementTree.ParseError as error:
        raise ReportError(path, f"not valid XML: {error}") from error
    if root.tag != "testsuite":
        raise shape_error(path, "a <testsuite> root")
    messages = [element.text or "" for element in root.iter("failure")]
    # mypy counts its own errors (a config it cannot load, a crash) in the suite's errors.
    crashed = root.get("errors", "0") != "0" or root.find(".//error") is not None
    errors = tuple(
        line for text in messages for line in text.splitlines() if _ERROR_LINE.match(line)
    )
    if messages and not errors:
        # mypy failed without type errors in the usual form: keep its message as the error.
        errors = tuple(line for text in messages for line in text.splitlines() if line.strip())
    return MypyReport(errors=errors, crashed=crashed)
