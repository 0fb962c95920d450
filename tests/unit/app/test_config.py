import dataclasses
import logging

import pytest
from pydantic import ValidationError

from app import __version__
from app.config import (
    ConfigError,
    Release,
    Settings,
    database_url_from_env,
    normalise_database_url,
    parse_port,
    port_from_env,
)

URL = "postgresql://user:pw@db.example.com:5432/semaine?sslmode=require"
"""A remote database, reached over TLS (app.db.tls adds sslmode=require when missing)."""


def test_defaults_from_a_minimal_environment() -> None:
    settings = Settings.from_env({"DATABASE_URL": URL})

    assert settings.database_url == URL
    assert settings.port == 8000
    assert 1 <= settings.pool_min_size <= settings.pool_max_size
    assert settings.pool_timeout > 0
    assert settings.release == Release(version=__version__, heroku_release=None, commit=None)
    with pytest.raises(dataclasses.FrozenInstanceError):
        settings.port = 1  # type: ignore[misc]


def test_every_setting_from_the_environment() -> None:
    settings = Settings.from_env(
        {
            "DATABASE_URL": URL,
            "PORT": "5001",
            "DATABASE_POOL_MIN_SIZE": "2",
            "DATABASE_POOL_MAX_SIZE": "7",
            "DATABASE_POOL_TIMEOUT": "2.5",
            "HEROKU_RELEASE_VERSION": "v42",
            "HEROKU_SLUG_COMMIT": "abc123",
            "SOURCE_VERSION": "ignored-when-slug-commit-is-set",
        }
    )

    assert (settings.port, settings.pool_min_size, settings.pool_max_size) == (5001, 2, 7)
    assert settings.pool_timeout == 2.5
    assert settings.release == Release(version="1.6.0", heroku_release="v42", commit="abc123")


def test_source_version_is_the_commit_without_a_slug_commit() -> None:
    assert Release.from_env({"SOURCE_VERSION": "def456"}).commit == "def456"


def test_the_package_version() -> None:
    assert __version__ == "1.6.0"


def test_heroku_postgres_scheme_is_normalised() -> None:
    environ = {"DATABASE_URL": "postgres://u:p@ec2.example.com:5432/d1?sslmode=require"}

    assert database_url_from_env(environ) == (
        "postgresql://u:p@ec2.example.com:5432/d1?sslmode=require"
    )


def test_a_unix_socket_url_with_a_host_parameter_is_accepted() -> None:
    url = "postgresql:///semaine?host=/var/run/postgresql"
    assert normalise_database_url(url) == url


def test_missing_database_url_says_what_to_set() -> None:
    with pytest.raises(ConfigError, match=r"DATABASE_URL is not set: set it to .*postgresql://"):
        Settings.from_env({})


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("mysql://root:hunter2@db/x", "must start with postgresql:// or postgres://"),
        ("postgresql://root:hunter2@db:notaport/x", "port or host is malformed"),
        ("postgresql://root:hunter2@/x", "has no host"),
        ("root:hunter2@db/x", "must start with postgresql://"),
        ("hunter2", "must start with postgresql:// or postgres://, it has no scheme"),
    ],
)
def test_invalid_database_url_is_explained_without_the_password(url: str, expected: str) -> None:
    with pytest.raises(ConfigError) as raised:
        Settings.from_env({"DATABASE_URL": url})

    assert expected in str(raised.value)
    assert "hunter2" not in str(raised.value)


@pytest.mark.parametrize("value", ["http", "0", "-1", "70000", "8_000", "80.0", "\u0668\u0660"])
def test_invalid_port_is_explained(value: str) -> None:
    expected = f"PORT must be a TCP port number from 1 to 65535, not {value!r}"
    with pytest.raises(ConfigError) as raised:
        port_from_env({"PORT": value})
    assert str(raised.value) == expected


@pytest.mark.parametrize(("value", "port"), [("1", 1), (" 8000 ", 8000), ("65535", 65535)])
def test_ports_from_1_to_65535_are_accepted(value: str, port: int) -> None:
    assert parse_port(value) == port
    assert port_from_env({"PORT": value}) == port


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({"DATABASE_POOL_MAX_SIZE": "0"}, "DATABASE_POOL_MAX_SIZE must be at least 1"),
        ({"DATABASE_POOL_MIN_SIZE": "-1"}, "DATABASE_POOL_MIN_SIZE must be at least 0"),
        (
            {"DATABASE_POOL_MIN_SIZE": "5", "DATABASE_POOL_MAX_SIZE": "3"},
            r"DATABASE_POOL_MIN_SIZE \(5\) is larger than DATABASE_POOL_MAX_SIZE \(3\)",
        ),
        ({"DATABASE_POOL_TIMEOUT": "soon"}, "positive number of seconds"),
        ({"DATABASE_POOL_TIMEOUT": "0"}, "positive number of seconds"),
        ({"DATABASE_POOL_TIMEOUT": "nan"}, "positive number of seconds"),
    ],
)
def test_invalid_pool_settings_are_explained(environ: dict[str, str], expected: str) -> None:
    with pytest.raises(ConfigError, match=expected):
        Settings.from_env({"DATABASE_URL": URL, **environ})


def test_port_and_pool_size_defaults_when_empty() -> None:
    assert port_from_env({"PORT": ""}) == 8000


# ------------------------------------------------------- the pydantic-settings model


def test_values_are_read_stripped() -> None:
    settings = Settings.from_env(
        {
            "DATABASE_URL": f"  {URL}\n",
            "PORT": " 5001 ",
            "DATABASE_POOL_MAX_SIZE": "\t7 ",
            "DATABASE_POOL_TIMEOUT": " 2.5",
            "HEROKU_RELEASE_VERSION": " v42 ",
        }
    )

    assert settings.database_url == URL
    assert (settings.port, settings.pool_max_size, settings.pool_timeout) == (5001, 7, 2.5)
    assert settings.release.heroku_release == "v42"


