"""Roll the application back to an earlier Heroku release, follow it, smoke-test it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from semaine.delivery.errors import DeliveryError
from semaine.delivery.follow import follow_release
from semaine.delivery.smoke import smoke_test
from semaine.delivery.targets import RELEASES_LOOKED_AT, Situation, choose_target

if TYPE_CHECKING:
    from semaine.delivery.context import DeliveryContext
    from semaine.delivery.steps import Steps
    from semaine.environments import Environment
    from semaine.integrations.heroku.releases import Release


class RollbackReleaseFailedError(DeliveryError):
    """The rollback release itself failed, or its smoke test did."""

    def __init__(self, app: str, release: str, target: str, why: str) -> None:
        super().__init__(
            f"the rollback of {app} to {target} ({release}) did not work: {why}",
            f"act now: heroku releases -a {app}; read the release output; roll back to another"
            " release with --to-release vNN",
        )


@dataclass(frozen=True)
class ApplicationTarget:
    """Where the application goes: the live release, the target, or a rollback under way."""

    live: Release | None
    target: Release
    resumed: Release | None = None
    """A rollback release found pending (a stopped run): it is followed, not made again."""
    done: bool = False
    """The live release is already a rollback to the target: nothing to do."""

    def describe(self) -> str:
        """One line for the plan."""
        live = self.live.name if self.live else "none"
        if self.done:
            return f"already rolled back ({live} is a rollback to {self.target.name})"
        if self.resumed is not None:
            return f"follow {self.resumed.name}, the rollback to {self.target.name} under way"
        return f"{live} -> {self.target.name} (Heroku rollback, release phase, smoke test)"


def application_target(
    environment: Environment, wanted: int | None, context: DeliveryContext
) -> ApplicationTarget:
    """Decide the rollback without changing anything (refusals raise before any change)."""
    app = environment.heroku_app
    situation = Situation(context.platform.recent_releases(app, RELEASES_LOOKED_AT))
    pending = situation.unfinished_rollback()
    if pending is not None and wanted in {None, pending.rollback_target}:
        target = next(r for r in situation.releases if r.version == pending.rollback_target)
        return ApplicationTarget(situation.live, target, resumed=pending)
    done = situation.already_rolled_back(wanted)
    if done is not None:
        target = next((r for r in situation.releases if r.version == done.rollback_target), done)
        return ApplicationTarget(done, target, done=True)
    return ApplicationTarget(situation.live, choose_target(situation, wanted, app))


def roll_back_application(
    environment: Environment, plan: ApplicationTarget, context: DeliveryContext, steps: Steps
) -> Release:
    """Carry out `plan`; return the release now live. Raises RollbackReleaseFailedError."""
    app = environment.heroku_app
    if plan.done and plan.live is not None:
        # Done by an earlier run (perhaps stopped before its smoke test): check it again.
        steps.add("application rollback", 0.0, "skipped")
        final = plan.live
    else:
        live = plan.live.name if plan.live else "the previous release"
        with steps.step("application rollback"):
            created = plan.resumed or context.platform.roll_back(app, plan.target.id)
            context.say(f"{app}: {created.name} rolls back to {plan.target.name}; following it")
            final = follow_release(app, created, context, live=live)
        if final.status != "succeeded":
            steps.fail_last()
            raise RollbackReleaseFailedError(
                app, final.name, plan.target.name, f"it {final.status}"
            )
    with steps.step("smoke test of the rollback"):
        smoke = smoke_test(environment, final.name, context)
    if not smoke.passed:
        steps.fail_last()
        raise RollbackReleaseFailedError(
            app, final.name, plan.target.name, f"smoke test: {smoke.detail}"
        )
    context.say(f"{app}: {final.name} (a rollback to {plan.target.name}) is live and answers")
    return final
