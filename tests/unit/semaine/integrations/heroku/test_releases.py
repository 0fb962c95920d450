"""The release calls against the schema-checked stand-in: ranges, the docker variant, rollback."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from semaine.integrations.heroku import (
    HerokuSettings,
    HerokuUnexpectedResponseError,
    HttpHerokuPlatform,
)
from semaine.integrations.heroku.releases import formation_update, parse_release

APP = "semaine-staging"
WEB, RELEASE = "sha256:" + "1" * 64, "sha256:" + "2" * 64
ACCEPT = "application/vnd.heroku+json; version=3"


def client(standin: Any) -> HttpHerokuPlatform:
    return HttpHerokuPlatform(
        standin.api_key, HerokuSettings(api_url=standin.url), sleep=lambda _s: None
    )


def seeded(standin: Any, count: int = 3) -> None:
    for _ in range(count):
        standin.releases.add(APP, images={"web": WEB, "release": RELEASE})


def test_the_newest_release_is_asked_for_with_a_descending_range(heroku: Any) -> None:
    seeded(heroku)

    newest = client(heroku).newest_release(APP)

    assert newest is not None
    assert (newest.name, newest.status, newest.current) == ("v3", "succeeded", True)
    (request,) = heroku.requests
    assert request.headers["Range"] == "version ..; max=1, order=desc"
    assert heroku.violations == []


def test_without_a_range_the_list_is_ascending(heroku: Any) -> None:
    seeded(heroku)
    auth = {"Authorization": f"Bearer {heroku.api_key}", "Accept": ACCEPT}
    answer = httpx.get(f"{heroku.url}/apps/{APP}/releases", headers=auth)
    assert [r["version"] for r in answer.json()] == [1, 2, 3]


def test_a_cut_list_is_a_206_with_next_range(heroku: Any) -> None:
    seeded(heroku, 12)

    recent = client(heroku).recent_releases(APP, 10)

    assert [r.version for r in recent] == list(range(12, 2, -1))
    auth = {
        "Authorization": f"Bearer {heroku.api_key}",
        "Accept": ACCEPT,
        "Range": "version ..; max=10, order=desc",
    }
    answer = httpx.get(f"{heroku.url}/apps/{APP}/releases", headers=auth)
    assert answer.status_code == 206
    assert "Next-Range" in answer.headers


def test_an_app_never_released_has_no_newest_release(heroku: Any) -> None:
    assert client(heroku).newest_release("semaine-new") is None


def test_images_are_released_through_the_docker_releases_variant(heroku: Any) -> None:
    seeded(heroku)

    client(heroku).release_images(APP, {"web": WEB, "release": RELEASE})

    (patch,) = [r for r in heroku.requests if r.method == "PATCH"]
    assert patch.headers["Accept"] == "application/vnd.heroku+json; version=3.docker-releases"
    assert heroku.violations == []
    created = heroku.releases.apps[APP][-1]
    assert (created.version, created.status, created.images) == (
        4,
        "pending",
        {"web": WEB, "release": RELEASE},
    )


def test_docker_image_without_the_variant_is_what_the_public_schema_refuses(heroku: Any) -> None:
    auth = {"Authorization": f"Bearer {heroku.api_key}", "Accept": ACCEPT}
    body = formation_update({"web": WEB})
    answer = httpx.patch(f"{heroku.url}/apps/{APP}/formation", json=body, headers=auth)
    assert answer.status_code == 500
    assert heroku.violations[0].startswith("Accept is")


def test_a_release_phase_goes_from_pending_to_succeeded_and_boots_dynos(heroku: Any) -> None:
    seeded(heroku)
    booted: list[tuple[str, str, bool]] = []
    heroku.releases.on_boot = lambda *facts: booted.append(facts)
    platform = client(heroku)
    platform.release_images(APP, {"web": WEB, "release": RELEASE})
    created = platform.newest_release(APP)
    assert created is not None
    assert (created.status, created.current) == ("pending", False)

    done = platform.release(APP, created.id)

    assert (done.status, done.current) == ("succeeded", True)
    assert booted == [(APP, "v4", True)]


def test_a_release_phase_told_to_fail_never_boots(heroku: Any) -> None:
    seeded(heroku)
    heroku.releases.phases.append("fail")
    heroku.releases.on_boot = lambda *_facts: pytest.fail("a failed release must not boot")
    platform = client(heroku)
    platform.release_images(APP, {"web": WEB, "release": RELEASE})

    done = platform.release(APP, "4")

    assert (done.status, done.current) == ("failed", False)
    assert heroku.releases.current(APP).version == 3


def test_a_rollback_posts_the_release_id_and_makes_a_new_release(heroku: Any) -> None:
    seeded(heroku)
    target = heroku.releases.find(APP, "2")

    created = client(heroku).roll_back(APP, target.id)

    assert (created.name, created.status, created.rollback_target) == ("v4", "pending", 2)
    (post,) = [r for r in heroku.requests if r.method == "POST"]
    assert post.body == {"release": target.id}
    assert heroku.violations == []


def test_a_rollback_to_an_expired_release_is_a_422_naming_it(heroku: Any) -> None:
    seeded(heroku)
    heroku.releases.apps[APP][0].status = "expired"

    with pytest.raises(
        HerokuUnexpectedResponseError, match="HTTP 422 invalid_params v1 is expired"
    ):
        client(heroku).roll_back(APP, heroku.releases.apps[APP][0].id)


def test_a_release_body_without_status_is_refused() -> None:
    with pytest.raises(HerokuUnexpectedResponseError, match="known status"):
        parse_release({"id": "x", "version": 3, "status": "weird"}, "release 3")


def test_only_config_digests_are_released() -> None:
    with pytest.raises(ValueError, match="config digest"):
        formation_update({"web": "sha256:abc"})
