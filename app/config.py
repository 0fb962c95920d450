"""Settings from the environment (DATABASE_URL, PORT, release, pool sizes): pydantic-settings.

One model declares each setting's environment variable (its `validation_alias`), default
and rule; `from_env` reads exactly those names from a mapping (os.environ by default),
stripped, a blank value counting as unset. Any other variable is ignored, SEMAINE_*
included: the pipeline and the load tests share the environment (SEMAINE_LOAD_RPS, ...).
Every failure is a `ConfigError` with our one-line message per setting: pydantic's own
report quotes the raw values, DATABASE_URL's password among them, so it never leaves here.
"""

from __future__ import annotations

import dataclasses
import logging
import os
from typing import TYPE_CHECKING, Any, NoReturn, Self
from urllib.parse import parse_qsl, urlsplit

from pydantic import AliasChoices, Field, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

from app import __version__
from app.db.driver import driver_errors
from app.db.errors import DatabaseUnreachableError
from app.db.tls import UnencryptedConnectionError, require_tls
from app.errors import ActionableError

if TYPE_CHECKING:
    from collections.abc import Mapping

    from pydantic import ValidationInfo
    from pydantic.fields import FieldInfo

DEFAULT_PORT = 8000
DEFAULT_POOL_MIN_SIZE = 1
# Heroku Postgres' smallest plans allow 20 connections; leave room for a release
# phase, a one-off dyno and the data migration next to one web dyno.
DEFAULT_POOL_MAX_SIZE = 10
DEFAULT_POOL_TIMEOUT = 10.0

# pydantic-settings' DEBUG report (PYDANTIC_SETTINGS_DEBUG=1) lists every value it read,
# DATABASE_URL's password included: its logger never goes below INFO.
logging.getLogger("pydantic_settings").setLevel(logging.INFO)

_SCHEMES = {"postgres": "postgresql", "postgresql": "postgresql"}
_TRUE = frozenset({"true", "1", "yes", "on"})
_FALSE = frozenset({"false", "0", "no", "off"})
_MAX_PORT = 65535


class ConfigError(ActionableError, ValueError):
    """A setting is missing or invalid; the message says what to set.

    A ValueError too: pydantic's validators turn ValueErrors into validation errors.
    """


class _EnvironSource(PydanticBaseSettingsSource):
    """The values a mapping holds under the names the fields declare (validation_alias)."""

    def __init__(self, settings_cls: type[BaseSettings], environ: Mapping[str, str]) -> None:
        super().__init__(settings_cls)
        self._environ = environ

    def get_field_value(self, field: FieldInfo, field_name: str) -> tuple[Any, str, bool]:
        """Return the first non-blank value among the field's names (stripped), and that name."""
        for name in _env_names(field):
            value = self._environ.get(name, "").strip()
            if value:
                return value, name, False
        return None, field_name, False

    def __call__(self) -> dict[str, Any]:
        """Return {variable name: value} for every setting the mapping sets."""
        values = {}
        for field_name, field in self.settings_cls.model_fields.items():
            value, name, _ = self.get_field_value(field, field_name)
            if value is not None:
                values[name] = value
        return values


def _env_names(field: FieldInfo) -> tuple[str, ...]:
    """Return the environment variables a field is read from; none for a field without alias."""
    alias = field.validation_alias
    if isinstance(alias, str):
        return (alias,)
    if isinstance(alias, AliasChoices):
        return tuple(choice for choice in alias.choices if isinstance(choice, str))
    return ()


class _FromEnvironment(BaseSettings):
    """A frozen settings model: `from_env` reads it, the constructor takes explicit values."""

    model_config = SettingsConfigDict(
        frozen=True, extra="forbid", validate_by_name=True, validate_by_alias=True
    )

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],  # noqa: ARG003 - pydantic-settings' hook signature
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,  # noqa: ARG003
        dotenv_settings: PydanticBaseSettingsSource,  # noqa: ARG003
        file_secret_settings: PydanticBaseSettingsSource,  # noqa: ARG003
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        """Take the constructor's values only: from_env is the one reader of the environment."""
        # So Settings(database_url=...) in a test never picks up the developer's PORT.
        return (init_settings,)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Self:
        """Read the settings from `environ` (default: os.environ); raise ConfigError."""
        values = cls._values_from(os.environ if environ is None else environ)
        try:
            return cls(**values)
        except ValidationError as error:
            problem = _config_error(cls, error)
        # Raised outside the except clause: no __context__ carrying the raw values.
        raise problem

    @classmethod
    def _values_from(cls, environ: Mapping[str, str]) -> dict[str, Any]:
        return _EnvironSource(cls, environ)()

    def __setattr__(self, name: str, value: object) -> NoReturn:
        # The dataclass contract callers know, instead of pydantic's ValidationError.
        msg = f"cannot assign to field {name!r}: settings are read once; build new ones"
        raise dataclasses.FrozenInstanceError(msg)


