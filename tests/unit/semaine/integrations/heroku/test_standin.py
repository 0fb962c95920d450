"""The stand-in itself refuses what the real API would not accept or send."""

from __future__ import annotations

from typing import Any

import httpx

ACCEPT = "application/vnd.heroku+json; version=3"


def get(standin: Any, path: str, **headers: str) -> httpx.Response:
    auth = {"Authorization": f"Bearer {standin.api_key}", "Accept": ACCEPT}
    return httpx.get(f"{standin.url}{path}", headers={**auth, **headers})


def test_a_path_outside_the_schema_is_a_violation(heroku: Any) -> None:
    assert get(heroku, "/apps/a/not-a-resource").status_code == 500
    assert heroku.violations == ["GET /apps/a/not-a-resource is not in the schema"]


def test_a_wrong_accept_header_is_a_violation(heroku: Any) -> None:
    heroku.config_vars["a"] = {}
    assert get(heroku, "/apps/a/config-vars", Accept="application/json").status_code == 500
    assert "Accept" in heroku.violations[0]


def test_a_scripted_answer_that_breaks_the_schema_is_a_violation(heroku: Any) -> None:
    heroku.config_vars["a"] = {"not a var name": "x"}
    assert get(heroku, "/apps/a/config-vars").status_code == 500
    assert heroku.violations[0].startswith("response:")


def test_a_patch_body_is_validated_against_the_link_schema(heroku: Any) -> None:
    auth = {"Authorization": f"Bearer {heroku.api_key}", "Accept": ACCEPT}
    answer = httpx.patch(f"{heroku.url}/apps/a/config-vars", json={"A": 1}, headers=auth)
    assert answer.status_code == 422
    assert heroku.violations[0].startswith("request body:")


def test_every_link_of_the_schema_is_loaded(heroku: Any) -> None:
    methods = {link.method for link in heroku.links}
    assert {"GET", "PATCH", "POST", "DELETE"} <= methods
    assert len(heroku.links) > 100


def test_a_stalled_app_is_still_checked_against_the_schema(heroku: Any) -> None:
    heroku.stall("a")
    assert get(heroku, "/apps/a/not-a-resource").status_code == 500
    assert heroku.violations == ["GET /apps/a/not-a-resource is not in the schema"]
    assert heroku.stalls == {"a": 1}  # the stall waits for a request the real API would take
