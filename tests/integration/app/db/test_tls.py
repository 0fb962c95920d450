"""A real PostgreSQL with TLS: every front door of the app encrypts to a host not local.

The server listens on the loopback, but the URLs name it `db.semaine.test` (reached by
`hostaddr=127.0.0.1`): for app.db.tls that is another host, so TLS is required.
`log_connections` makes the server write, for each connection, whether it was encrypted.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from typing import TYPE_CHECKING

import pytest
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from app.config import ConfigError, normalise_database_url
from app.db.datamigration.backup import dump_table
from app.db.datamigration.connection import connect
from app.db.driver import connected
from app.db.errors import DatabaseUnreachableError
from app.db.tls import UnencryptedConnectionError
from semaine.executors.local.postgres import ThrowawayPostgres

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

pytestmark = pytest.mark.integration

NAME = "db.semaine.test"
ENCRYPTED = "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()"


def certificate(folder: Path) -> tuple[Path, Path]:
    """Make a self-signed certificate for NAME with openssl; return (cert, key)."""
    cert, key = folder / "server.crt", folder / "server.key"
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
            "-nodes", "-days", "2", "-subj", f"/CN={NAME}", "-addext", f"subjectAltName=DNS:{NAME}",
            "-keyout", str(key), "-out", str(cert),
        ],
        check=True, capture_output=True,
    )  # fmt: skip
    return cert, key


@pytest.fixture(scope="module")
def tls_server(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[ThrowawayPostgres, Path]]:
    """Start a throwaway PostgreSQL, then turn TLS on with a certificate for NAME."""
    cert, key = certificate(tmp_path_factory.mktemp("tls"))
    with ThrowawayPostgres(settings={"log_connections": "on"}) as server:
        owner = server.data_directory.stat()
        for source in (cert, key):
            target = server.data_directory / source.name
            shutil.copyfile(source, target)
            target.chmod(0o600)
            os.chown(target, owner.st_uid, owner.st_gid)
        with connected(server.url, autocommit=True) as admin:
            admin.execute("ALTER SYSTEM SET ssl = on")
            admin.execute("SELECT pg_reload_conf()")
        yield server, cert


def remote_url(server: ThrowawayPostgres, **options: str) -> str:
    """Return the server's URL under the non-local name NAME, reached by 127.0.0.1."""
    params = conninfo_to_dict(server.url)
    return make_conninfo("", **{**params, "host": NAME, "hostaddr": "127.0.0.1", **options})


def test_the_driver_encrypts_without_being_asked(
    tls_server: tuple[ThrowawayPostgres, Path],
) -> None:
    server, _ = tls_server
    with connected(remote_url(server)) as connection:
        assert connection.execute(ENCRYPTED).fetchone() == (True,)
        assert connection.info.get_parameters()  # a working session
        assert conninfo_to_dict(connection.info.dsn)["sslmode"] == "require"


def test_verify_full_is_kept_and_checks_the_certificate(
    tls_server: tuple[ThrowawayPostgres, Path],
) -> None:
    server, cert = tls_server
    url = remote_url(server, sslmode="verify-full", sslrootcert=str(cert))
    with connected(url) as connection:
        assert connection.execute(ENCRYPTED).fetchone() == (True,)
    # The same certificate under another name fails verification: it is really checked.
    wrong = remote_url(
        server, host="other.semaine.test", sslmode="verify-full", sslrootcert=str(cert)
    )
    with pytest.raises(DatabaseUnreachableError, match="does not match host name"):
        connected(wrong).__enter__()


def test_the_data_migration_connection_encrypts(tls_server: tuple[ThrowawayPostgres, Path]) -> None:
    server, _ = tls_server
    with connect(remote_url(server)) as connection:
        assert connection.execute(ENCRYPTED).fetchone() == {"ssl": True}


def test_pg_dump_encrypts(tls_server: tuple[ThrowawayPostgres, Path], tmp_path: Path) -> None:
    server, _ = tls_server
    if shutil.which("pg_dump") is None:
        pytest.fail("pg_dump is not on PATH: install postgresql-client (scripts/setup does)")
    with connected(server.url, autocommit=True) as admin:
        admin.execute("CREATE TABLE IF NOT EXISTS public.entries (id integer)")
    dump_table(remote_url(server), tmp_path / "entries.dump")
    log = server.log_path.read_text(encoding="utf-8", errors="replace")
    dumps = [line for line in log.splitlines() if "application_name=pg_dump" in line]
    assert dumps, "pg_dump's connection is not in the server log"
    assert all("SSL enabled" in line for line in dumps)


def test_clear_text_to_another_host_never_leaves(
    tls_server: tuple[ThrowawayPostgres, Path],
) -> None:
    server, _ = tls_server
    before = server.log_path.read_text(encoding="utf-8", errors="replace").count(
        "connection received"
    )
    with pytest.raises(UnencryptedConnectionError):
        connected(remote_url(server, sslmode="disable")).__enter__()
    with pytest.raises(ConfigError, match="sslmode=prefer"):
        normalise_database_url(remote_url_as_url(server, "prefer"))
    after = server.log_path.read_text(encoding="utf-8", errors="replace").count(
        "connection received"
    )
    assert after == before


def remote_url_as_url(server: ThrowawayPostgres, sslmode: str) -> str:
    """Return the server's URL form under NAME, with `sslmode`."""
    return (
        f"postgresql://postgres@{NAME}:{server.port}/postgres?hostaddr=127.0.0.1&sslmode={sslmode}"
    )


def test_a_server_without_tls_is_refused_rather_than_spoken_to_in_clear() -> None:
    # A server of its own (the session's may be a service with TLS): under a non-local
    # name, connecting fails instead of falling back to clear text.
    with ThrowawayPostgres() as plain, pytest.raises(DatabaseUnreachableError, match="SSL"):
        connected(remote_url(plain)).__enter__()
