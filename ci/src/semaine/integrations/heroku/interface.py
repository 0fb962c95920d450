"""What the pipeline needs from Heroku; the deployment feature extends this interface."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from collections.abc import Mapping


class HerokuPlatform(Protocol):
    """The Heroku Platform API calls the pipeline makes."""

    def config_vars(self, app: str) -> Mapping[str, str]:
        """Return the app's config vars (GET /apps/{app}/config-vars)."""
