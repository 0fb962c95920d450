import re

from semaine.core.stage import Need, Placeholder
from semaine.core.stages import STAGES

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
            assert "/" not in step.argv[0], (stage.name, step.argv)


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
