"""What the pipeline and the delivery need from Heroku: the Platform API calls they make."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from collections.abc import Mapping

    from semaine.integrations.heroku.releases import Release


class HerokuPlatform(Protocol):
    """The Heroku Platform API calls the pipeline and the delivery make."""

    def config_vars(self, app: str) -> Mapping[str, str]:
        """Return the app's config vars (GET /apps/{app}/config-vars)."""

    def newest_release(self, app: str) -> Release | None:
        """Return the app's newest release (None for an app never released)."""

    def recent_releases(self, app: str, count: int = 10) -> list[Release]:
        """Return the app's `count` newest releases, newest first."""

    def release(self, app: str, release: str) -> Release:
        """Return one release of the app, by id (UUID) or version number."""

    def release_images(self, app: str, images: Mapping[str, str]) -> None:
        """Release container images ({process type: config digest}) with one formation PATCH."""

    def formation_images(self, app: str) -> dict[str, str]:
        """Return the image id each process type runs ({"web": "sha256:..."}): the formation."""

    def roll_back(self, app: str, release_id: str) -> Release:
        """Roll the app back to release `release_id` (a UUID); return the new release."""
