"""Heroku releases as the delivery reads them, and the requests that list and create them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from semaine.integrations.heroku.errors import HerokuUnexpectedResponseError

if TYPE_CHECKING:
    from collections.abc import Mapping

ReleaseStatus = Literal["pending", "succeeded", "failed", "expired"]
FINISHED: frozenset[str] = frozenset({"succeeded", "failed", "expired"})
DOCKER_RELEASES_ACCEPT = "application/vnd.heroku+json; version=3.docker-releases"
"""The pre-release API variant that accepts `docker_image` in a formation update."""
IMAGE_ID = re.compile(r"^sha256:[0-9a-f]{64}$")
_STATUSES = ("pending", "succeeded", "failed", "expired")
_HTTP_OK = 200


def newest_first(count: int) -> dict[str, str]:
    """Return the Range header that lists the `count` newest releases, newest first.

    Without it Heroku answers the oldest releases first (ascending, 200 a page).
    """
    return {"Range": f"version ..; max={count}, order=desc"}


@dataclass(frozen=True)
class Release:
    """One release of an app: its id (a UUID), version (v42), status and rollback facts."""

    id: str
    version: int
    status: ReleaseStatus
    eligible_for_rollback: bool
    current: bool
    description: str
    output_stream_url: str | None

    @property
    def name(self) -> str:
        """The version as Heroku shows it: v42."""
        return f"v{self.version}"

    @property
    def finished(self) -> bool:
        """Whether Heroku is done with it (succeeded, failed or expired)."""
        return self.status in FINISHED

    @property
    def rollback_target(self) -> int | None:
        """The version this release rolled back to, when it is a rollback ("Rollback to v41")."""
        found = re.match(r"^Rollback to v(\d+)\b", self.description)
        return int(found.group(1)) if found else None

    def may_be_rolled_back_to(self) -> bool:
        """Whether Heroku accepts a rollback to it: succeeded, eligible, its image kept."""
        return self.status == "succeeded" and self.eligible_for_rollback


def parse_release(body: object, what: str) -> Release:
    """Read a release object of the Platform API; refuse one missing what we rely on."""
    if not isinstance(body, dict):
        raise HerokuUnexpectedResponseError(what, _HTTP_OK, "body is not a release object")
    status = body.get("status")
    version = body.get("version")
    identifier = body.get("id")
    stream = body.get("output_stream_url")
    if (
        status not in _STATUSES
        or not isinstance(version, int)
        or not isinstance(identifier, str)
        or not (stream is None or isinstance(stream, str))
    ):
        raise HerokuUnexpectedResponseError(
            what, _HTTP_OK, "release without a known status, an integer version or an id"
        )
    return Release(
        id=identifier,
        version=version,
        status=status,
        eligible_for_rollback=body.get("eligible_for_rollback") is True,
        current=body.get("current") is True,
        description=str(body.get("description") or ""),
        output_stream_url=stream,
    )


def parse_releases(body: object, what: str) -> list[Release]:
    """Read a list of releases."""
    if not isinstance(body, list):
        raise HerokuUnexpectedResponseError(what, _HTTP_OK, "body is not a list of releases")
    return [parse_release(item, what) for item in body]


def formation_update(images: Mapping[str, str]) -> dict[str, object]:
    """Return the formation PATCH body releasing `images` ({process type: image id}).

    The one place that writes `docker_image`, which only the docker-releases variant
    of the API accepts (the public schema's formation update does not list it).
    """
    for process, image in images.items():
        if not IMAGE_ID.match(image):
            msg = f"the {process} image id must be sha256:<64 hex> (a config digest), not {image!r}"
            raise ValueError(msg)
    return {
        "updates": [
            {"type": process, "docker_image": image} for process, image in sorted(images.items())
        ]
    }
