"""What each test file depends on, and a partial test run merged into a whole one.

`python -m semaine.probes.test_impact map --report DIR` reads the coverage data that
`semaine.probes.test_contexts` labelled by test file and writes `DIR/test-impact.json`:
the files each test file executed (in its process or its subprocesses), the files each
shared fixture executed, the shared fixtures each test file uses, every measured
source file, and the project's root (the coverage data names files by absolute path).

`python -m semaine.probes.test_impact merge --report DIR --selection FILE` completes a
run of some test files (DIR) with an earlier whole run: the earlier coverage minus
what the rerun files and the changed source files contributed, the earlier JUnit
cases minus the rerun files'. It then writes the coverage reports (JSON, HTML) and the
map again, as a whole run would have.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from xml.etree import ElementTree as ET  # only to write XML: reading goes through defusedxml

from coverage import Coverage, CoverageData
from defusedxml import ElementTree

from semaine.pipeline.stages import TEST_IMPACT
from semaine.probes.test_contexts import FIXTURE_CONTEXT

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence
    from xml.etree.ElementTree import Element

COVERAGE_DATA = ".coverage"
TEST_MAP = "test-map.json"
JUNIT = "junit.xml"
FORMAT = 1


@dataclass(frozen=True)
class Selection:
    """A partial run: the earlier whole run's reports, the files rerun, the files changed."""

    previous: Path
    rerun: tuple[str, ...]
    changed: tuple[str, ...]

    @classmethod
    def load(cls, path: Path) -> Selection:
        """Read a selection written by the executor."""
        document: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        return cls(
            Path(document["previous"]),
            tuple(document["rerun"]),
            tuple(document["changed"]),
        )


def impact_map(
    data: CoverageData, test_map: dict[str, list[str]], sources: Iterable[str]
) -> dict[str, Any]:
    """Return the test-impact document of labelled coverage `data` (paths relative to cwd)."""
    executed: dict[str, set[str]] = {}
    for measured in data.measured_files():
        relative = _relative(measured)
        if relative is None:
            continue
        for contexts in data.contexts_by_lineno(measured).values():
            for context in contexts:
                executed.setdefault(context, set()).add(relative)
    tests = {
        name: {
            "executed": sorted(executed.get(name, ())),
            "fixtures": sorted(fixtures),
        }
        for name, fixtures in sorted(test_map.items())
    }
    fixtures = {
        context.removeprefix(FIXTURE_CONTEXT): sorted(files)
        for context, files in sorted(executed.items())
        if context.startswith(FIXTURE_CONTEXT)
    }
    return {
        "format": FORMAT,
        # The coverage data names files by absolute path: only a run of the project where
        # it was then can be merged with it.
        "root": str(Path.cwd().resolve()),
        "sources": sorted(sources),
        "tests": tests,
        "fixtures": fixtures,
    }


def merge(report: Path, selection: Selection) -> None:
    """Complete the partial run in `report` with `selection.previous`, then report it whole."""
    previous = selection.previous
    merged = CoverageData(str(report / f"{COVERAGE_DATA}.merged"))
    current_data = report / COVERAGE_DATA
    current = CoverageData(str(current_data))
    if current_data.exists():
        current.read()
    # A shared fixture set up again now replaces its earlier contribution, as a test does;
    # one that only rerun test files used is gone, unless they set it up again.
    fixtures = {name for name in current.measured_contexts() if name.startswith(FIXTURE_CONTEXT)}
    test_map = _read_json(previous / TEST_MAP)
    kept = [used for name, used in test_map.items() if name not in selection.rerun]
    unused = {FIXTURE_CONTEXT + name for used in test_map.values() for name in used}
    unused -= {FIXTURE_CONTEXT + name for used in kept for name in used}
    replaced = {*selection.rerun, *fixtures, *unused}
    _keep_coverage(previous / COVERAGE_DATA, merged, replaced, set(selection.changed))
    if current_data.exists():
        merged.update(current)
    merged.write()
    (report / f"{COVERAGE_DATA}.merged").replace(current_data)
    _merge_junit(previous / JUNIT, report / JUNIT, selection.rerun)
    for name in selection.rerun:
        test_map.pop(name, None)
    if (report / TEST_MAP).exists():
        test_map.update(_read_json(report / TEST_MAP))
    (report / TEST_MAP).write_text(json.dumps(test_map, indent=1, sort_keys=True), "utf-8")
    write_reports(report)


