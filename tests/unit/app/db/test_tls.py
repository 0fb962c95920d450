"""app.db.tls: TLS to every host but this machine, whatever form the URL takes."""

from __future__ import annotations

import psycopg
import pytest
from hypothesis import given
from hypothesis import strategies as st
from psycopg.conninfo import conninfo_to_dict

from app.config import ConfigError, Settings, normalise_database_url
from app.db.tls import ENCRYPTED, UnencryptedConnectionError, require_tls

NO_ENV: dict[str, str] = {}
REMOTE = "postgresql://user:s3cret@db.example.com:5432/semaine"


@pytest.mark.parametrize(
    "url",
    [
        "postgresql://user@localhost/semaine",
        "postgresql://user@LOCALHOST:5433/semaine",
        "postgresql://user@127.0.0.1:5432/semaine",
        "postgresql://user@127.0.0.2/semaine",
        "postgresql://user@[::1]:5432/semaine",
        "postgresql:///semaine",  # libpq's default Unix socket
        "postgresql:///semaine?host=/var/run/postgresql",
        "postgresql://user@localhost/semaine?sslmode=disable",  # local: the URL's choice
        "host=/tmp dbname=semaine",
        "host=localhost,127.0.0.1 dbname=semaine",
        "",
    ],
)
def test_a_connection_to_this_machine_is_left_as_it_is(url: str) -> None:
    assert require_tls(url, environ=NO_ENV) == url


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (REMOTE, f"{REMOTE}?sslmode=require"),
        (f"{REMOTE}?connect_timeout=5", f"{REMOTE}?connect_timeout=5&sslmode=require"),
        ("postgresql://u@db:5432/x?", "postgresql://u@db:5432/x?sslmode=require"),
        ("host=db.example.com dbname=x", "host=db.example.com dbname=x sslmode=require"),
        # A hostaddr goes where the host name does not say: both must be local.
        ("postgresql://u@localhost/x?hostaddr=10.0.0.5", "postgresql://u@localhost/x?hostaddr=10.0.0.5&sslmode=require"),
        ("postgresql://u@db.example/x?hostaddr=127.0.0.1", "postgresql://u@db.example/x?hostaddr=127.0.0.1&sslmode=require"),
        # One remote host among several is enough.
        ("host=localhost,db.example.com dbname=x",
         "host=localhost,db.example.com dbname=x sslmode=require"),
        ("postgresql://u@192.0.2.7/x", "postgresql://u@192.0.2.7/x?sslmode=require"),
    ],
)  # fmt: skip
def test_a_connection_to_another_host_requires_tls(url: str, expected: str) -> None:
    assert require_tls(url, environ=NO_ENV) == expected
    assert conninfo_to_dict(expected)["sslmode"] == "require"


@pytest.mark.parametrize("sslmode", ["require", "verify-ca", "verify-full"])
def test_an_encrypted_mode_the_url_asks_for_is_kept(sslmode: str) -> None:
    url = f"{REMOTE}?sslmode={sslmode}&sslrootcert=/etc/ca.pem"
    assert require_tls(url, environ=NO_ENV) == url


@pytest.mark.parametrize("sslmode", ["disable", "allow", "prefer"])
def test_a_mode_that_allows_clear_text_to_another_host_is_refused(sslmode: str) -> None:
    with pytest.raises(UnencryptedConnectionError) as caught:
        require_tls(f"{REMOTE}?sslmode={sslmode}", name="DATABASE_URL", environ=NO_ENV)
    message = str(caught.value)
    assert message.startswith(
        f"DATABASE_URL asks for sslmode={sslmode} (in the URL) to db.example.com, which could"
    )
    assert "set sslmode=verify-full" in message
    assert "s3cret" not in message
    assert caught.value.hosts == ("db.example.com",)


def test_libpq_s_environment_counts_as_libpq_would_read_it() -> None:
    # No host in the URL: libpq would take PGHOST.
    assert require_tls("postgresql:///x", environ={"PGHOST": "db.example.com"}) == (
        "postgresql:///x?sslmode=require"
    )
    # A stricter PGSSLMODE is written into the URL: pg_dump runs without PG* variables.
    assert require_tls(REMOTE, environ={"PGSSLMODE": "verify-full"}) == (
        f"{REMOTE}?sslmode=verify-full"
    )
    with pytest.raises(UnencryptedConnectionError, match=r"sslmode=disable \(PGSSLMODE\)"):
        require_tls(REMOTE, environ={"PGSSLMODE": "disable"})
    # The URL's own choice wins over the environment, as in libpq.
    assert require_tls(f"{REMOTE}?sslmode=require", environ={"PGSSLMODE": "disable"}) == (
        f"{REMOTE}?sslmode=require"
    )


def test_an_unparseable_url_is_refused_as_libpq_would_without_quoting_it() -> None:
    with pytest.raises(psycopg.ProgrammingError):
        require_tls("host='unterminated", environ=NO_ENV)
    with pytest.raises(ConfigError, match=r"^DATABASE_URL is not a valid PostgreSQL URL") as caught:
        normalise_database_url("postgresql://u:hunter%zz2@db.example.com/x?nonsense=1")
    assert "hunter" not in str(caught.value)


def test_the_service_settings_apply_the_rule() -> None:
    assert normalise_database_url("postgres://u:p@db.example.com/x") == (
        "postgresql://u:p@db.example.com/x?sslmode=require"
    )
    settings = Settings.from_env({"DATABASE_URL": "postgres://u:p@db.example.com/x"})
    assert settings.database_url.endswith("?sslmode=require")
    with pytest.raises(ConfigError, match=r"^DATABASE_URL asks for sslmode=disable") as caught:
        Settings.from_env({"DATABASE_URL": "postgres://u:p4ss@db.example.com/x?sslmode=disable"})
    assert "p4ss" not in str(caught.value)


HOSTS = st.sampled_from(["db.example.com", "10.1.2.3", "localhost", "127.0.0.1", "[::1]", ""])
MODES = st.sampled_from([None, "disable", "allow", "prefer", "require", "verify-ca", "verify-full"])


@given(host=HOSTS, sslmode=MODES)
def test_whatever_the_url_no_remote_connection_is_left_unencrypted(
    host: str, sslmode: str | None
) -> None:
    url = f"postgresql://u@{host}/x" + (f"?sslmode={sslmode}" if sslmode else "")
    local = host in {"localhost", "127.0.0.1", "[::1]", ""}
    try:
        result = require_tls(url, environ=NO_ENV)
    except UnencryptedConnectionError:
        assert not local
        assert sslmode in {"disable", "allow", "prefer"}
        return
    if local:
        assert result == url
    else:
        assert conninfo_to_dict(result)["sslmode"] in ENCRYPTED
