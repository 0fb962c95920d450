"""`semaine rollback`: the application, the database, or both, authorised and recorded.

Everything that can refuse (authorisation, --to-release, the target's eligibility, a
database with nothing to restore) is checked before the first change: exit 2, nothing
changed. Then each step runs, timed, and the record says how far it got.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from app.errors import ActionableError
from app.exit_status import ExitStatus
from semaine.delivery.application import application_target, roll_back_application
from semaine.delivery.authorisation import authorise
from semaine.delivery.database import (
    check_something_to_restore,
    needs_schema_step,
    restore_data,
    schema_down_to_expand,
    schema_revision,
)
from semaine.delivery.errors import DeliveryError
from semaine.delivery.plan import plan_full, render_plan
from semaine.delivery.recording import publish
from semaine.delivery.steps import Steps
from semaine.delivery.targets import release_version
from semaine.records import DeploymentRecord

if TYPE_CHECKING:
    from semaine.delivery.application import ApplicationTarget
    from semaine.delivery.context import DeliveryContext
    from semaine.delivery.database import DataRollback
    from semaine.environments import Environment
    from semaine.records.deployment import Outcome

RollbackType = Literal["application", "database", "full"]
ROLLBACK_TYPES: tuple[RollbackType, ...] = ("application", "database", "full")


@dataclass(frozen=True)
class RollbackRequest:
    """What the operator asked for."""

    rollback_type: RollbackType
    reason: str
    confirm: str | None = None
    to_release: str | None = None
    data: DataRollback | None = None
    """The database and the data operation's request: needed by database and full."""


@dataclass(frozen=True)
class RollbackResult:
    """The record written and the exit status of the verb."""

    record: DeploymentRecord
    status: int


def roll_back(
    environment: Environment, request: RollbackRequest, context: DeliveryContext
) -> RollbackResult:
    """Check, then carry out `request` on `environment`; write and announce its record."""
    run = _Rollback(environment, request, context)
    started = context.now()
    status, detail = run.carry_out()
    outcome: Outcome = "failed"
    if status == ExitStatus.DONE:
        outcome = "succeeded"
    elif status == ExitStatus.REFUSED:
        outcome = "refused"
    record = DeploymentRecord(
        kind="rollback",
        environment=environment.name,
        actor=context.actor or "unknown",
        started_at=started,
        finished_at=context.now(),
        from_release=run.live_before,
        to_release=run.live_after,
        reason=request.reason.strip() or None,
        rollback_type=request.rollback_type,
        steps=run.steps.timings,
        outcome=outcome,
        detail=detail,
    )
    return RollbackResult(publish(record, context), status)


class _Rollback:
    def __init__(
        self, environment: Environment, request: RollbackRequest, context: DeliveryContext
    ) -> None:
        self.environment = environment
        self.request = request
        self.context = context
        self.steps = Steps(context.clock)
        self.application: ApplicationTarget | None = None
        self.revision: str | None = None
        self.live_before: str | None = None
        self.live_after: str | None = None

    def carry_out(self) -> tuple[int, str]:
        try:
            self._prepare()
        except (DeliveryError, ActionableError) as error:
            return ExitStatus.REFUSED, f"refused, nothing changed: {error}"
        try:
            return self._execute()
        except (DeliveryError, ActionableError) as error:
            return ExitStatus.FAILED, f"stopped: {error} (run the same command again to resume)"

    def _prepare(self) -> None:
        """Everything that may refuse, read-only."""
        request = self.request
        authorise(self.environment, self.context.actor, request.reason, request.confirm)
        wanted = release_version(request.to_release) if request.to_release else None
        if request.rollback_type in {"application", "full"}:
            self.application = application_target(self.environment, wanted, self.context)
            live = self.application.live
            self.live_before = live.name if live else None
            self.live_after = self.application.target.name
        if request.rollback_type in {"database", "full"}:
            data = self._data()
            self.revision = schema_revision(data.url)
            if needs_schema_step(self.revision):
                check_something_to_restore(data)

    def _execute(self) -> tuple[int, str]:
        kind = self.request.rollback_type
        if kind == "application":
            return self._application()
        if kind == "database":
            return self._database()
        steps = plan_full(self.revision, self._application_plan().describe())
        self.context.say(render_plan(self.environment.name, steps))
        done: list[str] = []
        for step in steps:
            if step.kind == "application":
                status, said = self._application()
            elif step.kind == "schema":
                status, said = self._schema()
            else:
                status, said = self._data_step()
            done.append(said)
            if status != ExitStatus.DONE:
                return ExitStatus.FAILED, "; ".join(done) + " (run it again to resume)"
        return ExitStatus.DONE, "; ".join(done)

    def _application(self) -> tuple[int, str]:
        plan = self._application_plan()
        live = roll_back_application(self.environment, plan, self.context, self.steps)
        return ExitStatus.DONE, f"application back at {plan.target.name} ({live.name} is live)"

    def _database(self) -> tuple[int, str]:
        said = []
        if needs_schema_step(self.revision):
            said.append(self._schema()[1])
        data_status, data_said = self._data_step()
        return data_status, "; ".join([*said, data_said])

    def _schema(self) -> tuple[int, str]:
        with self.steps.step("schema rollback"):
            schema_down_to_expand(self._data().url, self.context)
        return ExitStatus.DONE, f"schema at {schema_revision(self._data().url)}"

    def _data_step(self) -> tuple[int, str]:
        with self.steps.step("data rollback"):
            status = restore_data(self._data())
        if status != ExitStatus.DONE:
            self.steps.fail_last()
            return status, f"data rollback exited {status} (its report above says why)"
        return ExitStatus.DONE, "data restored from the migration's backup"

    def _application_plan(self) -> ApplicationTarget:
        assert self.application is not None  # noqa: S101 - _prepare made it for these types
        return self.application

    def _data(self) -> DataRollback:
        if self.request.data is None:
            msg = f"--rollback-type {self.request.rollback_type} needs the database"
            raise DeliveryError(msg, "pass --database-url env://NAME, or --heroku-api-key")
        return self.request.data
