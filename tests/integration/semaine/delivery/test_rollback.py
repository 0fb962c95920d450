"""roll_back: application, database and full rollbacks, authorised, against real components."""

from __future__ import annotations

from typing import TYPE_CHECKING

import httpx
import pytest

from app.db import migrate
from app.db.datamigration.connection import connect
from app.db.datamigration.frontdoor import FrontDoor
from app.db.datamigration.legacy import insert_legacy_rows, table_digest
from app.db.datamigration.operation import Request
from app.db.datamigration.runner import DataMigration, MigrationOptions
from semaine.delivery.database import DataRollback
from semaine.delivery.rollback import RollbackRequest, roll_back

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from tests.integration.semaine.conftest import Stage

pytestmark = pytest.mark.integration
APP = "semaine-staging"
EXPAND, CONTRACT = migrate.EXPAND_REVISION, migrate.CONTRACT_REVISION


def application(reason: str = "v3 breaks the week page", **kwargs: str | None) -> RollbackRequest:
    return RollbackRequest(rollback_type="application", reason=reason, **kwargs)  # type: ignore[arg-type]


def data_request(url: str, reports: Path, kind: str) -> RollbackRequest:
    request = Request(verb="rollback", environment="staging", report_dir=reports, reason="drill")
    data = DataRollback(url, request, FrontDoor("semaine", ("--environment", "staging")))
    return RollbackRequest(rollback_type=kind, reason="drill", data=data)  # type: ignore[arg-type]


@pytest.fixture
def contracted(make_database: Callable[..., str]) -> tuple[str, str]:
    """Give a database after the US1.6 data migration and the contract, and its digest before."""
    url = make_database(EXPAND)
    with connect(url) as conn:
        insert_legacy_rows(conn, 300)
        before = table_digest(conn)
    DataMigration(url, MigrationOptions(environment="staging")).migrate()
    migrate.upgrade(url, "head")
    return url, before


def digest(url: str) -> str:
    with connect(url) as conn:
        return table_digest(conn)


def test_an_application_rollback_goes_to_the_newest_earlier_eligible_release(
    stage: Stage,
) -> None:
    result = roll_back(stage.environment(), application(), stage.context())

    assert result.status == 0, result.record.detail
    record = result.record
    assert (record.from_release, record.to_release, record.outcome) == ("v3", "v2", "succeeded")
    assert record.rollback_type == "application"
    assert record.reason == "v3 breaks the week page"
    (post,) = stage.heroku.api_requests("POST")
    v2 = stage.heroku.releases.find(APP, "2")
    assert v2 is not None
    assert post.body == {"release": v2.id}
    assert stage.live() == "v4"
    assert stage.dynos.boots[-1] == ("v4", True)
    assert stage.heroku.violations == []


def test_to_release_names_the_target(stage: Stage) -> None:
    result = roll_back(stage.environment(), application(to_release="v1"), stage.context())

    assert result.status == 0, result.record.detail
    assert result.record.to_release == "v1"
    assert "Rollback to v1" in stage.heroku.releases.apps[APP][-1].description


def test_an_expired_target_is_refused_before_any_change(stage: Stage) -> None:
    stage.heroku.releases.apps[APP][1].status = "expired"

    result = roll_back(stage.environment(), application(to_release="v2"), stage.context())

    assert result.status == 2
    assert "v2 of semaine-staging cannot be rolled back to: expired" in result.record.detail
    assert result.record.outcome == "refused"
    assert stage.heroku.api_requests("POST") == []


def test_expired_and_ineligible_releases_are_skipped_or_named(stage: Stage) -> None:
    stage.heroku.releases.apps[APP][1].status = "expired"
    stage.heroku.releases.apps[APP][0].eligible = False

    result = roll_back(stage.environment(), application(), stage.context())

    assert result.status == 2
    assert "no earlier release of semaine-staging can be rolled back to" in result.record.detail
    assert "v2 expired" in result.record.detail
    assert "v1 not eligible for rollback" in result.record.detail
    assert stage.heroku.api_requests("POST") == []


def test_a_denied_actor_is_refused_before_any_request(stage: Stage) -> None:
    result = roll_back(stage.environment(), application(), stage.context(actor="mallory"))

    assert result.status == 2
    assert "mallory may not roll back staging" in result.record.detail
    assert stage.heroku.api_requests() == []


