import re
import shutil
import tomllib
from pathlib import Path

import pytest

from semaine.pipeline.gates import Outcome
from semaine.pipeline.stage import Need, Placeholder
from semaine.pipeline.stages import (
    BUILD,
    BY_NAME,
    QUICK_TEST,
    STAGES,
    TEST,
    EmptySelectionError,
    NotQuickError,
    UnknownStageError,
    select,
    stage_names,
)
from semaine.pipeline.thresholds import FLOOR
from semaine.pipeline.verdict import StepRun, judge_stage
from tests.paths import ROOT, TOOL_OUTPUTS

_TOKEN = re.compile(r"\{[a-z_]+\}")


def test_the_eight_stages_in_order() -> None:
    assert [stage.name for stage in STAGES] == [
        "lint",
        "typecheck",
        "security",
        "test",
        "migrations",
        "load",
        "e2e",
        "build",
    ]


def test_steps_start_with_a_tool_name_not_a_path() -> None:
    for stage in STAGES:
        for step in stage.steps:
            if stage is BUILD:
                continue
            assert "/" not in step.argv[0], (stage.name, step.argv)


def test_build_is_gated_in_core_and_needs_an_engine() -> None:
    assert Need.ENGINE in BUILD.needs
    assert [step.gate for step in BUILD.steps] == ["image builds"]


def test_the_app_is_served_on_the_stage_database_and_e2e_needs_a_browser() -> None:
    for stage in STAGES:
        if Need.APP in stage.needs:
            assert Need.POSTGRES in stage.needs, stage.name
    assert {stage.name for stage in STAGES if Need.BROWSER in stage.needs} == {"test", "e2e"}


def test_load_seeds_the_weeks_it_reads_before_loading() -> None:
    seed, locust = BY_NAME["load"].steps
    assert seed.stop_on_failure
    assert seed.argv[seed.argv.index("--first-week") + 1] == locust.env["SEMAINE_LOAD_FIRST_WEEK"]
    assert seed.argv[seed.argv.index("--last-week") + 1] == locust.env["SEMAINE_LOAD_LAST_WEEK"]
    # The load profile is the project's `[tool.locust]`: a flag here would override it.
    assert not {"--users", "-u", "--spawn-rate", "-r", "--run-time", "-t"} & set(locust.argv)


def test_the_load_profile_is_in_the_project_pyproject() -> None:
    # Without a run time, headless locust would run until stopped. (Importing locust
    # here would monkey-patch this process: the fixture project's end-to-end test shows
    # locust reading the table.)
    document = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert document["tool"]["locust"] == {"users": 5, "spawn-rate": 5, "run-time": "8s"}
    # A shorter run saves pipeline time only while the gate keeps 5x its request floor
    # at the locustfile's 200 req/s.
    seconds = int(document["tool"]["locust"]["run-time"].removesuffix("s"))
    assert seconds * 200 >= 5 * document["tool"]["semaine"]["gates"]["load_requests_min"]


def test_the_user_workflows_run_in_the_test_stage_and_the_timed_e2e_stage_only_measures() -> None:
    pytest_step = BY_NAME["test"].steps[0]
    assert not any(part.startswith("--ignore") for part in pytest_step.argv)
    assert (ROOT / "tests" / "e2e" / "test_user_workflows.py").is_file()
    assert BY_NAME["e2e"].timed
    assert [step.name for step in BY_NAME["e2e"].steps] == ["seed", "page timing", "lighthouse"]


def test_stage_names_and_selection() -> None:
    assert stage_names(" lint, test ,") == ("lint", "test")
    assert [stage.name for stage in select(("test", "lint"), ())] == ["lint", "test"]
    assert len(select(None, ("build",))) == len(STAGES) - 1
    assert select(None, ()) == STAGES
    with pytest.raises(UnknownStageError, match=r"lnt; valid stages: lint, typecheck"):
        stage_names("lint,lnt")


def test_the_test_gate_judges_one_whole_run_with_coverage() -> None:
    (pytest_step,) = TEST.steps
    assert "--cov" in pytest_step.argv
    assert not any("testmon" in argument for argument in pytest_step.argv)
    assert "coverage.json" in TEST.reports
    assert TEST.cacheable


def test_quick_runs_lint_typecheck_and_the_tests_testmon_selects() -> None:
    assert [stage.name for stage in select(None, (), quick=True)] == ["lint", "typecheck", "test"]
    assert select(None, (), quick=True)[-1] is QUICK_TEST
    (pytest_step,) = QUICK_TEST.steps
    # Without --testmon-forceselect, testmon would ignore its selection because of -m.
    assert {"--testmon", "--testmon-forceselect", "-m"} <= set(pytest_step.argv)
    assert not any(argument.startswith("--cov") for argument in pytest_step.argv)
    # The same tests as the test gate's (then testmon leaves out the unaffected ones).
    assert {"not dagger_engine", "auto", "--ignore=tests/e2e"} <= set(pytest_step.argv)
    assert {"not dagger_engine", "auto"} <= set(TEST.steps[0].argv)
    # What it runs depends on .testmondata, not on the sources alone.
    assert not QUICK_TEST.cacheable


