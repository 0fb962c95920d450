"""Semaine's CI/CD: lint, scan, test, rehearse migrations, load-test, build, migrate, roll back."""

from __future__ import annotations

import enum
import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Annotated, TypeVar, cast

import dagger
from dagger import DefaultPath, Doc, Ignore, check, enum_type, function, object_type

from semaine.dashboard.inputs import parse_now
from semaine.executors.dagger import chains as executor
from semaine.executors.dagger import deployment
from semaine.executors.dagger.containers import REPORTS_PATH, production_image, release_image
from semaine.executors.dagger.dashboard import dashboard_site
from semaine.executors.dagger.monitoring import monitor_verb
from semaine.pipeline.report import SUMMARY_JSON
from semaine.pipeline.sources import SOURCE_IGNORE
from semaine.pipeline.stage import Need
from semaine.pipeline.stages import select, stage_names

F = TypeVar("F", bound=Callable[..., object])
# dagger-io 0.21.8's `function` accepts `cache=` but its typing overloads omit it.
_function = cast("Callable[..., Callable[[F], F]]", function)
never_cached = _function(cache="never")
"""Register a function with side effects: the engine must run it on every call."""
per_session = _function(cache="session")
"""Register a function whose verdict holds for one session only (it runs a stage not cacheable).

Its chains are also marked with the run (`containers.with_run`): the function cache
aside, the engine would otherwise replay the commands' cached output.
"""


Source = Annotated[
    dagger.Directory,
    DefaultPath("/"),
    # What never leaves the host: uploads stay small (semaine.pipeline.sources).
    Ignore(list(SOURCE_IGNORE)),
    Doc("The repository to work on (defaults to this checkout, without caches and venvs)"),
]
DatabaseUrl = Annotated[
    dagger.Secret | None,
    Doc("The database URL as a secret (env://DATABASE_URL); else the CLI asks Heroku"),
]
HerokuApiKey = Annotated[
    dagger.Secret | None,
    Doc("The Heroku API key as a secret (env://HEROKU_API_KEY)"),
]
SlackWebhook = Annotated[
    dagger.Secret | None,
    Doc("A Slack incoming webhook as a secret (env://SLACK_WEBHOOK_URL): the record is posted"),
]


@enum_type
class Environment(enum.Enum):
    """A deployment environment."""

    staging = "staging"
    """The staging app, rehearsal ground for production."""
    production = "production"
    """The production app."""


@enum_type
class RollbackType(enum.Enum):
    """What a rollback restores."""

    database = "database"
    """The data of the US1.6 migration, restored from its backup table."""
    application = "application"
    """The previous eligible Heroku release (or --to-release), followed and smoke-tested."""
    full = "full"
    """The application, the schema and the data, in the order the running code supports."""


