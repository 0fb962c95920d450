"""Release an image pair on an environment's Heroku app, smoke-test it, roll back if it fails."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from semaine.delivery.application import application_target, roll_back_application
from semaine.delivery.errors import DeliveryError
from semaine.delivery.follow import find_new_release, follow_release
from semaine.delivery.recording import publish
from semaine.delivery.smoke import smoke_test
from semaine.delivery.steps import Steps
from semaine.integrations.heroku import HerokuError
from semaine.records import DeploymentRecord

if TYPE_CHECKING:
    from semaine.delivery.context import DeliveryContext, ReleaseImages
    from semaine.environments import Environment
    from semaine.integrations.heroku.releases import Release

Outcome = Literal["succeeded", "failed", "rolled-back", "refused"]


def release_images(
    environment: Environment, images: ReleaseImages, context: DeliveryContext
) -> DeploymentRecord:
    """Release `images` on `environment`; return the record written (its outcome says how it went).

    Outcomes: succeeded (released, smoke test passed); refused (nothing changed: the API
    refused the first, read-only call); failed (no new release, a failed or hung release
    phase: Heroku keeps the previous release live); rolled-back (the smoke test failed
    and the previous eligible release is live again).
    """
    started = context.now()
    steps = Steps(context.clock)
    run = _Release(environment, images, context, steps)
    outcome, detail = run.carry_out()
    record = DeploymentRecord(
        kind="deploy",
        environment=environment.name,
        actor=context.actor,
        started_at=started,
        finished_at=context.now(),
        from_release=run.before.name if run.before else None,
        to_release=run.live.name if run.live else None,
        digest=images.web,
        steps=steps.timings,
        outcome=outcome,
        detail=detail,
    )
    return publish(record, context)


class _Release:
    """One release run: what was live before, what is live now."""

    def __init__(
        self,
        environment: Environment,
        images: ReleaseImages,
        context: DeliveryContext,
        steps: Steps,
    ) -> None:
        self.environment = environment
        self.app = environment.heroku_app
        self.images = images
        self.context = context
        self.steps = steps
        self.before: Release | None = None
        self.live: Release | None = None

    def carry_out(self) -> tuple[Outcome, str]:
        say = self.context.say
        try:
            with self.steps.step("read the current release"):
                self.before = self.context.platform.newest_release(self.app)
        except (HerokuError, DeliveryError) as error:
            return "refused", f"nothing changed: {error}"
        self.live = self.before
        try:
            with self.steps.step("release"):
                self.context.platform.release_images(self.app, self.images.by_process())
                new = find_new_release(self.app, self.before, self.context)
            say(f"{self.app}: {new.name} created from {self.images.web[:19]}; following it")
            with self.steps.step("release phase"):
                final = follow_release(self.app, new, self.context, live=self._before_name())
            if final.status != "succeeded":
                self.steps.fail_last()
                return self._failed_release(final)
            self.live = final
            with self.steps.step("smoke test"):
                smoke = smoke_test(self.environment, final.name, self.context)
            if not smoke.passed:
                self.steps.fail_last()
                return self._roll_back(f"smoke test of {final.name} failed: {smoke.detail}")
        except (HerokuError, DeliveryError) as error:
            return "failed", str(error)
        say(f"{self.app}: {final.name} is live and passed its smoke test")
        return "succeeded", f"{final.name} released and smoke-tested"

    def _before_name(self) -> str:
        return self.before.name if self.before else "the previous release"

    def _failed_release(self, final: Release) -> tuple[Outcome, str]:
        why = f"release {final.name} {final.status} (its release phase did not pass)"
        recent = self.context.platform.recent_releases(self.app, 5)
        current = next((r for r in recent if r.current), None)
        if current is not None and current.id != final.id:
            # A failed release phase never boots dynos: the previous release still serves.
            self.live = current
            return "failed", f"{why}; Heroku kept {current.name} live: nothing to roll back"
        return self._roll_back(why)

    def _roll_back(self, why: str) -> tuple[Outcome, str]:
        self.context.say(f"{self.app}: {why}; rolling back automatically")
        try:
            plan = application_target(self.environment, None, self.context)
            self.live = roll_back_application(self.environment, plan, self.context, self.steps)
        except (HerokuError, DeliveryError) as error:
            return "failed", f"{why}; the automatic rollback failed too: {error}"
        return "rolled-back", f"{why}; rolled back to {plan.target.name} (now {self.live.name})"
