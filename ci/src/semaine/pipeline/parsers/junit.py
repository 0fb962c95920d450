"""pytest's JUnit XML report (`pytest --junitxml`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from defusedxml import ElementTree

from semaine.pipeline.parsers.errors import ReportError, read_text, shape_error

if TYPE_CHECKING:
    from pathlib import Path
    from xml.etree.ElementTree import Element


@dataclass(frozen=True)
class TestRun:
    """Counts of a test run and the ids of the tests that failed or errored."""

    __test__ = False  # a report value, not a pytest test class

    tests: int
    failures: int
    errors: int
    skipped: int
    failed: tuple[str, ...]

    @property
    def passed(self) -> int:
        """Tests that ran and passed."""
        return self.tests - self.failures - self.errors - self.skipped


def parse_junit(path: Path) -> TestRun:
    """Return the test counts of the JUnit XML report at `path` (every suite summed)."""
    try:
        root = ElementTree.fromstring(read_text(path))
    except ElementTree.ParseError as error:
        raise ReportError(path, f"not valid XML: {error}") from error
    suites = [root] if root.tag == "testsuite" else list(root.iter("testsuite"))
    if root.tag not in {"testsuite", "testsuites"}:
        raise shape_error(path, "a <testsuites> or <testsuite> root")
    try:
        tests, failures, errors, skipped = (
            sum(int(suite.get(name, "0")) for suite in suites)
            for name in ("tests", "failures", "errors", "skipped")
        )
    except ValueError as error:
        raise shape_error(path, f"integer test counts ({error})") from error
    failed = tuple(
        _test_id(case)
        for suite in suites
        for case in suite.iter("testcase")
        if case.find("failure") is not None or case.find("error") is not None
    )
    return TestRun(tests, failures, errors, skipped, failed)


def _test_id(case: Element) -> str:
    classname, name = case.get("classname", ""), case.get("name", "")
    return f"{classname}::{name}" if classname else name
