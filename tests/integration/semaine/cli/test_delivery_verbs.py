"""`semaine release` and `semaine rollback` as a person runs them: flags, secrets, exit statuses."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from app.db import migrate
from app.db.datamigration.connection import connect
from app.db.datamigration.legacy import insert_legacy_rows, table_digest
from app.db.datamigration.runner import DataMigration, MigrationOptions
from semaine.cli import main
from tests.inprocess import Completed, run_main
from tests.integration.semaine.conftest import ACTOR, NEW_RELEASE, NEW_WEB
from tests.paths import ROOT

if TYPE_CHECKING:
    from collections.abc import Callable

    from tests.integration.semaine.conftest import Stage

pytestmark = pytest.mark.integration
SEMAINE = str(Path(sys.executable).with_name("semaine"))
HANG_GUARD_SECONDS = 60


def environ(stage: Stage, **extra: str | None) -> dict[str, str | None]:
    return {
        "HEROKU_API_URL": stage.heroku.url,
        "HEROKU_API_KEY": stage.heroku.api_key,
        "SEMAINE_ENVIRONMENT_URL": stage.dynos.url,
        "GITHUB_ACTOR": ACTOR,
        **extra,
    }


def common(stage: Stage) -> tuple[str, ...]:
    return ("--project-dir", str(ROOT), "--reports", str(stage.reports))


def release(stage: Stage, *flags: str, **extra: str | None) -> Completed:
    images = ("--web-image", NEW_WEB, "--release-image", NEW_RELEASE)
    arguments = ("release", "--environment", "staging", *images, *common(stage), *flags)
    return run_main(main, arguments, environ(stage, **extra))


def test_release_exits_0_and_prints_its_record(stage: Stage) -> None:
    result = release(stage)

    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("deploy staging: succeeded")
    assert "from v3 to v4" in result.stdout
    assert f"by {ACTOR}," in result.stdout  # GITHUB_ACTOR, as Actions sets it
    assert "record written to" in result.stderr
    assert stage.heroku.api_key not in result.stdout + result.stderr


def test_release_names_the_actor_given_over_github_actor(stage: Stage) -> None:
    # `dagger call deploy --actor` passes it: the engine cannot see GITHUB_ACTOR.
    result = release(stage, "--actor", "octocat")

    assert result.returncode == 0, result.stderr
    assert "by octocat," in result.stdout
    (record,) = (stage.reports / "deployments").glob("*.json")
    assert json.loads(record.read_text("utf-8"))["actor"] == "octocat"


def test_a_missing_key_is_refused_before_any_request(stage: Stage) -> None:
    result = release(stage, HEROKU_API_KEY=None)

    assert result.returncode == 2
    assert "HEROKU_API_KEY" in result.stderr
    assert stage.heroku.requests == []


def test_a_manifest_digest_is_not_an_image_id(stage: Stage) -> None:
    result = release(stage, "--web-image", "registry.heroku.com/a/web@sha256:12")

    assert result.returncode == 2
    assert "config digest" in result.stderr
    assert stage.heroku.requests == []


def test_a_failing_smoke_test_exits_1_after_rolling_back(stage: Stage, tmp_path: Path) -> None:
    # An environment file of the test's own: two quick smoke attempts instead of 5 over 30 s.
    folder = tmp_path / "project" / ".github" / "environments"
    folder.mkdir(parents=True)
    text = (ROOT / ".github" / "environments" / "staging.yml").read_text("utf-8")
    quick = text.replace("attempts: 5", "attempts: 2").replace(
        "first_backoff_seconds: 2", "first_backoff_seconds: 0.01"
    )
    assert quick != text
    (folder / "staging.yml").write_text(quick, "utf-8")
    stage.heroku.releases.broken_images.add(NEW_WEB)

    result = release(stage, "--project-dir", str(tmp_path / "project"))

    assert result.returncode == 1
    assert "rolled back to v3 (now v5)" in result.stderr
    assert "smoke test 2/2: /readyz answered 503" in result.stderr
    assert "deploy staging: rolled-back" in result.stdout


def test_production_rollback_without_confirm_exits_2(stage: Stage) -> None:
    arguments = ("rollback", "--environment", "production", "--rollback-type", "application")
    result = run_main(main, (*arguments, "--reason", "drill", *common(stage)), environ(stage))

    assert result.returncode == 2
    assert "--confirm production" in result.stderr
    assert stage.heroku.requests == []


@pytest.mark.parametrize("verb", ["release", "rollback"])
def test_help_explains_options_defaults_and_exit_statuses(verb: str) -> None:
    text = " ".join(run_main(main, (verb, "--help")).stdout.split())

    assert "docs/deployment.md" in text
    assert "(default: env://HEROKU_API_KEY" in text
    assert "(default: reports)" in text
    for status in ("0 done", "1 failed", "2 refused or usage error, nothing changed"):
        assert status in text


def test_a_full_rollback_killed_halfway_completes_when_run_again(
    stage_on: Callable[[str], Stage], make_database: Callable[..., str], tmp_path: Path
) -> None:
    url = make_database(migrate.EXPAND_REVISION)
    with connect(url) as conn:
        insert_legacy_rows(conn, 200)
        before = table_digest(conn)
    DataMigration(url, MigrationOptions(environment="staging")).migrate()
    migrate.upgrade(url, "head")
    stage = stage_on(url)
    stage.heroku.releases.phases.append("hang")  # the rollback release's phase hangs
    arguments = (
        *("rollback", "--environment", "staging", "--rollback-type", "full"),
        *("--reason", "drill", "--database-url", "env://TARGET_URL"),
        *("--report-dir", str(tmp_path / "data"), *common(stage)),
    )
    env = {k: v for k, v in environ(stage, TARGET_URL=url).items() if v is not None}
    process = subprocess.Popen(
        [SEMAINE, *arguments],
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + HANG_GUARD_SECONDS
    while not stage.heroku.api_requests("POST"):
        if time.monotonic() > deadline or process.poll() is not None:
            process.kill()
            pytest.fail("the first run never asked Heroku for the rollback")
        time.sleep(0.05)
    process.kill()  # halfway: schema down, rollback release pending, data not restored
    process.wait(HANG_GUARD_SECONDS)
    assert migrate.current_revision(url) == migrate.EXPAND_REVISION
    with connect(url) as conn:
        assert table_digest(conn) != before
    pending = stage.heroku.releases.apps["semaine-staging"][-1]
    stage.heroku.releases.finish("semaine-staging", pending, "succeeded")  # Heroku goes on

    again = run_main(main, arguments, environ(stage, TARGET_URL=url))

    assert again.returncode == 0, again.stderr
    assert "1. application: already rolled back (v4 is a rollback to v2)" in again.stderr
    assert len(stage.heroku.api_requests("POST")) == 1  # never a second rollback
    with connect(url) as conn:
        assert table_digest(conn) == before
    assert stage.live() == "v4"
