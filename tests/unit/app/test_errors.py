"""One actionable error base: every family renders "what happened. what to do" alike."""

import pytest

from app.cli import CliError
from app.config import ConfigError
from app.db.datamigration.errors import DataMigrationError
from app.db.devserver import DevServerError
from app.db.errors import (
    DbError,
    LegacyRowsRemainError,
    LegacySeedRefusedError,
    UnknownRevisionError,
)
from app.errors import ActionableError
from semaine.cli.migration_verbs import ConfigurationError
from semaine.executors.local.app_server import AppStartError
from semaine.executors.local.postgres_error import PostgresError
from semaine.executors.local.report_folder import ReportFolderError
from semaine.integrations.errors import IntegrationError
from semaine.integrations.heroku.errors import HerokuError
from semaine.secrets import (
    MissingEnvironmentSecretError,
    SecretError,
    UnreadableSecretFileError,
    UnsupportedSecretAddressError,
)


@pytest.mark.parametrize("family", [DataMigrationError, DbError, IntegrationError, HerokuError])
def test_every_error_family_derives_from_the_one_base(family: type[Exception]) -> None:
    assert issubclass(family, ActionableError)


def test_the_line_is_what_happened_then_what_to_do() -> None:
    error = ActionableError("the lock is held", "wait for the other run")
    assert str(error) == "the lock is held. wait for the other run"
    assert (error.what_happened, error.what_to_do) == ("the lock is held", "wait for the other run")
    assert str(ActionableError("nothing to do")) == "nothing to do"


def test_each_family_fills_both_parts() -> None:
    migration = DataMigrationError("the schema is at 0001", "run python -m app db upgrade")
    assert migration.what_to_do == migration.next_step == "run python -m app db upgrade"
    integration = IntegrationError("Heroku answered 503", "retry later")
    assert str(integration) == "Heroku answered 503. retry later"
    revision = UnknownRevisionError("9999", ["0001_legacy"])
    assert revision.what_happened == "unknown schema revision '9999'"
    assert revision.what_to_do == "name a known revision: 0001_legacy (or head, base)"


@pytest.mark.parametrize(
    "family",
    [
        ConfigError,
        CliError,
        DevServerError,
        SecretError,
        ConfigurationError,
        ReportFolderError,
        AppStartError,
        PostgresError,
    ],
)
def test_the_user_facing_errors_of_both_sides_derive_from_the_one_base(
    family: type[Exception],
) -> None:
    assert issubclass(family, ActionableError)


def test_a_config_error_stays_a_value_error_for_pydantic_validators() -> None:
    assert issubclass(ConfigError, ValueError)


@pytest.mark.parametrize(
    ("error", "what_to_do"),
    [
        (LegacyRowsRemainError(2), "run the US1.6 data migration first"),
        (
            LegacySeedRefusedError(None, ["0001_legacy"], "python -m app db downgrade base"),
            "on a throwaway database, run python -m app db downgrade base first",
        ),
        (MissingEnvironmentSecretError("DB"), "export it, or pass file://PATH"),
        (UnsupportedSecretAddressError("op://vault/item"), "running locally, pass env://NAME"),
        (UnsupportedSecretAddressError("postgres://u:pw@h/db"), "use env://NAME or file://PATH"),
        (UnreadableSecretFileError("/x", "no such file"), "make it a readable, non-empty file"),
    ],
)
def test_the_advice_is_its_own_part_not_written_into_what_happened(
    error: ActionableError, what_to_do: str
) -> None:
    assert error.what_to_do.startswith(what_to_do)
    assert what_to_do not in error.what_happened
    assert str(error) == f"{error.what_happened}. {error.what_to_do}"
