from __future__ import annotations

import pytest

from semaine.delivery.errors import (
    BadReleaseNameError,
    NoRollbackTargetError,
    TargetNotEligibleError,
)
from semaine.delivery.targets import Situation, choose_target, release_version
from semaine.integrations.heroku.releases import Release


def release(version: int, status: str = "succeeded", **kwargs: object) -> Release:
    facts: dict[str, object] = {
        "id": f"id-{version}",
        "version": version,
        "status": status,
        "eligible_for_rollback": status == "succeeded",
        "current": False,
        "description": "Deploy",
        "output_stream_url": None,
    }
    return Release(**{**facts, **kwargs})  # type: ignore[arg-type]


def test_the_newest_earlier_eligible_release_is_chosen() -> None:
    situation = Situation([release(5, current=True), release(4, "failed"), release(3), release(2)])
    assert choose_target(situation, None, "app").version == 3


def test_expired_and_ineligible_releases_are_skipped() -> None:
    situation = Situation(
        [
            release(5, current=True),
            release(4, "expired"),
            release(3, eligible_for_rollback=False),
            release(2),
        ]
    )
    assert choose_target(situation, None, "app").version == 2


def test_a_pending_release_newer_than_the_live_one_is_not_a_target() -> None:
    situation = Situation([release(6, "pending"), release(5, current=True), release(4)])
    assert choose_target(situation, None, "app").version == 4


def test_a_named_expired_release_is_refused_with_the_retention_rule() -> None:
    situation = Situation([release(5, current=True), release(4, "expired")])
    with pytest.raises(TargetNotEligibleError, match="30 days and 20 releases"):
        choose_target(situation, 4, "app")


def test_nothing_eligible_is_refused_naming_each_release() -> None:
    situation = Situation([release(3, current=True), release(2, "failed"), release(1, "expired")])
    with pytest.raises(NoRollbackTargetError, match="v2 failed, v1 expired"):
        choose_target(situation, None, "app")


def test_a_rollback_release_is_recognised() -> None:
    live = release(7, current=True, description="Rollback to v5")
    situation = Situation([live, release(6), release(5)])
    assert situation.already_rolled_back(None) is live
    assert situation.already_rolled_back(5) is live
    assert situation.already_rolled_back(4) is None


@pytest.mark.parametrize(("text", "version"), [("v42", 42), ("42", 42), (" v7 ", 7)])
def test_release_versions_are_read(text: str, version: int) -> None:
    assert release_version(text) == version


@pytest.mark.parametrize("text", ["", "v", "vx1", "latest", "v-1"])
def test_other_release_names_are_refused(text: str) -> None:
    with pytest.raises(BadReleaseNameError, match="write it as v42"):
        release_version(text)
