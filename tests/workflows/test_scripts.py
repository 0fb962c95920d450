"""The workflows' scripts, run for real: what they pass to dagger (git: test_history_scripts)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from tests.workflows.step_runner import dagger_calls, run_step
from tests.workflows.workflow_files import step_script as step

if TYPE_CHECKING:
    from pathlib import Path

HOSTILE = 'it broke "badly"; $(touch pwned) `touch pwned` $HOME --force'
"""A reason as a person might type it, and as an attacker would: it must arrive verbatim."""


def test_rollback_passes_every_input_verbatim_and_secrets_as_addresses(tmp_path: Path) -> None:
    env = {
        "ENVIRONMENT": "production",
        "ROLLBACK_TYPE": "full",
        "REASON": HOSTILE,
        "TO_RELEASE": "v41",
        "CONFIRM": "production",
        "DATABASE_URL": "postgresql://u:secret@db.example:5432/d",
        "HEROKU_API_KEY": "heroku-secret",
        "SLACK_WEBHOOK_URL": "",
        "GITHUB_ACTOR": "octocat",
    }
    calls = dagger_calls(tmp_path, ("rollback.yml", "rollback", "Roll back"), env)
    assert calls == [[
        "--progress", "plain", "call", "rollback",
        "--environment=production", "--rollback-type=full", f"--reason={HOSTILE}",
        "--actor=octocat", "--to-release=v41", "--confirm=production",
        "--database-url", "env://DATABASE_URL", "--heroku-api-key", "env://HEROKU_API_KEY",
        "export", "--path", "reports/rollback",
    ]]  # fmt: skip
    assert not (tmp_path / "pwned").exists()
    assert "secret" not in repr(calls)


def test_rollback_leaves_out_what_was_not_given(tmp_path: Path) -> None:
    env = {"ENVIRONMENT": "staging", "ROLLBACK_TYPE": "application",
           "REASON": "smoke test failed", "TO_RELEASE": "", "CONFIRM": "",
           "GITHUB_ACTOR": "octocat"}  # fmt: skip
    calls = dagger_calls(tmp_path, ("rollback.yml", "rollback", "Roll back"), env)
    (call,) = calls
    assert call[call.index("rollback") + 1 : call.index("export")] == [
        "--environment=staging", "--rollback-type=application", "--reason=smoke test failed",
        "--actor=octocat",
    ]  # fmt: skip


SLACK = ["--slack-webhook", "env://SLACK_WEBHOOK_URL"]


@pytest.mark.parametrize(
    ("reason", "webhook", "flags"),
    [
        ("", "", []),
        (HOSTILE, "", [f"--accept-inconclusive={HOSTILE}"]),
        ("", "https://hooks.slack.example/T/B/secret", SLACK),
    ],
)
def test_deploy_names_the_actor_and_passes_only_what_was_given(
    tmp_path: Path, reason: str, webhook: str, flags: list[str]
) -> None:
    env = {"HEROKU_API_KEY": "k", "ACCEPT_INCONCLUSIVE": reason,
           "SLACK_WEBHOOK_URL": webhook, "GITHUB_ACTOR": "octocat"}  # fmt: skip
    calls = dagger_calls(tmp_path, ("deploy.yml", "staging", "Run the gates"), env)
    assert calls == [[
        "--progress", "plain", "call", "deploy",
        "--environment", "staging", "--heroku-api-key", "env://HEROKU_API_KEY",
        "--actor=octocat", *flags, "export", "--path", "reports/deploy",
    ]]  # fmt: skip
    assert "secret" not in repr(calls)


@pytest.mark.parametrize(
    ("webhook", "flags"), [("", []), ("https://hooks.slack.example/T/B/secret", SLACK)]
)
def test_promote_names_the_actor_and_posts_to_slack_when_a_webhook_is_set(
    tmp_path: Path, webhook: str, flags: list[str]
) -> None:
    env = {"HEROKU_API_KEY": "k", "SLACK_WEBHOOK_URL": webhook,
           "GITHUB_ACTOR": "octocat"}  # fmt: skip
    calls = dagger_calls(tmp_path, ("deploy.yml", "production", "Release staging's image"), env)
    assert calls == [[
        "--progress", "plain", "call", "promote",
        "--to", "production", "--heroku-api-key", "env://HEROKU_API_KEY", "--actor=octocat",
        *flags, "export", "--path", "reports/promote",
    ]]  # fmt: skip


@pytest.mark.parametrize(
    ("name", "job", "folder"),
    [
        ("deploy.yml", "staging", "reports/deploy"),
        ("deploy.yml", "production", "reports/promote"),
        ("rollback.yml", "rollback", "reports/rollback"),
    ],
)
def test_a_record_is_noted_only_when_the_verb_wrote_one(
    tmp_path: Path, name: str, job: str, folder: str
) -> None:
    script = step(name, job, "Note whether a record")
    output = tmp_path / "output"
    output.touch()
    env = {"GITHUB_OUTPUT": str(output)}
    assert run_step(script, env, tmp_path).returncode == 0
    assert output.read_text(encoding="utf-8") == ""  # the gates stopped it: no record
    records = tmp_path / folder / "deployments"
    records.mkdir(parents=True)
    (records / "20261123T090000000000Z-deploy-staging.txt").touch()
    assert run_step(script, env, tmp_path).returncode == 0
    assert output.read_text(encoding="utf-8") == ""  # the text alone is no record
    (records / "20261123T090000000000Z-deploy-staging.json").touch()
    assert run_step(script, env, tmp_path).returncode == 0
    assert output.read_text(encoding="utf-8") == "written=true\n"


def test_the_monitor_gets_the_history_folder_and_its_secrets_as_addresses(tmp_path: Path) -> None:
    env = {
        "ENVIRONMENT": "production",
        "RUNNER_TEMP": "/runner",
        "GITHUB_REPOSITORY": "owner/semaine",
        "DATABASE_URL": "postgresql://x@db.example/d",
        "SLACK_WEBHOOK_URL": "https://hooks.slack.example/T/B/X",
        "GITHUB_TOKEN": "ghs_x",
    }
    calls = dagger_calls(tmp_path, ("monitoring.yml", "monitor", "Monitor"), env)
    assert calls == [[
        "--progress", "plain", "call", "monitor",
        "--environment=production", "--state", "/runner/history-branch/history",
        "--github-token", "env://GITHUB_TOKEN", "--github-repo=owner/semaine",
        "--database-url", "env://DATABASE_URL", "--slack-webhook", "env://SLACK_WEBHOOK_URL",
        "export", "--path", "/runner/monitoring",
    ]]  # fmt: skip
