"""release_images against the Heroku stand-in, its release phase and the real app's dynos."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import TYPE_CHECKING

import pytest

from semaine.delivery.context import ReleaseImages, Waits
from semaine.delivery.release import release_images
from tests.integration.semaine.conftest import (
    BROKEN_WEB,
    NEW_RELEASE,
    NEW_WEB,
)

if TYPE_CHECKING:
    from tests.integration.semaine.conftest import Stage
    from tests.standins.slack import SlackStandIn

pytestmark = pytest.mark.integration
APP = "semaine-staging"
NEW = ReleaseImages(web=NEW_WEB, release=NEW_RELEASE)


def test_a_good_release_is_followed_smoke_tested_and_recorded(stage: Stage) -> None:
    record = release_images(stage.environment(), NEW, stage.context())

    assert (record.outcome, record.from_release, record.to_release) == ("succeeded", "v3", "v4")
    assert record.digest == NEW_WEB
    assert [s.name for s in record.steps] == [
        "read the current release",
        "release",
        "release phase",
        "smoke test",
    ]
    assert stage.dynos.boots[-1] == ("v4", True)
    requests = stage.heroku.api_requests()
    assert requests[0].headers["Range"] == "version ..; max=1, order=desc"
    (patch,) = stage.heroku.api_requests("PATCH")
    assert patch.path == f"/apps/{APP}/formation"
    assert patch.headers["Accept"] == "application/vnd.heroku+json; version=3.docker-releases"
    assert patch.body == {
        "updates": [
            {"type": "release", "docker_image": NEW_RELEASE},
            {"type": "web", "docker_image": NEW_WEB},
        ]
    }
    assert stage.heroku.violations == []
    # The output stream answered 404 once, then its lines reached the operator.
    assert any("v4 release phase | Running release command" in line for line in stage.said)
    written = json.loads(next((stage.reports / "deployments").glob("*.json")).read_text())
    assert written["outcome"] == "succeeded"
    assert (
        "deploy staging: succeeded"
        in next((stage.reports / "deployments").glob("*.txt")).read_text()
    )


def test_a_failing_release_phase_leaves_the_previous_release_live(stage: Stage) -> None:
    stage.heroku.releases.phases.append("fail")

    record = release_images(stage.environment(), NEW, stage.context())

    assert record.outcome == "failed"
    assert "release v4 failed" in record.detail
    assert "Heroku kept v3 live: nothing to roll back" in record.detail
    assert stage.heroku.api_requests("POST") == []
    assert stage.dynos.boots == [("v3", True)]
    assert any("release command exited with status 1" in line for line in stage.said)


def test_a_failing_smoke_test_rolls_back_automatically(stage: Stage) -> None:
    broken = ReleaseImages(web=BROKEN_WEB, release=NEW_RELEASE)

    record = release_images(stage.environment(), broken, stage.context())

    assert record.outcome == "rolled-back"
    assert "smoke test of v4 failed: /readyz answered 503" in record.detail
    assert "rolled back to v3 (now v5)" in record.detail
    assert record.to_release == "v5"
    (rollback,) = stage.heroku.api_requests("POST")
    target = stage.heroku.releases.find(APP, "3")
    assert target is not None
    assert rollback.body == {"release": target.id}
    assert stage.dynos.boots == [("v3", True), ("v4", False), ("v5", True)]
    assert [s.outcome for s in record.steps if s.name == "smoke test"] == ["failed"]
    assert [s.outcome for s in record.steps if s.name == "smoke test of the rollback"] == [
        "succeeded"
    ]
    assert stage.heroku.violations == []


def test_a_hung_release_phase_times_out_without_touching_the_live_release(stage: Stage) -> None:
    stage.heroku.releases.phases.append("hang")
    context = replace(stage.context(), waits=Waits(release_timeout_seconds=0.3, poll_seconds=0.01))

    record = release_images(stage.environment(), NEW, context)

    assert record.outcome == "failed"
    assert "v4 of semaine-staging is still pending after 0.3 s" in record.detail
    assert "v3 still serves" in record.detail
    assert stage.heroku.api_requests("POST") == []


def test_a_formation_update_that_makes_no_release_is_an_error(stage: Stage) -> None:
    stage.heroku.releases.phases.append("none")

    record = release_images(stage.environment(), NEW, stage.context())

    assert record.outcome == "failed"
    assert "made no new release of semaine-staging: the newest is still v3" in record.detail


def test_a_wrong_key_is_refused_before_any_change(stage: Stage) -> None:
    record = release_images(stage.environment(), NEW, stage.context(key="wrong-key-0000"))

    assert record.outcome == "refused"
    assert "nothing changed" in record.detail
    assert "401" in record.detail
    assert "wrong-key-0000" not in record.detail
    assert stage.heroku.api_requests("PATCH") == []


def test_rate_limiting_is_waited_out_as_the_budget_says(stage: Stage) -> None:
    stage.heroku.fail(APP, 429, times=2, headers={"RateLimit-Remaining": "0"})

    record = release_images(stage.environment(), NEW, stage.context())

    assert record.outcome == "succeeded"
    assert stage.waits == [2.0, 4.0]  # an empty bucket: 4x the backoff, doubling


def test_a_flaky_api_is_retried_on_reads(stage: Stage) -> None:
    stage.heroku.fail(APP, 503, times=2)

    record = release_images(stage.environment(), NEW, stage.context())

    assert record.outcome == "succeeded"
    assert len(stage.waits) == 2


def test_a_5xx_on_the_formation_update_is_never_sent_twice(stage: Stage) -> None:
    stage.heroku.fail(APP, 503, method="PATCH")

    record = release_images(stage.environment(), NEW, stage.context())

    assert record.outcome == "failed"
    assert "HTTP 503" in record.detail
    assert len(stage.heroku.api_requests("PATCH")) == 1  # a PATCH may have taken effect
    assert stage.dynos.boots == [("v3", True)]


def test_the_record_is_posted_to_slack(stage: Stage, slack: SlackStandIn) -> None:
    record = release_images(stage.environment(), NEW, stage.context(slack=slack.url))

    assert record.outcome == "succeeded"
    (payload,) = slack.payloads
    assert payload["text"] == "deploy staging: succeeded"
    assert payload["blocks"][0]["text"]["text"] == "deploy staging: succeeded"
    shown = json.dumps(payload["blocks"])
    assert "v3" in shown
    assert "v4" in shown
    assert NEW_WEB in shown
    assert slack.violations == []
    assert "Slack: record posted" in stage.said


def test_a_slack_failure_is_reported_never_fatal(stage: Stage, slack: SlackStandIn) -> None:
    slack.fail(404, times=5)

    record = release_images(stage.environment(), NEW, stage.context(slack=slack.url))

    assert record.outcome == "succeeded"
    (said,) = [line for line in stage.said if line.startswith("Slack:")]
    assert "was not posted" in said
    assert slack.url not in said
