"""Who may roll back, with which words: a safety rail checked before any change.

The real boundaries are elsewhere: who holds the Heroku API key, and the GitHub
environment's required reviewers (docs/deployment.md).
"""

from __future__ import annotations

import os
import re
import subprocess
from typing import TYPE_CHECKING

from semaine.delivery.errors import DeliveryRefusedError

if TYPE_CHECKING:
    from collections.abc import Mapping

    from semaine.environments import Environment

_NOREPLY = re.compile(r"^(?:\d+\+)?([A-Za-z0-9-]+)@users\.noreply\.github\.com$")


class NotAuthorisedError(DeliveryRefusedError):
    """A rollback refused before any change: no reason, no confirmation, an unlisted actor."""


def current_actor(environ: Mapping[str, str] | None = None) -> str | None:
    """Return who runs this: GITHUB_ACTOR in Actions, else the local git user (login if known)."""
    env = os.environ if environ is None else environ
    actor = env.get("GITHUB_ACTOR", "").strip()
    if actor:
        return actor
    email = _git_config("user.email")
    login = _NOREPLY.match(email) if email else None
    if login:
        return login.group(1)
    return _git_config("user.name") or None


def authorise(
    environment: Environment, actor: str | None, reason: str, confirm: str | None
) -> None:
    """Refuse unless there is a reason, the confirmation production asks for, and a listed actor."""
    if not reason.strip():
        msg = "--reason is blank"
        raise NotAuthorisedError(msg, "say why you roll back: it is recorded and announced")
    if environment.confirmation_required and confirm != environment.name:
        said = f"--confirm {confirm}" if confirm else "no --confirm"
        what = f"{environment.name} asks for a typed confirmation, and got {said}"
        raise NotAuthorisedError(what, f"add --confirm {environment.name} once you are sure")
    if confirm and confirm != environment.name:
        # A confirmation typed for another environment means the wrong target was named.
        what = f"--confirm {confirm} was given for a rollback of {environment.name}"
        raise NotAuthorisedError(what, f"check --environment, then confirm {environment.name}")
    if not actor:
        msg = "cannot tell who is rolling back: GITHUB_ACTOR is unset and git has no user"
        raise NotAuthorisedError(msg, "set GITHUB_ACTOR to your GitHub login")
    if not environment.may_roll_back(actor):
        listed = ", ".join(environment.rollback_actors)
        what = f"{actor} may not roll back {environment.name} (rollback_actors: {listed})"
        raise NotAuthorisedError(
            what, "ask one of them, or add your login to the environment file in a reviewed change"
        )


def _git_config(key: str) -> str:
    try:
        done = subprocess.run(  # noqa: S603 - a fixed argv, no shell
            ["git", "config", "--get", key],  # noqa: S607 - git from PATH, as a developer runs it
            capture_output=True,
            text=True,
            check=False,
            timeout=10,
        )
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return done.stdout.strip() if done.returncode == 0 else ""