def _config_error(model: type[BaseSettings], error: ValidationError) -> ConfigError:
    """Return our one-line messages for pydantic's errors, never quoting a raw value."""
    messages: list[str] = []
    for detail in error.errors(include_url=False, include_input=False):
        cause = detail.get("ctx", {}).get("error")
        if isinstance(cause, ConfigError):
            messages.append(str(cause))
            continue
        # Only a required variable left unset gets here: every rule raises ConfigError.
        name = str(detail["loc"][0])
        state = "is not set" if detail["type"] == "missing" else "is not valid"
        messages.append(f"{name} {state}: set it to {_settings_by_name(model)[name].description}")
    return ConfigError("; ".join(dict.fromkeys(messages)))


def _settings_by_name(model: type[BaseSettings]) -> dict[str, FieldInfo]:
    """Return the model's fields by the environment variables they are read from."""
    return {name: field for field in model.model_fields.values() for name in _env_names(field)}


def _env_name(model: type[BaseSettings], field_name: str | None) -> str:
    """Return the (first) environment variable of a field, the subject of its messages."""
    return _env_names(model.model_fields[field_name or ""])[0]


class Release(_FromEnvironment):
    """What is running: the package version and, on Heroku, the release and commit."""

    # No alias: not a setting, always this package's version.
    version: str = __version__
    heroku_release: str | None = Field(
        None, validation_alias="HEROKU_RELEASE_VERSION", description="the Heroku release (v42)"
    )
    commit: str | None = Field(
        None,
        validation_alias=AliasChoices("HEROKU_SLUG_COMMIT", "SOURCE_VERSION"),
        description="the commit deployed (Heroku sets HEROKU_SLUG_COMMIT, builds SOURCE_VERSION)",
    )


class _DatabaseUrl(_FromEnvironment):
    """DATABASE_URL alone: what the `db` verbs need (`database_url_from_env`)."""

    database_url: str = Field(
        validation_alias="DATABASE_URL",
        description="the PostgreSQL URL, for example postgresql://USER:PASSWORD@HOST:5432/DBNAME",
        repr=False,  # it holds the password
    )

    @field_validator("database_url")
    @classmethod
    def _normalised(cls, url: str) -> str:
        return normalise_database_url(url)


class _Port(_FromEnvironment):
    """PORT alone: what `serve` binds when --port is not given (`port_from_env`)."""

    port: int = Field(DEFAULT_PORT, validation_alias="PORT", description="the HTTP port")

    @field_validator("port", mode="before")
    @classmethod
    def _port(cls, value: object, info: ValidationInfo) -> int:
        try:
            return parse_port(str(value))
        except ConfigError as error:
            msg = f"{_env_name(cls, info.field_name)} {error}"
            raise ConfigError(msg) from None


class _HttpsOnly(_FromEnvironment):
    """HTTPS_ONLY alone: what the app factory needs before any request (`https_only_from_env`)."""

    https_only: bool = Field(
        False,  # noqa: FBT003 - pydantic's positional default
        validation_alias="HTTPS_ONLY",
        description=(
            "true behind Heroku's router (plain-HTTP requests redirected to https, HSTS sent),"
            " false elsewhere"
        ),
    )

    @field_validator("https_only", mode="before")
    @classmethod
    def _https_only(cls, value: object, info: ValidationInfo) -> bool:
        text = str(value).strip().lower()
        if text in _TRUE or text in _FALSE:
            return text in _TRUE
        msg = f"{_env_name(cls, info.field_name)} must be true or false, not {value!r}"
        raise ConfigError(msg)