def test_production_needs_the_typed_confirmation(stage: Stage) -> None:
    production = stage.environment("production")

    missing = roll_back(production, application(), stage.context())
    wrong = roll_back(production, application(confirm="staging"), stage.context())
    assert (missing.status, wrong.status) == (2, 2)
    assert "add --confirm production" in missing.record.detail
    assert stage.heroku.api_requests() == []

    confirmed = roll_back(production, application(confirm="production"), stage.context())
    assert confirmed.status == 0, confirmed.record.detail


def test_a_blank_reason_is_refused(stage: Stage) -> None:
    result = roll_back(stage.environment(), application(reason="  "), stage.context())
    assert result.status == 2
    assert "--reason is blank" in result.record.detail
    assert stage.heroku.api_requests() == []


def test_a_second_application_rollback_finds_it_done(stage: Stage) -> None:
    first = roll_back(stage.environment(), application(), stage.context())
    again = roll_back(stage.environment(), application(), stage.context())

    assert (first.status, again.status) == (0, 0)
    assert len(stage.heroku.api_requests("POST")) == 1
    assert [(s.name, s.outcome) for s in again.record.steps] == [
        ("application rollback", "skipped"),
        ("smoke test of the rollback", "succeeded"),
    ]


def test_a_rollback_release_left_pending_is_followed_not_made_again(stage: Stage) -> None:
    target = stage.heroku.releases.find(APP, "2")
    assert target is not None
    stage.heroku.releases.roll_back(APP, target)  # a run stopped while Heroku worked on it

    result = roll_back(stage.environment(), application(), stage.context())

    assert result.status == 0, result.record.detail
    assert stage.heroku.api_requests("POST") == []
    assert result.record.to_release == "v2"
    assert stage.live() == "v4"


def test_a_database_rollback_takes_the_schema_down_then_restores_the_data(
    stage_on: Callable[[str], Stage], contracted: tuple[str, str], tmp_path: Path
) -> None:
    url, before = contracted
    stage = stage_on(url)
    assert digest(url) != before

    result = roll_back(
        stage.environment(), data_request(url, tmp_path, "database"), stage.context()
    )

    assert result.status == 0, result.record.detail
    assert migrate.current_revision(url) == EXPAND
    assert digest(url) == before
    assert [s.name for s in result.record.steps] == ["schema rollback", "data rollback"]
    assert stage.heroku.api_requests() == []  # the application is not touched
    ready = httpx.get(f"{stage.dynos.url}/readyz")
    assert ready.status_code == 200  # the running release supports 0002


def test_a_full_rollback_prints_its_plan_and_keeps_the_code_compatible(
    stage_on: Callable[[str], Stage], contracted: tuple[str, str], tmp_path: Path
) -> None:
    url, before = contracted
    stage = stage_on(url)

    result = roll_back(stage.environment(), data_request(url, tmp_path, "full"), stage.context())

    assert result.status == 0, result.record.detail
    plan = next(said for said in stage.said if said.startswith("full rollback of staging"))
    steps = plan.splitlines()[1:]
    assert [line.split(":")[0].strip() for line in steps] == [
        "1. schema",
        "2. application",
        "3. data",
    ]
    assert "v3 -> v2" in steps[1]
    assert stage.said.index(plan) < min(
        i for i, s in enumerate(stage.said) if s.startswith("schema:")
    )
    assert [s.name for s in result.record.steps] == [
        "schema rollback",
        "application rollback",
        "smoke test of the rollback",
        "data rollback",
    ]
    assert (migrate.current_revision(url), digest(url), stage.live()) == (EXPAND, before, "v4")


def test_a_full_rollback_at_expand_rolls_the_application_back_first(
    stage_on: Callable[[str], Stage], make_database: Callable[..., str], tmp_path: Path
) -> None:
    url = make_database(EXPAND)
    with connect(url) as conn:
        insert_legacy_rows(conn, 50)
        before = table_digest(conn)
    DataMigration(url, MigrationOptions(environment="staging")).migrate()
    stage = stage_on(url)

    result = roll_back(stage.environment(), data_request(url, tmp_path, "full"), stage.context())

    assert result.status == 0, result.record.detail
    assert result.record.steps[0].name == "application rollback"
    assert digest(url) == before
