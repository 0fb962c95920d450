"""One actionable error base: every family renders "what happened. what to do" alike."""

import pytest

from app.db.datamigration.errors import DataMigrationError
from app.db.errors import DbError, UnknownRevisionError
from app.errors import ActionableError
from semaine.integrations.errors import IntegrationError
from semaine.integrations.heroku.errors import HerokuError


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
    assert revision.what_happened == str(revision)
