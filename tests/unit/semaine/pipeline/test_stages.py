import re
import tomllib

import pytest

from semaine.pipeline.stage import Need, Placeholder
from semaine.pipeline.stages import (
    BUILD,
    BY_NAME,
    STAGES,
    UnknownStageError,
    select,
    stage_names,
)
from tests.paths import ROOT

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
    assert document["tool"]["locust"] == {"users": 5, "spawn-rate": 5, "run-time": "10s"}


def test_the_test_stage_leaves_the_browser_tests_to_the_e2e_stage() -> None:
    pytest_step = BY_NAME["test"].steps[0]
    browser_tests = BY_NAME["e2e"].steps[0].argv[1]
    assert f"--ignore={browser_tests}" in pytest_step.argv
    assert (ROOT / browser_tests).is_dir()


def test_stage_names_and_selection() -> None:
    assert stage_names(" lint, test ,") == ("lint", "test")
    assert [stage.name for stage in select(("test", "lint"), ())] == ["lint", "test"]
    assert len(select((), ("build",))) == len(STAGES) - 1
    assert select(("lint",), ("lint",)) == ()
    with pytest.raises(UnknownStageError, match=r"lnt; valid stages: lint, typecheck"):
        stage_names("lint,lnt")


def test_placeholders_are_known_and_backed_by_a_need() -> None:
    known = {placeholder.value for placeholder in Placeholder}
    needing_postgres = {Placeholder.DATABASE_URL.value, Placeholder.POSTGRES_URL.value}
    for stage in STAGES:
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
