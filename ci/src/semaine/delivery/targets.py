"""Which release an application rollback goes to, and whether a rollback is already under way."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from semaine.delivery.errors import (
    BadReleaseNameError,
    NoRollbackTargetError,
    TargetNotEligibleError,
)

if TYPE_CHECKING:
    from semaine.integrations.heroku.releases import Release

RELEASES_LOOKED_AT = 20
"""Heroku keeps the artifacts of the 20 newest releases at least (retention policy)."""
_VERSION = re.compile(r"^v?(\d+)$")


def release_version(text: str) -> int:
    """Read `--to-release` (v42, or 42)."""
    found = _VERSION.match(text.strip())
    if not found:
        raise BadReleaseNameError(text)
    return int(found.group(1))


@dataclass(frozen=True)
class Situation:
    """The app's releases as a rollback finds them (newest first)."""

    releases: list[Release]

    @property
    def live(self) -> Release | None:
        """The release the dynos run (`current`), else the newest that succeeded."""
        flagged = [r for r in self.releases if r.current]
        if flagged:
            return flagged[0]
        done = [r for r in self.releases if r.status == "succeeded"]
        return done[0] if done else None

    def unfinished_rollback(self) -> Release | None:
        """Return a rollback release still pending (a run stopped while following it)."""
        newest = self.releases[0] if self.releases else None
        if newest is not None and newest.status == "pending" and newest.rollback_target:
            return newest
        return None

    def already_rolled_back(self, wanted: int | None) -> Release | None:
        """Return the live release when it is a rollback to `wanted` (any target when None)."""
        live = self.live
        if live is None or live.rollback_target is None:
            return None
        return live if wanted in {None, live.rollback_target} else None


def choose_target(situation: Situation, wanted: int | None, app: str) -> Release:
    """Return the release to roll back to: `wanted`, else the newest earlier eligible one."""
    if wanted is not None:
        named = next((r for r in situation.releases if r.version == wanted), None)
        if named is None:
            raise TargetNotEligibleError(
                app, f"v{wanted}", f"it is not among the {RELEASES_LOOKED_AT} newest releases"
            )
        _check_eligible(named, app)
        return named
    live = situation.live
    newest_version = live.version if live else None
    earlier = [
        r for r in situation.releases if newest_version is None or r.version < newest_version
    ]
    for release in earlier:
        if release.may_be_rolled_back_to():
            return release
    seen = ", ".join(f"{r.name} {_why_not(r)}" for r in earlier[:5]) or "no earlier release"
    raise NoRollbackTargetError(app, seen)


def _check_eligible(release: Release, app: str) -> None:
    if not release.may_be_rolled_back_to():
        raise TargetNotEligibleError(app, release.name, _why_not(release))


def _why_not(release: Release) -> str:
    if release.status == "expired":
        return "expired (Heroku destroyed its image: 30 days and 20 releases retention)"
    if release.status != "succeeded":
        return f"{release.status}"
    if not release.eligible_for_rollback:
        return "not eligible for rollback"
    return "eligible"
