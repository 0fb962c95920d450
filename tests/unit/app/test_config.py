import dataclasses

import pytest

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

URL = "postgresql://user:pw@db.example.com:5432/semaine"


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