def test_a_blank_value_counts_as_unset() -> None:
    blank = {"PORT": "  ", "DATABASE_POOL_MIN_SIZE": " ", "DATABASE_POOL_TIMEOUT": "\t"}
    assert Settings.from_env({"DATABASE_URL": URL, **blank}) == Settings.from_env(
        {"DATABASE_URL": URL}
    )
    with pytest.raises(ConfigError, match=r"^DATABASE_URL is not set: set it to the PostgreSQL"):
        Settings.from_env({"DATABASE_URL": "   "})


def test_a_blank_slug_commit_falls_back_to_source_version() -> None:
    release = Release.from_env({"HEROKU_SLUG_COMMIT": " ", "SOURCE_VERSION": "def456"})
    assert release.commit == "def456"


def test_other_variables_are_ignored_semaine_ones_and_other_cases_included() -> None:
    # The pipeline and the load tests share the environment (SEMAINE_LOAD_RPS, ...).
    others = {
        "SEMAINE_PORT": "not-a-port",
        "SEMAINE_DATABASE_URL": "mysql://root:hunter2@db/x",
        "SEMAINE_LOAD_RPS": "50",
        "port": "not-a-port",
        "version": "0.0.0",
        "release": "v1",
    }

    settings = Settings.from_env({"DATABASE_URL": URL, **others})

    assert settings == Settings.from_env({"DATABASE_URL": URL})
    assert settings.release.version == __version__


def test_each_helper_reads_only_its_own_variable() -> None:
    # `db upgrade` must not fail on a bad PORT, nor `serve` on a bad DATABASE_URL.
    assert port_from_env({"PORT": "5001", "DATABASE_URL": "mysql://x"}) == 5001
    assert database_url_from_env({"DATABASE_URL": URL, "PORT": "http"}) == URL


def test_every_bad_setting_is_reported_on_one_line() -> None:
    environ = {"DATABASE_URL": URL, "PORT": "http", "DATABASE_POOL_TIMEOUT": "soon"}

    with pytest.raises(ConfigError) as raised:
        Settings.from_env(environ)

    assert str(raised.value) == (
        "PORT must be a TCP port number from 1 to 65535, not 'http'; "
        "DATABASE_POOL_TIMEOUT must be a positive number of seconds, not 'soon'"
    )


@pytest.mark.parametrize("value", ["inf", "1e400", "-inf"])
def test_an_infinite_pool_timeout_is_refused(value: str) -> None:
    with pytest.raises(ConfigError, match="DATABASE_POOL_TIMEOUT must be a positive number"):
        Settings.from_env({"DATABASE_URL": URL, "DATABASE_POOL_TIMEOUT": value})


def test_a_non_integer_pool_size_is_explained() -> None:
    with pytest.raises(ConfigError) as raised:
        Settings.from_env({"DATABASE_URL": URL, "DATABASE_POOL_MAX_SIZE": "2.5"})
    assert str(raised.value) == "DATABASE_POOL_MAX_SIZE must be an integer, not '2.5'"


def test_a_config_error_carries_neither_pydantic_text_nor_the_password() -> None:
    url = "postgres://root:hunter2@/x"

    with pytest.raises(ConfigError) as raised:
        Settings.from_env({"DATABASE_URL": url, "DATABASE_POOL_MAX_SIZE": "0"})

    message = str(raised.value)
    assert message == (
        "DATABASE_URL has no host: set it like postgresql://USER:PASSWORD@HOST:5432/DBNAME; "
        "DATABASE_POOL_MAX_SIZE must be at least 1, not 0"
    )
    assert "validation error" not in message
    # Not even chained: pydantic's ValidationError holds the raw values.
    assert raised.value.__context__ is None
    assert raised.value.__cause__ is None


def test_the_settings_repr_hides_the_database_url() -> None:
    settings = Settings.from_env({"DATABASE_URL": "postgresql://root:hunter2@db/x"})
    assert "hunter2" not in repr(settings)
    assert "hunter2" not in str(settings)


def test_pydantic_settings_debug_report_never_logs_the_password(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("PYDANTIC_SETTINGS_DEBUG", "1")
    caplog.set_level(logging.DEBUG)

    Settings.from_env({"DATABASE_URL": "postgresql://root:hunter2@db/x"})

    assert "hunter2" not in caplog.text


def test_constructing_settings_takes_the_values_given_not_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name, value in {"PORT": "http", "HEROKU_RELEASE_VERSION": "v9", "version": "0"}.items():
        monkeypatch.setenv(name, value)

    settings = Settings(database_url=URL, pool_timeout=0.25)

    assert (settings.port, settings.pool_timeout) == (8000, 0.25)
    assert Release() == Release(version=__version__, heroku_release=None, commit=None)


def test_constructed_settings_follow_the_same_rules() -> None:
    settings = Settings(database_url="postgres://u:p@db/x", port=5001)
    assert (settings.database_url, settings.port) == (
        "postgresql://u:p@db/x?sslmode=require",
        5001,
    )
    with pytest.raises(ValidationError, match=r"DATABASE_POOL_MIN_SIZE \(5\) is larger than"):
        Settings(database_url=URL, pool_min_size=5, pool_max_size=3)
    with pytest.raises(ValidationError, match="extra_forbidden"):
        Settings(database_url=URL, pool_timout=1.0)  # type: ignore[call-arg]


def test_a_release_is_frozen_too() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError, match="cannot assign to field 'commit'"):
        Release().commit = "abc"  # type: ignore[misc]
