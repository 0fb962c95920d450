"""The one error of the throwaway PostgreSQL, from finding its binaries to stopping it."""

from app.errors import ActionableError


class PostgresError(ActionableError, RuntimeError):
    """The throwaway PostgreSQL could not be found, started or used."""
