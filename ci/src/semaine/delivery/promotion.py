"""Promotion: release in one environment the exact images another runs, copied, not rebuilt.

1. Read what the source runs (its formation's image ids) and the images its registry
   repositories hold (Docker schema 2 only); refuse, before any change, when they
   differ, unless forced with a reason.
2. Copy each image to the target app's repository (blob mount, else through the
   registry's HTTP API), verified by its config digest.
3. Release them in the target with `release_images` (release phase, smoke test,
   automatic rollback), and write one record of kind `promote` for the whole.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from semaine.delivery.candidates import (
    TAG,
    Candidate,
    NotRunBySourceError,
    read_candidates,
    unrun,
)
from semaine.delivery.context import ReleaseImages
from semaine.delivery.errors import DeliveryRefusedError
from semaine.delivery.recording import publish
from semaine.delivery.release import release_images
from semaine.delivery.steps import Steps
from semaine.integrations.heroku import HerokuError
from semaine.integrations.registry import RegistryError, Repository, copy_image, repository
from semaine.records import DeploymentRecord

if TYPE_CHECKING:
    from datetime import datetime

    from semaine.delivery.context import DeliveryContext
    from semaine.environments import Environment
    from semaine.integrations.registry import RegistryClient
    from semaine.records.deployment import Outcome

Releaser = Callable[["Environment", ReleaseImages, "DeliveryContext"], DeploymentRecord]


class ForceWithoutReasonError(DeliveryRefusedError):
    """--force was given without a reason."""

    def __init__(self) -> None:
        super().__init__(
            "--force needs --reason: forcing a promotion past the check is recorded with why",
            'add --reason "..." (e.g. --reason "staging is down; hotfix verified locally")',
        )


@dataclass(frozen=True)
class PromotionRequest:
    """Which environments, and whether to go past the "source runs it" check (and why)."""

    source: Environment
    target: Environment
    force: bool = False
    reason: str | None = None

    def __post_init__(self) -> None:
        if self.force and not (self.reason or "").strip():
            raise ForceWithoutReasonError


def promote(
    request: PromotionRequest,
    registry: RegistryClient,
    context: DeliveryContext,
    release: Releaser = release_images,
) -> DeploymentRecord:
    """Promote the source's running images to the target; return the record written."""
    run = _Promotion(request, registry, context)
    outcome, detail, released = run.carry_out(release)
    record = DeploymentRecord(
        kind="promote",
        environment=request.target.name,
        actor=context.actor,
        started_at=run.started,
        finished_at=context.now(),
        from_release=released.from_release if released else None,
        to_release=released.to_release if released else None,
        digest=run.web_digest,
        reason=request.reason or None,
        steps=run.steps.timings + (released.steps if released else []),
        outcome=outcome,
        detail=detail,
    )
    return publish(record, context)


class _Promotion:
    """One promotion run: the steps timed, the images found."""

    def __init__(
        self, request: PromotionRequest, registry: RegistryClient, context: DeliveryContext
    ) -> None:
        self.request = request
        self.registry = registry
        self.context = context
        self.started: datetime = context.now()
        self.steps = Steps(context.clock)
        self.web_digest: str | None = None

    def carry_out(self, release: Releaser) -> tuple[Outcome, str, DeploymentRecord | None]:
        source, target = self.request.source, self.request.target
        try:
            candidates = self._candidates()
            with self.steps.step(f"read what {target.name} runs"):
                running = self.context.platform.formation_images(target.heroku_app)
        except (HerokuError, RegistryError, DeliveryRefusedError) as error:
            return "refused", f"nothing changed: {error}", None
        images = ReleaseImages(
            web=self._digest_of(candidates, "web"), release=self._digest_of(candidates, "release")
        )
        if all(running.get(kind) == image for kind, image in images.by_process().items()):
            return "succeeded", f"{target.name} already runs these images: nothing to do", None
        forced = self._forced(candidates)
        try:
            self._copy(candidates)
        except RegistryError as error:
            return "failed", f"{forced}nothing released in {target.name}: {error}", None
        self.context.say(f"releasing in {target.name} the images copied from {source.name}")
        # The promotion writes the one record (kind promote, with the copy steps and the
        # reason) and posts it: the release's own record goes to a scratch folder.
        with tempfile.TemporaryDirectory(prefix="semaine-promotion-") as scratch:
            quiet = replace(self.context, reports=Path(scratch), slack_webhook=None)
            released = release(target, images, quiet)
        return released.outcome, forced + released.detail, released

    def _candidates(self) -> list[Candidate]:
        source, target = self.request.source, self.request.target
        with self.steps.step(f"read what {source.name} runs"):
            running = self.context.platform.formation_images(source.heroku_app)
        with self.steps.step(f"read {source.name}'s images"):
            candidates = read_candidates(source, running, self.registry)
        self.web_digest = self._digest_of(candidates, "web")
        not_run = unrun(candidates, source.name)
        if not_run and not self.request.force:
            raise NotRunBySourceError(source.name, target.name, not_run)
        return candidates

    def _forced(self, candidates: list[Candidate]) -> str:
        not_run = unrun(candidates, self.request.source.name)
        if not not_run:
            return ""
        said = f"forced past the check ({'; '.join(not_run)}), because: {self.request.reason}"
        self.context.say(said)
        return said + "; "

    def _copy(self, candidates: list[Candidate]) -> None:
        source, target = self.request.source.heroku_app, self.request.target.heroku_app
        for candidate in candidates:
            kind = candidate.process_type
            with self.steps.step(f"copy {kind} image"):
                copy = copy_image(
                    Repository(self.registry, repository(source, kind)),
                    Repository(self.registry, repository(target, kind)),
                    candidate.image.digest,
                    TAG,
                )
            self.context.say(
                f"{kind}: {copy.target} holds {copy.config_digest[:19]}"
                f" ({copy.mounted} mounted, {copy.copied} copied, {copy.present} there already)"
            )

    @staticmethod
    def _digest_of(candidates: list[Candidate], kind: str) -> str:
        return next(c.config_digest for c in candidates if c.process_type == kind)
