"""The one error of the throwaway PostgreSQL, from finding its binaries to stopping it."""


class PostgresError(RuntimeError):
    """The throwaway PostgreSQL could not be found, started or used."""
