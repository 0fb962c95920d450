from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from pathlib import Path

from semaine.delivery.authorisation import NotAuthorisedError, authorise, current_actor
from semaine.environments import load_environment
from tests.paths import ROOT

PRODUCTION = load_environment("production", ROOT)
STAGING = load_environment("staging", ROOT)
MAINTAINER = "semaine-maintainers"


def test_a_listed_actor_with_a_reason_may_roll_back_staging() -> None:
    authorise(STAGING, MAINTAINER, "v43 breaks the week page", None)
    authorise(STAGING, MAINTAINER.upper(), "logins ignore case", None)


def test_production_needs_its_name_typed() -> None:
    authorise(PRODUCTION, MAINTAINER, "incident 12", "production")
    with pytest.raises(NotAuthorisedError, match="got no --confirm"):
        authorise(PRODUCTION, MAINTAINER, "incident 12", None)
    with pytest.raises(NotAuthorisedError, match="got --confirm staging"):
        authorise(PRODUCTION, MAINTAINER, "incident 12", "staging")


def test_a_confirmation_typed_for_another_environment_is_refused() -> None:
    # A rollback of staging confirmed as "production": the wrong target was named.
    with pytest.raises(NotAuthorisedError, match="--confirm production was given for a rollback"):
        authorise(STAGING, MAINTAINER, "incident 12", "production")
    authorise(STAGING, MAINTAINER, "incident 12", "staging")


@pytest.mark.parametrize("reason", ["", "  ", "\n"])
def test_a_reason_is_always_required(reason: str) -> None:
    with pytest.raises(NotAuthorisedError, match="--reason is blank"):
        authorise(STAGING, MAINTAINER, reason, None)


def test_an_unlisted_or_unknown_actor_is_refused() -> None:
    with pytest.raises(NotAuthorisedError, match="mallory may not roll back staging"):
        authorise(STAGING, "mallory", "why not", None)
    with pytest.raises(NotAuthorisedError, match="set GITHUB_ACTOR"):
        authorise(STAGING, None, "why not", None)


def test_the_actor_is_github_actor_first() -> None:
    assert current_actor({"GITHUB_ACTOR": "octocat"}) == "octocat"


@pytest.mark.parametrize(
    ("config", "actor"),
    [
        ("[user]\n\temail = 583231+octocat@users.noreply.github.com\n\tname = Mona\n", "octocat"),
        ("[user]\n\temail = mona@example.com\n\tname = Mona Lisa\n", "Mona Lisa"),
        ("", None),
    ],
)
def test_without_github_actor_the_git_user_is_asked(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, config: str, actor: str | None
) -> None:
    gitconfig = tmp_path / "gitconfig"
    gitconfig.write_text(config, encoding="utf-8")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(gitconfig))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.chdir(tmp_path)  # no repository: no local config
    assert current_actor({}) == actor