def write_reports(report: Path) -> None:
    """Write coverage's JSON and HTML reports and the test-impact map from `report`'s data."""
    measuring = Coverage(data_file=str(report / COVERAGE_DATA))
    measuring.load()
    measuring.json_report(outfile=str(report / "coverage.json"))
    measuring.html_report(directory=str(report / "coverage-html"))
    write_map(report, measuring.get_data())


def write_map(report: Path, data: CoverageData) -> None:
    """Write `report`'s test-impact map from its labelled coverage `data` and reports."""
    sources = _read_json(report / "coverage.json")["files"]
    document = impact_map(data, _read_json(report / TEST_MAP), sources)
    (report / TEST_IMPACT).write_text(json.dumps(document, indent=1), encoding="utf-8")


def _keep_coverage(
    source: Path, target: CoverageData, replaced: set[str], changed: set[str]
) -> None:
    """Copy the earlier data, context by context, but for replaced contexts and changed files."""
    earlier = CoverageData(str(source))
    earlier.read()
    files = [name for name in earlier.measured_files() if _relative(name) not in changed]
    for context in sorted(earlier.measured_contexts()):
        if context in replaced:
            continue
        earlier.set_query_contexts([f"^{re.escape(context)}$"])
        target.set_context(context)
        if earlier.has_arcs():
            arcs = {name: found for name in files if (found := earlier.arcs(name))}
            target.add_arcs(arcs)
        else:
            lines = {name: numbers for name in files if (numbers := earlier.lines(name))}
            target.add_lines(lines)
    earlier.set_query_contexts(None)
    # Measured files no test executed are in the data too, empty: a whole run reports
    # them (0 %), so must a merge, even one after no test at all.
    unexecuted = [name for name in earlier.measured_files() if not earlier.lines(name)]
    if unexecuted:
        if earlier.has_arcs():  # touching needs the data's kind (lines or arcs) first
            target.add_arcs({})
        else:
            target.add_lines({})
        target.touch_files(unexecuted)


def _merge_junit(previous: Path, current: Path, rerun: Sequence[str]) -> None:
    modules = tuple(name.removesuffix(".py").replace("/", ".") for name in rerun)
    earlier = ElementTree.fromstring(previous.read_text(encoding="utf-8"))
    kept = [
        case
        for case in earlier.iter("testcase")
        if not _in_modules(case.get("classname", ""), modules)
    ]
    root = ET.Element("testsuites")
    root.append(_suite("reused from an earlier run", kept))
    if current.exists():
        latest = ElementTree.fromstring(current.read_text(encoding="utf-8"))
        root.extend(latest.iter("testsuite") if latest.tag == "testsuites" else [latest])
    current.write_text(ET.tostring(root, encoding="unicode"), encoding="utf-8")


def _suite(name: str, cases: Sequence[Element]) -> Element:
    suite = ET.Element("testsuite")
    counts = {"failures": "failure", "errors": "error", "skipped": "skipped"}
    suite.set("name", name)
    suite.set("tests", str(len(cases)))
    for attribute, tag in counts.items():
        suite.set(attribute, str(sum(case.find(tag) is not None for case in cases)))
    suite.extend(cases)
    return suite


def _in_modules(classname: str, modules: Sequence[str]) -> bool:
    return any(classname == module or classname.startswith(f"{module}.") for module in modules)


def _relative(path: str) -> str | None:
    resolved = Path(path).resolve()
    root = Path.cwd().resolve()
    if not resolved.is_relative_to(root):
        return None
    return resolved.relative_to(root).as_posix()


def _read_json(path: Path) -> dict[str, Any]:
    document: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return document


def main(argv: Sequence[str] | None = None) -> int:
    """Run `map` or `merge` (see the module's docstring)."""
    parser = argparse.ArgumentParser(prog="python -m semaine.probes.test_impact")
    parser.add_argument("action", choices=("map", "merge"))
    parser.add_argument("--report", type=Path, required=True, help="the test stage's folder")
    parser.add_argument("--selection", type=Path, help="the partial run's selection (merge)")
    arguments = parser.parse_args(argv)
    if arguments.action == "merge":
        if arguments.selection is None:
            parser.error("merge needs --selection FILE")
        merge(arguments.report, Selection.load(arguments.selection))
        return 0
    data = CoverageData(str(arguments.report / COVERAGE_DATA))
    data.read()
    write_map(arguments.report, data)
    return 0


if __name__ == "__main__":
    sys.exit(main())