class Settings(_HttpsOnly, _Port, _DatabaseUrl):
    """The service's settings, read once from the environment (`Settings.from_env`)."""

    pool_min_size: int = Field(
        DEFAULT_POOL_MIN_SIZE,
        validation_alias="DATABASE_POOL_MIN_SIZE",
        description="the connections the pool keeps open, at least 0",
    )
    pool_max_size: int = Field(
        DEFAULT_POOL_MAX_SIZE,
        validation_alias="DATABASE_POOL_MAX_SIZE",
        description="the most connections the pool opens, at least 1",
    )
    pool_timeout: float = Field(
        DEFAULT_POOL_TIMEOUT,
        validation_alias="DATABASE_POOL_TIMEOUT",
        description="seconds to wait for the pool (at startup and per request)",
    )
    release: Release = Field(default_factory=Release)

    @field_validator("pool_min_size", mode="before")
    @classmethod
    def _pool_min_size(cls, value: object, info: ValidationInfo) -> int:
        return _integer(_env_name(cls, info.field_name), value, minimum=0)

    @field_validator("pool_max_size", mode="before")
    @classmethod
    def _pool_max_size(cls, value: object, info: ValidationInfo) -> int:
        return _integer(_env_name(cls, info.field_name), value, minimum=1)

    @field_validator("pool_timeout", mode="before")
    @classmethod
    def _pool_timeout(cls, value: object, info: ValidationInfo) -> float:
        return _seconds(_env_name(cls, info.field_name), value)

    @model_validator(mode="after")
    def _pool_fits(self) -> Self:
        if self.pool_min_size > self.pool_max_size:
            low = _env_name(type(self), "pool_min_size")
            high = _env_name(type(self), "pool_max_size")
            msg = (
                f"{low} ({self.pool_min_size}) is larger than {high} "
                f"({self.pool_max_size}): set it to at most {self.pool_max_size}"
            )
            raise ConfigError(msg)
        return self

    @classmethod
    def _values_from(cls, environ: Mapping[str, str]) -> dict[str, Any]:
        return {**super()._values_from(environ), "release": Release.from_env(environ)}


def database_url_from_env(environ: Mapping[str, str] | None = None) -> str:
    """Return DATABASE_URL, normalised (postgres:// becomes postgresql://)."""
    return _DatabaseUrl.from_env(environ).database_url


def port_from_env(environ: Mapping[str, str] | None = None) -> int:
    """Return PORT (default 8000)."""
    return _Port.from_env(environ).port


def https_only_from_env(environ: Mapping[str, str] | None = None) -> bool:
    """Return HTTPS_ONLY (default false)."""
    return _HttpsOnly.from_env(environ).https_only


def normalise_database_url(url: str, *, name: str = "DATABASE_URL") -> str:
    """Validate a PostgreSQL URL and return it with the `postgresql://` scheme and its TLS.

    A non-local host gets `sslmode=require` unless the URL asks for more; less is refused
    (app.db.tls.require_tls).

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
        found = f"not {parts.scheme}://" if parts.scheme else "it has no scheme"
        msg = f"{name} must start with postgresql:// or postgres://, {found}"
        raise ConfigError(msg)
    query_host = any(key == "host" for key, _ in parse_qsl(parts.query))
    if not parts.hostname and not query_host:
        msg = (
            f"{name} has no host: set it like postgresql://USER:PASSWORD@HOST:{port or 5432}/DBNAME"
        )
        raise ConfigError(msg)
    # Only the scheme changes; urlunsplit would also drop the `//` of an empty host.
    try:
        with driver_errors(url, connecting=True):
            return require_tls(scheme + url[len(parts.scheme) :], name=name)
    except UnencryptedConnectionError as error:
        raise ConfigError(str(error)) from None
    except DatabaseUnreachableError as error:  # libpq cannot parse it (reason scrubbed)
        msg = f"{name} is not a valid PostgreSQL URL ({error.reason}): check it"
        raise ConfigError(msg) from None


def parse_port(raw: str) -> int:
    """Return `raw` as a TCP port (1..65535): the one rule of PORT and `serve --port`."""
    text = raw.strip()
    # isdigit alone accepts other scripts' digits and superscripts; int() accepts "8_000".
    if text.isascii() and text.isdigit() and 1 <= int(text) <= _MAX_PORT:
        return int(text)
    # The message has no subject: each caller names the setting (PORT, --port).
    msg = f"must be a TCP port number from 1 to {_MAX_PORT}, not {raw!r}"
    raise ConfigError(msg)


def _integer(name: str, raw: object, *, minimum: int) -> int:
    text = str(raw).strip()
    try:
        value = int(text)
    except ValueError:
        msg = f"{name} must be an integer, not {text!r}"
        raise ConfigError(msg) from None
    if value < minimum:
        msg = f"{name} must be at least {minimum}, not {value}"
        raise ConfigError(msg)
    return value


def _seconds(name: str, raw: object) -> float:
    text = str(raw).strip()
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    # The comparison refuses NaN too; inf is no timeout (and open_pool's int() would overflow).
    if not 0 < value < float("inf"):
        msg = f"{name} must be a positive number of seconds, not {text!r}"
        raise ConfigError(msg)
    return value
