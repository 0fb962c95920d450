"""Settings from the environment (DATABASE_URL, PORT, release, pool sizes)."""

from __future__ import annotations

import dataclasses
import os
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl, urlsplit

from app import __version__

if TYPE_CHECKING:
    from collections.abc import Mapping

DEFAULT_PORT = 8000
DEFAULT_POOL_MIN_SIZE = 1
# Heroku Postgres' smallest plans allow 20 connections; leave room for a release
# phase, a one-off dyno and the data migration next to one web dyno.
DEFAULT_POOL_MAX_SIZE = 10
DEFAULT_POOL_TIMEOUT = 10.0

_SCHEMES = {"postgres": "postgresql", "postgresql": "postgresql"}
_MAX_PORT = 65535


class ConfigError(ValueError):
    """A setting is missing or invalid; the message says what to set."""


@dataclasses.dataclass(frozen=True, kw_only=True)
class Release:
    """What is running: the package version and, on Heroku, the release and commit."""

    version: str = __version__
    heroku_release: str | None = None
    commit: str | None = None

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> Release:
        """Read HEROKU_RELEASE_VERSION and HEROKU_SLUG_COMMIT (or SOURCE_VERSION)."""
        commit = environ.get("HEROKU_SLUG_COMMIT") or environ.get("SOURCE_VERSION") or None
        return cls(heroku_release=environ.get("HEROKU_RELEASE_VERSION") or None, commit=commit)


@dataclasses.dataclass(frozen=True, kw_only=True)
class Settings:
    """The service's settings, read once from the environment."""

    database_url: str
    port: int = DEFAULT_PORT
    pool_min_size: int = DEFAULT_POOL_MIN_SIZE
    pool_max_size: int = DEFAULT_POOL_MAX_SIZE
    pool_timeout: float = DEFAULT_POOL_TIMEOUT
    release: Release = dataclasses.field(default_factory=Release)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Read the settings from `environ` (default: os.environ); raise ConfigError."""
        env = os.environ if environ is None else environ
        pool_min = _integer(env, "DATABASE_POOL_MIN_SIZE", DEFAULT_POOL_MIN_SIZE, minimum=0)
        pool_max = _integer(env, "DATABASE_POOL_MAX_SIZE", DEFAULT_POOL_MAX_SIZE, minimum=1)
        if pool_min > pool_max:
            msg = (
                f"DATABASE_POOL_MIN_SIZE ({pool_min}) is larger than DATABASE_POOL_MAX_SIZE "
                f"({pool_max}): set it to at most {pool_max}"
            )
            raise ConfigError(msg)
        return cls(
            database_url=database_url_from_env(env),
            port=port_from_env(env),
            pool_min_size=pool_min,
            pool_max_size=pool_max,
            pool_timeout=_seconds(env, "DATABASE_POOL_TIMEOUT", DEFAULT_POOL_TIMEOUT),
            release=Release.from_env(env),
        )


def database_url_from_env(environ: Mapping[str, str] | None = None) -> str:
    """Return DATABASE_URL, normalised (postgres:// becomes postgresql://)."""
    env = os.environ if environ is None else environ
    value = env.get("DATABASE_URL", "").strip()
    if not value:
        msg = (
            "DATABASE_URL is not set: set it to the PostgreSQL URL, "
            "for example postgresql://USER:PASSWORD@HOST:5432/DBNAME"
        )
        raise ConfigError(msg)
    return normalise_database_url(value)


def normalise_database_url(url: str, *, name: str = "DATABASE_URL") -> str:
    """Validate a PostgreSQL URL and return it with the `postgresql://` scheme.

    `name` says where the URL came from, in the messages (never the URL: it holds a password).
    """
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        # The parser's message may quote the URL, password included.
        msg = f"{name} is not a valid URL (its port or host is malformed): check it"
        raise ConfigError(msg) from None
    scheme = _SCHEMES.get(parts.scheme.lower())
    if scheme is None:
        msg = (
            f"{name} must start with postgresql:// or postgres://, "
            f"not {parts.scheme or 'no scheme'}://"
        )
        raise ConfigError(msg)
    query_host = any(key == "host" for key, _ in parse_qsl(parts.query))
    if not parts.hostname and not query_host:
        msg = (
            f"{name} has no host: set it like postgresql://USER:PASSWORD@HOST:{port or 5432}/DBNAME"
        )
        raise ConfigError(msg)
    # Only the scheme changes; urlunsplit would also drop the `//` of an empty host.
    return scheme + url[len(parts.scheme) :]


def port_from_env(environ: Mapping[str, str] | None = None) -> int:
    """Return PORT (default 8000)."""
    env = os.environ if environ is None else environ
    port = _integer(env, "PORT", DEFAULT_PORT, minimum=1)
    if port > _MAX_PORT:
        msg = f"PORT must be a TCP port between 1 and {_MAX_PORT}, not {port}"
        raise ConfigError(msg)
    return port


def _integer(env: Mapping[str, str], name: str, default: int, *, minimum: int) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        msg = f"{name} must be an integer, not {raw!r}"
        raise ConfigError(msg) from None
    if value < minimum:
        msg = f"{name} must be at least {minimum}, not {value}"
        raise ConfigError(msg)
    return value


def _seconds(env: Mapping[str, str], name: str, default: float) -> float:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not value > 0:
        msg = f"{name} must be a positive number of seconds, not {raw!r}"
        raise ConfigError(msg)
    return value
