"""The docs' command checks catch what drifts: each wrong command below is refused.

test_commands_in_docs.py shows the docs' commands pass; these show the checks could fail.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from tests.docs.command_checks import (
    prefetch_pytest,
    problems,
    pytest_argvs,
    without_comment,
)
from tests.docs.markdown_commands import DocCommand, commands_in

if TYPE_CHECKING:
    from pathlib import Path


def shown(text: str, *, strict: bool = True) -> list[str]:
    """Return the problems of `text` shown in a doc (strict: in a shell block)."""
    return problems(DocCommand("doc.md", 1, text, strict=strict))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("uv run semaine pipline", "invalid choice: 'pipline'"),
        ("uv run semaine pipeline --frobnicate", "unrecognized arguments: --frobnicate"),
        ("uv run semaine pipeline --only lnt", "lnt"),
        ("uv run semaine pipeline --report out/", "unrecognized arguments: --report"),
        ("uv run python -m app data migrate --legacy 3", "unrecognized arguments: --legacy"),
        ("python -m app db upgrad", "invalid choice: 'upgrad'"),
        ("uv run semaine rollback --environment staging --reason x", "--rollback-type"),
    ],
)
def test_a_wrong_verb_flag_or_value_is_refused_by_the_real_parser(text: str, expected: str) -> None:
    found = shown(text)
    assert len(found) == 1
    assert expected in found[0]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("python -m app data migrate [--frobnicate]", "no flag --frobnicate"),
        ("uv run semaine migrate|rollbak --environment E", "no verb 'rollbak'"),
        ("heroku run python -m app dta migrate", "no verb 'dta'"),
    ],
)
def test_a_synopsis_names_only_real_verbs_and_flags(text: str, expected: str) -> None:
    found = shown(text, strict=False)
    assert len(found) == 1
    assert expected in found[0]


def test_a_synopsis_may_use_placeholders_options_and_alternatives() -> None:
    assert shown("python -m app data migrate|rollback ...", strict=False) == []
    assert shown("uv run semaine rollback --environment E ... --reason TEXT", strict=False) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("dagger call pipline", "no function 'pipline'"),
        ("dagger call pipeline --frobnicate", "no flag --frobnicate"),
        ("dagger call build export", "needs --path"),
        ("dagger call build expor --path x", "Container has no function 'expor'"),
        ("dagger call migrate --environment stagin", "'stagin' is not one of staging"),
        ("dagger call migrate --environment staging --batch-size many", "not an integer"),
        ("dagger call verdict --reports reports export --path x", "returns a value"),
        ("dagger check lnt", "'lnt' is not a check"),
        ("dagger version --json", "cannot classify"),
    ],
)
def test_a_dagger_call_is_checked_against_the_registered_module(text: str, expected: str) -> None:
    found = shown(text)
    assert len(found) == 1, found
    assert expected in found[0]


def test_a_secret_is_shown_by_address_never_by_value() -> None:
    found = shown("dagger call migrate --environment staging --heroku-api-key sekrit")
    assert len(found) == 1
    assert "not a secret address" in found[0]


def test_a_dagger_call_may_chain_core_functions() -> None:
    assert shown("dagger call build as-service up --ports 8000:8000") == []
    assert shown("dagger call build sync") == []
    assert shown("dagger call pipeline --only lint export --path reports") == []


WRONG_PYTEST_LINES = [
    ("uv run pytest --frobnicate", "unrecognized arguments: --frobnicate"),
    ("uv run pytest tests/nowhere", "would not find tests/nowhere"),
    ("uv run pytest --ignore=tests/nowhere", "would not find tests/nowhere"),
    ("uv run pytest tests/docs/test_command_checks.py::test_nothing_here", "would not find"),
    ('uv run pytest -m "not slo"', "'slo'"),
    ("uv run pytest -n", "expected one argument"),
]


@pytest.fixture(scope="module")
def _wrong_pytest_lines_parsed_at_once() -> None:
    """Parse every line below in one pytest process, not one process each (~1 CPU-s each)."""
    lines = [DocCommand("doc.md", 1, text, strict=True) for text, _ in WRONG_PYTEST_LINES]
    prefetch_pytest(pytest_argvs(lines))


@pytest.mark.usefixtures("_wrong_pytest_lines_parsed_at_once")
@pytest.mark.parametrize(("text", "expected"), WRONG_PYTEST_LINES)
def test_a_pytest_line_is_parsed_by_pytest(text: str, expected: str) -> None:
    found = shown(text)
    assert len(found) == 1, found
    assert expected in found[0]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("scripts/nowhere", "not a file of the repository"),
        ("bash scripts/nowhere.sh", "not a file of the repository"),
        ("scripts/strip_dagger_schema.py", "not executable"),
        ("uv run python bench/nowhere.py", "does not exist"),
        ("uv run python bench/week_compute.py --frobnicate", "has no flag --frobnicate"),
        ("uv run python tests/fixtures/record_tool_outputs.py --all", "parses none"),
        ("uv run ruff check --frobnicate .", "has no flag --frobnicate"),
        ("make all", "ALLOWED_UNRUN"),
        ("curl -fsSL https://example.com/install.sh | sh", "ALLOWED_UNRUN"),
    ],
)
def test_scripts_tools_and_the_unclassified(text: str, expected: str) -> None:
    found = shown(text)
    assert found, text
    assert expected in found[0]


def test_scripts_and_tools_that_exist_pass() -> None:
    assert shown("scripts/setup && sh scripts/lock_ci.sh && bash .ci/run") == []
    assert shown("uv run ruff format --check . && uv run mypy") == []
    assert shown("export DATABASE_URL=postgresql://postgres@127.0.0.1:5432/drill") == []


def test_a_comment_is_cut_outside_quotes_only() -> None:
    assert without_comment('a --reason "see #123"  # why') == 'a --reason "see #123"'


def test_commands_are_read_from_shell_blocks_synopses_and_inline_code(tmp_path: Path) -> None:
    doc = tmp_path / "doc.md"
    doc.write_text(
        "Run `uv run semaine pipeline\n--quick` often; `semaine.cli` is a module.\n\n"
        "```bash\n# a comment\nuv run semaine lint \\\n    --no-cache   # why\n```\n\n"
        "```console\n$ uv run semaine test\noutput, not a command\n```\n\n"
        "```text\npython -m app data migrate [--dry-run]\n"
        "                            [--batch-size N]\nnot a command\n```\n\n"
        "```\nreports/\n  summary.json\n```\n",
        encoding="utf-8",
    )
    found = [(c.line, c.text, c.strict) for c in commands_in(doc, "doc.md")]
    assert found == [
        (1, "uv run semaine pipeline --quick", False),
        (6, "uv run semaine lint --no-cache   # why", True),
        (11, "uv run semaine test", True),
        (16, "python -m app data migrate [--dry-run] [--batch-size N]", False),
    ]
