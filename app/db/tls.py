"""Encryption in transit to PostgreSQL: the one rule every connection string goes through.

A connection to any host but this machine must be encrypted. `require_tls` returns the
connection string with an explicit `sslmode`:

- to a local host (a Unix socket, `localhost`, a loopback address): unchanged;
- to any other host: `sslmode=require`, unless the string (or `PGSSLMODE`, which libpq
  would read) asks for more: `verify-ca` and `verify-full` are kept, and written into the
  string so that no environment read later (pg_dump's, a pool's) can weaken them;
- `disable`, `allow` or `prefer` to any other host: refused with
  `UnencryptedConnectionError`, before a single packet leaves.

The app (config, driver, pool, data migration, pg_dump) and the pipeline (the migration
verbs, the executors) all call it: one place decides, docs/architecture.md says why.
"""

from __future__ import annotations

import ipaddress
import os
from typing import TYPE_CHECKING

from psycopg.conninfo import conninfo_to_dict

from app.db.errors import DbError

if TYPE_CHECKING:
    from collections.abc import Mapping

REQUIRED = "require"
ENCRYPTED = frozenset({"require", "verify-ca", "verify-full"})
"""The sslmodes under which libpq never talks to the server in clear text."""
LOCAL_NAMES = frozenset({"localhost"})


class UnencryptedConnectionError(DbError, ValueError):
    """A connection string asks for clear text (or maybe clear text) to a non-local host."""

    what_to_do = (
        "remove the sslmode (sslmode=require is then used) or set sslmode=verify-full;"
        " only a connection to this machine may go unencrypted"
    )

    def __init__(self, name: str, sslmode: str, source: str, hosts: tuple[str, ...]) -> None:
        self.sslmode = sslmode
        self.hosts = hosts
        super().__init__(
            f"{name} asks for sslmode={sslmode} ({source}) to {', '.join(hosts)},"
            " which could send the password and the data unencrypted"
        )


def require_tls(
    conninfo: str, *, name: str = "the database URL", environ: Mapping[str, str] | None = None
) -> str:
    """Return `conninfo` with the sslmode its host needs; raise UnencryptedConnectionError.

    A string libpq cannot parse raises psycopg's error, as connecting would: call this
    inside app.db.driver's boundary (`driver_errors(url, connecting=True)`).
    """
    env = os.environ if environ is None else environ
    params = conninfo_to_dict(conninfo)
    hosts = _hosts(params, env)
    if all(_is_local(host) for host in hosts):
        return conninfo
    given = params.get("sslmode")
    sslmode, source = (str(given), "in the URL") if given else (env.get("PGSSLMODE"), "PGSSLMODE")
    if not sslmode:
        return _with_sslmode(conninfo, REQUIRED)
    if sslmode not in ENCRYPTED:
        raise UnencryptedConnectionError(name, sslmode, source, tuple(h for h in hosts if h))
    return conninfo if given else _with_sslmode(conninfo, sslmode)


def _hosts(params: Mapping[str, object], env: Mapping[str, str]) -> tuple[str, ...]:
    # libpq falls back on PGHOST / PGHOSTADDR; a connection goes to hostaddr when given,
    # yet the name in `host` is what TLS would verify: both must be local to skip TLS.
    found: list[str] = []
    for key, variable in (("host", "PGHOST"), ("hostaddr", "PGHOSTADDR")):
        value = str(params.get(key) or env.get(variable) or "")
        found += [part.strip() for part in value.split(",")]
    return tuple(found)


def _is_local(host: str) -> bool:
    # Empty: libpq's default Unix socket. "/dir" or "@name": a Unix socket.
    if not host or host.startswith(("/", "@")) or host.lower() in LOCAL_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _with_sslmode(conninfo: str, sslmode: str) -> str:
    """Return `conninfo` (a URL or key=value string) with `sslmode` added."""
    if "://" not in conninfo:
        return f"{conninfo} sslmode={sslmode}".strip()
    base, _, query = conninfo.partition("?")
    joiner = "&" if query and not query.endswith("&") else ""
    return f"{base}?{query}{joiner}sslmode={sslmode}"
