"""Where the container registry is: `HEROKU_REGISTRY_URL`, default https://registry.heroku.com."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from semaine.integrations.http import Endpoint, base_url_from_environment
from semaine.integrations.registry.errors import RegistrySettingError

if TYPE_CHECKING:
    from collections.abc import Mapping

DEFAULT_REGISTRY_URL = "https://registry.heroku.com"
REGISTRY_URL_SETTING = "HEROKU_REGISTRY_URL"
REGISTRY_USER = "_"
"""Heroku's registry takes any user name with the API key as password; its CLI logs in as `_`."""
STATUS_PAGE = "https://status.heroku.com"
CHUNK_BYTES = 8 * 1024 * 1024
"""A blob up to this size is uploaded in one request; a larger one in chunks of this size."""


@dataclass(frozen=True)
class RegistrySettings:
    """The registry's base URL, its timeouts and the upload chunk size."""

    registry_url: str = DEFAULT_REGISTRY_URL
    connect_seconds: float = 10.0
    read_seconds: float = 60.0
    chunk_bytes: int = CHUNK_BYTES

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None) -> RegistrySettings:
        """Read the settings from the process environment."""
        url = base_url_from_environment(
            REGISTRY_URL_SETTING, DEFAULT_REGISTRY_URL, environ, error=RegistrySettingError
        )
        return cls(registry_url=url)

    @property
    def host(self) -> str:
        """The registry's host (and port), as image addresses name it: `registry.heroku.com`."""
        return urlsplit(self.registry_url).netloc

    def endpoint(self) -> Endpoint:
        """Return the shared HTTP setup's view of these settings."""
        return Endpoint(
            service="the container registry",
            base_url=self.registry_url.rstrip("/"),
            setting=REGISTRY_URL_SETTING,
            connect_seconds=self.connect_seconds,
            read_seconds=self.read_seconds,
            status_page=STATUS_PAGE,
        )


def repository(app: str, process_type: str) -> str:
    """Return the repository of an app's process type: `<app>/web`, `<app>/release`."""
    return f"{app}/{process_type}"
