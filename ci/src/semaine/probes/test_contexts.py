"""A pytest plugin labelling coverage by test file, so a change reruns only what it affects.

Loaded by the test stage (`pytest -p semaine.probes.test_contexts --test-map FILE`).
While a test runs, coverage's context is its file (`tests/unit/app/test_weeks.py`), in
this process and in every Python subprocess it starts (coverage's `patch = subprocess`
hands its configuration, static context included, to them in `COVERAGE_PROCESS_CONFIG`).
A fixture shared by several tests (module or session scope) is set up under a context
of its own, `fixture <id>`. `--test-map` writes which shared fixtures each test file
uses; `semaine.probes.test_impact` turns both into the files each test file depends on.
Without coverage running, the plugin only writes the map.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from collections.abc import Generator, Iterator

PROCESS_CONFIG = "COVERAGE_PROCESS_CONFIG"
"""Where coverage hands its configuration to the subprocesses it measures."""
FIXTURE_CONTEXT = "fixture "
"""Prefix of the context a shared fixture's setup runs under."""
_SHARED_SCOPES = frozenset({"module", "package", "session", "class"})


def pytest_addoption(parser: pytest.Parser) -> None:
    """Add `--test-map FILE`: where to write the shared fixtures of each test file."""
    parser.addoption(
        "--test-map",
        default=None,
        help="write {test file: [shared fixtures it uses]} to this JSON file",
    )


def test_file(item: pytest.Item) -> str:
    """Return the test file of `item`, relative to the root directory, with slashes."""
    return item.nodeid.split("::", 1)[0]


def fixture_id(fixturedef: pytest.FixtureDef[Any]) -> str:
    """Name a fixture definition: the folder or file defining it, then its name."""
    return f"{fixturedef.baseid}::{fixturedef.argname}"


def is_shared(fixturedef: pytest.FixtureDef[Any]) -> bool:
    """Tell whether a fixture is the project's own and outlives one test."""
    # Fixtures of pytest and its plugins have no base id; the project's are under its root,
    # but for those of the conftest.py at the root itself (no base id either).
    module = getattr(fixturedef.func, "__module__", None) or ""
    project = bool(fixturedef.baseid) or module.rpartition(".")[2] == "conftest"
    return project and fixturedef.scope in _SHARED_SCOPES


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item: pytest.Item) -> Generator[None, object, object]:
    """Run each test (setup, call, teardown) under the context of its file."""
    with _coverage_context(test_file(item)):
        return (yield)


@pytest.hookimpl(wrapper=True)
def pytest_fixture_setup(
    fixturedef: pytest.FixtureDef[Any],
) -> Generator[None, object, object]:
    """Set up a shared fixture under a context of its own, whichever test asked first."""
    if not is_shared(fixturedef):
        return (yield)
    with _coverage_context(FIXTURE_CONTEXT + fixture_id(fixturedef)):
        return (yield)


def pytest_collection_finish(session: pytest.Session) -> None:
    """Write the shared fixtures of each collected test file (`--test-map`)."""
    target = session.config.getoption("--test-map")
    # Not PYTEST_XDIST_WORKER: a session started by a test of a worker inherits it.
    worker = getattr(session.config, "workerinput", {}).get("workerid")
    # Every xdist worker collects every test: one of them writes.
    if target is None or not session.items or worker not in {None, "gw0"}:
        return
    uses: dict[str, set[str]] = {}
    for item in session.items:
        fixtures = uses.setdefault(test_file(item), set())
        info = getattr(item, "_fixtureinfo", None)
        for definitions in getattr(info, "name2fixturedefs", {}).values():
            fixtures.update(fixture_id(d) for d in definitions if is_shared(d))
    document = {name: sorted(fixtures) for name, fixtures in sorted(uses.items())}
    path = Path(target)
    path.parent.mkdir(parents=True, exist_ok=True)
    staging = path.with_name(f".{path.name}.{os.getpid()}")
    staging.write_text(json.dumps(document, indent=1), encoding="utf-8")
    staging.replace(path)


@contextlib.contextmanager
def _coverage_context(label: str) -> Iterator[None]:
    measuring = _current_coverage()
    if measuring is None:
        yield
        return
    previous = measuring.switch_context(label)
    inherited = os.environ.get(PROCESS_CONFIG)
    if inherited is not None:
        os.environ[PROCESS_CONFIG] = with_static_context(inherited, label)
    try:
        yield
    finally:
        measuring.switch_context(previous or "")
        if inherited is not None:
            os.environ[PROCESS_CONFIG] = inherited


def with_static_context(serialized: str, label: str) -> str:
    """Return coverage's serialized configuration with `label` as its static context."""
    config: dict[str, Any] = json.loads(base64.b64decode(serialized))
    config["context"] = label
    return base64.b64encode(json.dumps(config).encode()).decode()


def _current_coverage() -> Any:  # noqa: ANN401 - coverage is optional here, so is its type
    try:
        import coverage  # noqa: PLC0415 - without coverage there is nothing to label
    except ImportError:
        return None
    return coverage.Coverage.current()
