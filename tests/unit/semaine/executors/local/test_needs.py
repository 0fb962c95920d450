"""The system programs each stage declares: looked for on PATH by the local executor."""

from __future__ import annotations

import ast
import io
from typing import TYPE_CHECKING

import anyio
import pytest

from semaine.executors.local.executor import ExecutorSettings, LocalExecutor
from semaine.executors.local.needs import missing_programs
from semaine.pipeline.gates import Outcome, passed
from semaine.pipeline.stage import PROGRAMS, Need, Stage, Step, programs
from semaine.pipeline.stages import BY_NAME
from semaine.pipeline.thresholds import FLOOR
from tests.paths import ROOT, TESTS

if TYPE_CHECKING:
    from pathlib import Path

PROBES = ROOT / "ci" / "src" / "semaine" / "probes"


def _executable(folder: Path, name: str) -> None:
    path = folder / name
    path.write_text("#!/bin/sh\n", encoding="utf-8")
    path.chmod(0o755)


def test_missing_programs_names_each_absent_one(tmp_path: Path) -> None:
    _executable(tmp_path, "chromium")
    _executable(tmp_path, "pg_dump")
    missing = missing_programs(BY_NAME["test"], str(tmp_path))
    assert [program.name for program in missing] == ["pg_restore", "openssl", "docker-registry"]
    assert missing_programs(BY_NAME["lint"], str(tmp_path / "nowhere")) == ()


def test_node_is_not_required_the_lighthouse_step_reports_its_absence(tmp_path: Path) -> None:
    # The e2e stage still times the pages without Node: only the
    # Lighthouse gates are inconclusive (semaine.probes.lighthouse writes why).
    _executable(tmp_path, "chromium")
    assert Need.NODE in BY_NAME["e2e"].needs
    assert missing_programs(BY_NAME["e2e"], str(tmp_path)) == ()
    assert {program.name for program in programs({Need.NODE})} == {"node", "npm"}
    assert not any(program.required for program in programs({Need.NODE}))


def test_a_stage_without_its_programs_is_inconclusive_naming_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Nothing on PATH but a folder with chromium: pg_dump, pg_restore, openssl are missing.
    _executable(tmp_path, "chromium")
    monkeypatch.setenv("PATH", str(tmp_path))
    stage = Stage(
        name="dumps",
        description="needs the PostgreSQL client",
        steps=(Step(name="never run", argv=("pg_dump", "--version")),),
        evaluate=lambda _reports, _thresholds: (passed("never judged"),),
        needs=frozenset({Need.PG_CLIENT, Need.BROWSER}),
    )
    settings = ExecutorSettings(
        project_dir=tmp_path,
        report_dir=tmp_path / "reports",
        thresholds=FLOOR,
        max_parallel=2,
        max_cpu_heavy=1,
    )
    (result,) = anyio.run(LocalExecutor(settings, stream=io.StringIO()).run, [stage])
    assert result.outcome is Outcome.INCONCLUSIVE
    assert "pg_dump, pg_restore, openssl not on PATH" in result.reason
    assert "apt-get install openssl postgresql-client" in result.reason
    assert "chromium" not in result.reason.split(" not on PATH")[0]
    assert [gate.outcome for gate in result.gates] == [Outcome.INCONCLUSIVE]


def _string_constants(folder: Path, skip: tuple[Path, ...] = ()) -> set[str]:
    found: set[str] = set()
    for path in folder.rglob("*.py"):
        if any(path.is_relative_to(skipped) for skipped in skip):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        found.update(
            node.value
            for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str)
        )
    return found


def _started(constants: set[str]) -> set[str]:
    """Return the declared programs named (or given by absolute path) in `constants`."""
    names = {program.name for need in PROGRAMS for program in PROGRAMS[need]}
    return {name for name in names for text in constants if text in {name, f"/usr/bin/{name}"}}


def _scope(name: str) -> set[str]:
    """Return the string constants of the files stage `name` runs."""
    # The same files each stage runs: the test stage runs every test but e2e (and the
    # engine tier) on all of app and semaine; the e2e stage runs tests/e2e with the probes.
    # Read when the test runs, not at collection: every xdist worker collects this module.
    if name == "e2e":
        return _string_constants(TESTS / "e2e") | _string_constants(PROBES)
    return (
        _string_constants(TESTS, skip=(TESTS / "e2e", TESTS / "dagger_engine", TESTS / "dagger"))
        | _string_constants(ROOT / "app")
        | _string_constants(PROBES)
    )


@pytest.mark.parametrize("name", ["e2e", "test"])
def test_each_program_a_stage_starts_is_declared(name: str) -> None:
    declared = {program.name for program in programs(BY_NAME[name].needs)}
    started = _started(_scope(name))
    assert started, "the scan found nothing: it no longer sees how programs are named"
    assert started <= declared, f"{name} starts {started - declared}: declare it in its needs"
