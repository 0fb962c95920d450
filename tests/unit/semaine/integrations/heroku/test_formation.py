"""Reading each process type's image from a formation list (docker-releases variant)."""

from __future__ import annotations

import pytest

from semaine.integrations.heroku import HerokuUnexpectedResponseError
from semaine.integrations.heroku.formation import parse_formation_images

WEB, RELEASE = "sha256:" + "a" * 64, "sha256:" + "b" * 64


def test_both_shapes_of_docker_image_are_read() -> None:
    body = [
        {"type": "web", "docker_image": WEB},
        {"type": "release", "docker_image": {"id": RELEASE}},
        {"type": "worker", "docker_image": None},
        {"type": "clock"},
    ]
    assert parse_formation_images(body, "f") == {"web": WEB, "release": RELEASE}


@pytest.mark.parametrize(
    "body",
    [
        {"type": "web"},
        [["web"]],
        [{"type": "web", "docker_image": "latest"}],
        [{"type": "web", "docker_image": {"id": "sha256:short"}}],
        [{"type": 1, "docker_image": WEB}],
    ],
)
def test_anything_else_is_an_unexpected_answer(body: object) -> None:
    with pytest.raises(HerokuUnexpectedResponseError, match="the formation of app a"):
        parse_formation_images(body, "the formation of app a")