@object_type
class Semaine:
    """Semaine's pipeline as code: the same verbs as the `semaine` CLI."""

    @function
    async def lint(self, source: Source) -> None:
        """Lint the code with ruff (check and format)."""
        await executor.check_stage("lint", source)

    @function
    async def typecheck(self, source: Source) -> None:
        """Type-check app and semaine with mypy --strict."""
        await executor.check_stage("typecheck", source)

    @per_session
    async def security(self, source: Source) -> None:
        """Scan the code with bandit and the locked dependencies with pip-audit."""
        await executor.check_stage("security", source)

    @function
    async def test(self, source: Source) -> None:
        """Run the test suite with coverage against a throwaway PostgreSQL."""
        await executor.check_stage("test", source)

    @per_session
    async def migrations(self, source: Source) -> None:
        """Rehearse the schema revisions and the 10k-row data migration on PostgreSQL."""
        await executor.check_stage("migrations", source)

    @per_session
    async def load(self, source: Source) -> None:
        """Load-test the app served with its PostgreSQL (p95 and error rate)."""
        await executor.check_stage("load", source)

    @per_session
    async def e2e(self, source: Source) -> None:
        """Time the week pages in headless Chromium (page load and navigation)."""
        await executor.check_stage("e2e", source)

    @per_session
    @check
    async def every_stage(self, source: Source) -> None:
        """Run every stage as pipeline does (timing stages alone, last); fail unless all pass."""
        await executor.check_every_stage(source)

    @function
    def build(self, source: Source) -> dagger.Container:
        """Build the production image: non-root, locked runtime deps, serving on $PORT."""
        return production_image(source)

    @function
    def build_release(self, source: Source) -> dagger.Container:
        """Build Heroku's release-phase image (runs python -m app db release)."""
        return release_image(source)

    @per_session
    async def pipeline(
        self,
        source: Source,
        accept_inconclusive: Annotated[
            str | None,
            Doc("Accept inconclusive gates, for this stated reason (recorded in the summary)"),
        ] = None,
        only: Annotated[str | None, Doc("Comma-separated stages to run (default: all)")] = None,
        skip: Annotated[str | None, Doc("Comma-separated stages to leave out")] = None,
    ) -> dagger.Directory:
        """Run the stages concurrently and return the reports (summary.json, summary.md)."""
        chosen = select(None if only is None else stage_names(only), stage_names(skip or ""))
        runs = await executor.run_stages(chosen, source)
        return executor.reports_directory(runs, accept_inconclusive)

    @function
    async def verdict(
        self,
        reports: Annotated[dagger.Directory, Doc("The folder `pipeline` returned (exported)")],
    ) -> None:
        """Fail unless the reports' summary.json says the run passed."""
        document = json.loads(await reports.file(SUMMARY_JSON).contents())
        executor.raise_unless_passed(document)

    @never_cached
    async def migrate(  # noqa: PLR0913 - one parameter per CLI flag, as `semaine migrate`
        self,
        *,
        environment: Annotated[Environment, Doc("Where to migrate: staging or production")],
        source: Source,
        database_url: DatabaseUrl = None,
        heroku_api_key: HerokuApiKey = None,
        dry_run: Annotated[bool, Doc("Count and check what would change; write nothing")] = False,
        batch_size: Annotated[
            int | None, Doc("Rows per transaction (CLI default if unset)")
        ] = None,
        dump: Annotated[
            bool, Doc(f"Also pg_dump the table first, into the returned {executor.DUMP_FILE}")
        ] = False,
    ) -> dagger.Directory:
        """Run the US1.6 data migration (semaine migrate); return its reports and exit status."""
        flags = ["--environment", environment.value]
        flags += ["--dry-run"] if dry_run else []
        flags += ["--batch-size", str(batch_size)] if batch_size is not None else []
        flags += ["--dump-path", executor.DUMP_PATH] if dump else []
        secrets = {"database-url": database_url, "heroku-api-key": heroku_api_key}
        needs = frozenset({Need.PG_CLIENT}) if dump else frozenset()
        return await executor.semaine_verb(source, "migrate", flags, secrets, needs)

    @never_cached
    async def rollback(  # noqa: PLR0913 - one parameter per CLI flag, as `semaine rollback`
        self,
        *,
        environment: Annotated[Environment, Doc("Where to roll back: staging or production")],
        rollback_type: Annotated[
            RollbackType, Doc("What to roll back: application, database, full")
        ],
        reason: Annotated[str, Doc("Why: recorded with the rollback")],
        source: Source,
        run_id: Annotated[str | None, Doc("The migration run to undo (latest if unset)")] = None,
        database_url: DatabaseUrl = None,
        heroku_api_key: HerokuApiKey = None,
        slack_webhook: SlackWebhook = None,
        confirm: Annotated[
            str | None, Doc("The environment's name again: production asks for it")
        ] = None,
        to_release: Annotated[
            str | None, Doc("The release to go back to, vNN (default: the previous eligible)")
        ] = None,
        actor: Annotated[
            str | None, Doc("Who rolls back, a GitHub login (the engine cannot see GITHUB_ACTOR)")
        ] = None,
    ) -> dagger.Directory:
        """Roll back an environment (semaine rollback); return its reports, record, exit status."""
        if not reason.strip():
            message = "--reason: say why you roll back (it is recorded with the run)"
            raise ValueError(message)
        flags = ["--environment", environment.value, "--rollback-type", rollback_type.value]
        flags += ["--reason", reason] + (["--run-id", run_id] if run_id else [])
        for flag, value in (
            ("--confirm", confirm),
            ("--to-release", to_release),
            ("--actor", actor),
        ):
            flags += [flag, value] if value else []
        flags += ["--reports", REPORTS_PATH]  # the record comes back in the returned folder
        secrets = {
            "database-url": database_url,
            "heroku-api-key": heroku_api_key,
            "slack-webhook": slack_webhook,
        }
        return await executor.semaine_verb(source, "rollback", flags, secrets)

    @never_cached
    async def monitor(  # noqa: PLR0913 - one parameter per CLI flag, as `semaine monitor`
        self,
        *,
        environment: Annotated[Environment, Doc("What to check: staging or production")],
        source: Source,
        url: Annotated[
            str | None,
            Doc("Check this base URL instead of the environment file's (tests, staging previews)"),
        ] = None,
        database_url: Annotated[
            dagger.Secret | None,
            Doc("The database URL as a secret (env://DATABASE_URL); read-only checks"),
        ] = None,
        slack_webhook: Annotated[
            dagger.Secret | None,
            Doc("The Slack incoming webhook URL as a secret (env://SLACK_WEBHOOK_URL)"),
        ] = None,
        github_token: Annotated[
            dagger.Secret | None,
            Doc("A token that may write issues, as a secret (env://GITHUB_TOKEN)"),
        ] = None,
        github_repo: Annotated[
            str | None, Doc("The repository of the incident issues, OWNER/NAME")
        ] = None,
        state: Annotated[
            dagger.Directory | None,
            Doc("The history folder (E.jsonl of the earlier runs); returned updated"),
        ] = None,
    ) -> dagger.Directory:
        """Check an environment once (semaine monitor); return report, history, exit status."""
        flags = ["--environment", environment.value]
        flags += ["--url", url] if url else []
        flags += ["--github-repo", github_repo] if github_repo else []
        secrets = {
            "database-url": database_url,
            "slack-webhook": slack_webhook,
            "github-token": github_token,
        }
        return await monitor_verb(source, flags, secrets, state)

    @never_cached  # not a side effect: the page depends on the clock (uptime windows end now)
    async def dashboard(
        self,
        history: Annotated[
            dagger.Directory, Doc("The monitor's history folder: one ENVIRONMENT.jsonl each")
        ],
        environment: Annotated[
            list[str] | None, Doc("Environments to show, in order (default: every *.jsonl)")
        ] = None,
        deployments: Annotated[
            dagger.Directory | None, Doc("The deployment records folder (reports/deployments)")
        ] = None,
        pipeline_summary: Annotated[
            dagger.File | None, Doc("The summary.json of the latest pipeline run")
        ] = None,
        now: Annotated[
            str | None, Doc("Compute the page at this ISO 8601 time with timezone (default: now)")
        ] = None,
    ) -> dagger.Directory:
        """Render the status page (semaine dashboard); return the site folder with index.html."""
        moment = parse_now(now) if now is not None else datetime.now(UTC)
        return await dashboard_site(
            history, environment or [], deployments, pipeline_summary, moment
        )

    @never_cached
    async def deploy(  # noqa: PLR0913 - one parameter per flag, as `semaine release` has them
        self,
        *,
        environment: Annotated[
            Environment, Doc("Where to deploy: staging (production takes promotions only)")
        ],
        heroku_api_key: Annotated[
            dagger.Secret, Doc("The Heroku API key as a secret (env://HEROKU_API_KEY)")
        ],
        source: Source,
        accept_inconclusive: Annotated[
            str, Doc("Deploy despite inconclusive gates, for this stated reason (recorded)")
        ] = "",
        slack_webhook: SlackWebhook = None,
        actor: Annotated[
            str | None, Doc("Who deploys, a GitHub login (the engine cannot see GITHUB_ACTOR)")
        ] = None,
    ) -> dagger.Directory:
        """Run the gates, publish the web and release images to Heroku, release them."""
        secrets = {"heroku-api-key": heroku_api_key, "slack-webhook": slack_webhook}
        return await deployment.deploy(
            source, environment.value, secrets, accept_inconclusive or None, actor=actor
        )

    @never_cached
    async def promote(  # noqa: PLR0913 - one parameter per CLI flag, as `semaine promote`
        self,
        *,
        to: Annotated[Environment, Doc("Where to release what the other environment runs")],
        heroku_api_key: Annotated[
            dagger.Secret, Doc("The Heroku API key as a secret (env://HEROKU_API_KEY)")
        ],
        source: Source,
        from_: Annotated[Environment, Doc("Whose running images to promote")] = (
            Environment.staging
        ),
        force: Annotated[
            bool, Doc("Release the registry's images even if the source does not run them")
        ] = False,
        reason: Annotated[str, Doc("Why (required with --force; recorded)")] = "",
        slack_webhook: SlackWebhook = None,
        actor: Annotated[
            str | None, Doc("Who promotes, a GitHub login (the engine cannot see GITHUB_ACTOR)")
        ] = None,
    ) -> dagger.Directory:
        """Release in one environment the exact images another runs (semaine promote)."""
        flags = ["--to", to.value, "--from", from_.value]
        flags += ["--force"] if force else []
        flags += ["--reason", reason] if reason else []
        flags += ["--actor", actor] if actor else []
        secrets = {"heroku-api-key": heroku_api_key, "slack-webhook": slack_webhook}
        return await executor.semaine_verb(
            source, "promote", flags, secrets, report_flag="--reports"
        )