def test_quick_selection_refuses_stages_it_does_not_run() -> None:
    assert [stage.name for stage in select(("test",), (), quick=True)] == ["test"]
    assert [stage.name for stage in select(None, ("test",), quick=True)] == ["lint", "typecheck"]
    with pytest.raises(NotQuickError, match=r"--quick runs lint, typecheck, test only, not load"):
        select(("test", "load"), (), quick=True)


@pytest.mark.parametrize("only", ["", ",", " , "])
def test_an_only_that_names_no_stage_runs_nothing_rather_than_everything(only: str) -> None:
    # `--only=` once ran the whole pipeline: an empty selection is refused, never "all".
    with pytest.raises(EmptySelectionError, match=r"--only names no stage.*lint, typecheck"):
        select(stage_names(only), ())


def test_a_selection_that_skips_every_chosen_stage_is_refused() -> None:
    with pytest.raises(EmptySelectionError, match="leave no stage to run"):
        select(("lint",), ("lint",))
    # An empty --skip leaves nothing out: harmless, so accepted.
    assert select(None, stage_names("")) == STAGES


def test_placeholders_are_known_and_backed_by_a_need() -> None:
    known = {placeholder.value for placeholder in Placeholder}
    needing_postgres = {Placeholder.DATABASE_URL.value, Placeholder.POSTGRES_URL.value}
    for stage in (*STAGES, QUICK_TEST):
        for step in stage.steps:
            tokens = set(_TOKEN.findall(" ".join([*step.argv, *step.env.values()])))
            assert tokens <= known, (stage.name, tokens - known)
            if tokens & needing_postgres:
                assert Need.POSTGRES in stage.needs, stage.name
            if Placeholder.APP_URL.value in tokens:
                assert Need.APP in stage.needs, stage.name


def test_rendering_replaces_every_placeholder() -> None:
    values = {placeholder: f"<{placeholder.name}>" for placeholder in Placeholder}
    for stage in STAGES:
        for step in stage.steps:
            rendered = step.rendered(values)
            assert not _TOKEN.search(" ".join([*rendered.argv, *rendered.env.values()]))


def test_gate_names_are_unique_within_a_stage() -> None:
    for stage in STAGES:
        names = [step.gate for step in stage.steps if step.gate]
        assert len(names) == len(set(names)), stage.name


def recorded(name: str) -> str:
    return (TOOL_OUTPUTS / name).read_text(encoding="utf-8")


def test_the_security_tail_is_not_the_tools_chatter(tmp_path: Path) -> None:
    # bandit warned about every word after `# nosec`; pip-audit ended with "No known
    # vulnerabilities found" under an inconclusive gate.
    shutil.copy(TOOL_OUTPUTS / "bandit-clean.json", tmp_path / "bandit.json")
    shutil.copy(TOOL_OUTPUTS / "pip-audit-not-found.json", tmp_path / "pip-audit.json")
    runs = [
        StepRun("bandit", 0, recorded("bandit-nosec-prose.log")),
        StepRun("uv export", 0),
        StepRun("pip-audit", 0, recorded("pip-audit-not-found.log")),
    ]
    result = judge_stage(BY_NAME["security"], runs, tmp_path, FLOOR, 1.0)
    assert result.outcome is Outcome.INCONCLUSIVE
    assert "Test in comment" not in result.output_tail
    assert "No known vulnerabilities found" not in result.output_tail


def test_the_lint_tail_is_not_ruff_formats_json(tmp_path: Path) -> None:
    shutil.copy(TOOL_OUTPUTS / "ruff-dirty.json", tmp_path / "ruff.json")
    shutil.copy(TOOL_OUTPUTS / "ruff-format-dirty.json", tmp_path / "ruff-format.json")
    runs = [
        StepRun("ruff check", 1),
        StepRun("ruff format --check", 1, recorded("ruff-format-dirty.json")),
    ]
    result = judge_stage(BY_NAME["lint"], runs, tmp_path, FLOOR, 1.0)
    assert result.outcome is Outcome.FAIL
    assert result.output_tail == ""


def test_a_tool_that_crashed_still_shows_its_output(tmp_path: Path) -> None:
    runs = [
        StepRun("ruff check", 2, "ruff failed: cannot read pyproject.toml"),
        StepRun("ruff format --check", 0),
    ]
    result = judge_stage(BY_NAME["lint"], runs, tmp_path, FLOOR, 1.0)
    assert "cannot read pyproject.toml" in result.output_tail
