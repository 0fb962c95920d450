"""The one boundary between the app and psycopg: how a driver error reads, what it becomes.

Each connect and each unit of queries runs inside `driver_errors(url)` (or `connected`,
which opens a connection inside it): a psycopg error
raised there (or one SQLAlchemy wraps, as alembic's revisions do) leaves it as one of
the app's typed errors (app/db/errors.py), described on one line by `describe`:

- `DatabaseUnreachableError`: connecting failed (`connecting=True`: refused, unknown
  host or database, wrong password, malformed URL), or the pool had no connection ready;
- `RejectedValueError`: PostgreSQL rejected a value (a constraint, a type, a range);
- `QueryFailedError`: any other failure of a statement (a syntax error, a statement
  cancelled by statement_timeout, a connection lost on the way).

No message holds the URL's password: every description goes through app.redaction.
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import psycopg
from psycopg import errors
from psycopg.conninfo import conninfo_to_dict
from psycopg_pool import PoolTimeout

from app.db.errors import (
    DatabaseUnreachableError,
    DriverError,
    QueryFailedError,
    RejectedValueError,
)
from app.db.tls import require_tls
from app.redaction import MALFORMED_URL, redact_url, scrub

if TYPE_CHECKING:
    from collections.abc import Iterator
    from types import TracebackType

DEFAULT_PORT = 5432

TRANSIENT: tuple[type[psycopg.Error], ...] = (
    errors.LockNotAvailable,
    errors.DeadlockDetected,
    errors.SerializationFailure,
)
"""What a concurrent transaction can cause: the same work may succeed when retried."""


def describe(error: BaseException, *secrets: str) -> str:
    """Return `error` on one line: its class, SQLSTATE if any, first message line; scrubbed."""
    head = type(error).__name__
    sqlstate = error.sqlstate if isinstance(error, psycopg.Error) else None
    if sqlstate:
        head = f"{head} (SQLSTATE {sqlstate})"
    first_line = next((line.strip() for line in str(error).splitlines() if line.strip()), "")
    return scrub(f"{head}: {first_line}" if first_line else head, *_secrets(secrets))


def target(url: str) -> str:
    """Name where `url` leads, as host:port/database: never its user or password."""
    if not url:
        return "the configured database"
    if "://" not in url:
        return redact_url(url)  # a libpq key=value string: no host:port to pick out
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return MALFORMED_URL
    return f"{parts.hostname or 'the local socket'}:{port or DEFAULT_PORT}{parts.path}"


def translate(error: psycopg.Error, url: str = "", *, connecting: bool = False) -> DriverError:
    """Return the app's typed error for a psycopg error (`url`: where it happened, if known)."""
    description = describe(error, url)
    driver_class = type(error).__name__
    if connecting or isinstance(error, PoolTimeout):
        return DatabaseUnreachableError(
            target(url), description, driver_class=driver_class, sqlstate=error.sqlstate
        )
    if isinstance(error, psycopg.IntegrityError | psycopg.DataError):
        return RejectedValueError(
            description,
            driver_class=driver_class,
            sqlstate=error.sqlstate,
            constraint=error.diag.constraint_name,
        )
    return QueryFailedError(description, driver_class=driver_class, sqlstate=error.sqlstate)


def driver_error(error: BaseException) -> psycopg.Error | None:
    """Return the psycopg error behind `error` (itself, or what SQLAlchemy wrapped), or None."""
    if isinstance(error, psycopg.Error):
        return error
    wrapped = getattr(error, "orig", None)  # sqlalchemy.exc.DBAPIError, without importing it
    return wrapped if isinstance(wrapped, psycopg.Error) else None


class DriverErrors:
    """The boundary (`with` or `async with`): psycopg errors leave it as the app's errors."""

    def __init__(self, url: str, *, connecting: bool) -> None:
        self._url = url
        self._connecting = connecting

    def __enter__(self) -> None:
        """Enter the boundary."""

    def __exit__(
        self,
        _kind: type[BaseException] | None,
        error: BaseException | None,
        _traceback: TracebackType | None,
    ) -> None:
        """Raise the typed error for a driver error; let any other exception through."""
        cause = None if error is None else driver_error(error)
        if cause is not None:
            # Not chained: the driver's own message and its context stay out of tracebacks.
            raise translate(cause, self._url, connecting=self._connecting) from None

    async def __aenter__(self) -> None:
        """Enter the boundary."""

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        """Raise the typed error for a driver error; let any other exception through."""
        self.__exit__(kind, error, traceback)


def driver_errors(url: str = "", *, connecting: bool = False) -> DriverErrors:
    """Return the boundary around a connect (`connecting=True`) or queries to `url`."""
    return DriverErrors(url, connecting=connecting)


@contextlib.contextmanager
def connected(url: str, **options: Any) -> Iterator[psycopg.Connection[Any]]:  # noqa: ANN401 - psycopg.connect's own keyword arguments
    """Yield a connection to `url`, closed after: connecting and queries within the boundary.

    A non-local host is reached over TLS only (app.db.tls).
    """
    with driver_errors(url, connecting=True):
        connection = psycopg.connect(require_tls(url), **options)
    with connection, driver_errors(url):
        yield connection


def _secrets(given: tuple[str, ...]) -> list[str]:
    # The password as libpq reads it (percent-decoded, or from a key=value string) may
    # differ from the URL's text; its own messages quote it ("invalid percent-encoded token").
    found = list(given)
    for secret in given:
        try:
            password = conninfo_to_dict(secret).get("password")
        except psycopg.Error:
            continue
        if isinstance(password, str) and password:
            found.append(password)
    return found
