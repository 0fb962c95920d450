"""The releases of the Heroku stand-in: status transitions, release phase, rollback, lists.

Behaves as Heroku documents (docs in ../shared/heroku/container-release.md): a formation
PATCH or a rollback creates a `pending` release; its release phase runs (it can be told
to fail or hang); dynos boot on it only once the phase succeeds (`on_boot`); a failed
release is never current; lists are ascending unless a `Range` header says otherwise.
"""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

RANGE = re.compile(r"^version\s*\.\.\s*;\s*max=(\d+)(?:\s*,\s*order=(asc|desc))?\s*$")
DEFAULT_PAGE = 200
STAMP = "2026-06-01T12:00:00Z"
IMAGE_ID = re.compile(r"^sha256:[0-9a-f]{64}$")
Boot = Callable[[str, str, bool], None]
"""on_boot(app, "v42", healthy): the dynos restart on a release whose phase succeeded."""


@dataclass
class StandInRelease:
    """One release, as the stand-in keeps it."""

    version: int
    status: str
    images: dict[str, str]
    description: str
    eligible: bool = True
    phase: str = "ok"
    """What the release phase does: ok, fail or hang."""
    polls_left: int = 0
    stream_missing: int = 0
    id: str = field(default_factory=lambda: str(uuid.uuid4()))
    created: float = field(default_factory=time.monotonic)

    def as_json(self, app: str, stream_base: str, *, current: bool) -> dict[str, Any]:
        """Return the release object of the Platform API."""
        return {
            "id": self.id,
            "version": self.version,
            "status": self.status,
            "current": current,
            "eligible_for_rollback": self.eligible and self.status == "succeeded",
            "description": self.description,
            "output_stream_url": f"{stream_base}/streams/{self.id}" if self.images else None,
            "created_at": STAMP,
            "updated_at": STAMP,
            "app": {"id": str(uuid.uuid5(uuid.NAMESPACE_DNS, app)), "name": app},
            "user": {"email": "deployer@example.com", "id": str(uuid.UUID(int=1))},
            "slug": None,
            "addon_plan_names": ["heroku-postgresql:essential-0"],
            "artifacts": [{"type": "oci-image", "id": str(uuid.uuid4())}] if self.images else [],
        }


@dataclass
class ReleaseBook:
    """Every app's releases, oldest first, and the knobs of the release phase."""

    on_boot: Boot | None = None
    release_phase_polls: int = 1
    """GETs of a release answered `pending` before its phase ends (counts, not time)."""
    release_phase_seconds: float = 0.0
    """Least seconds a release phase lasts (Heroku-like latencies for the benchmarks)."""
    stream_missing: int = 1
    """404s the output stream answers before it is registered."""
    phases: list[str] = field(default_factory=list)
    """What the next releases do, in order: ok, fail, hang (the phase), or none (a formation
    update that makes no release); then ok."""
    broken_images: set[str] = field(default_factory=set)
    """Web images whose dynos boot unhealthy (their /readyz answers 503)."""
    apps: dict[str, list[StandInRelease]] = field(default_factory=dict)

    def add(  # noqa: PLR0913 - one keyword per fact of a seeded release
        self,
        app: str,
        *,
        status: str = "succeeded",
        eligible: bool = True,
        images: dict[str, str] | None = None,
        description: str = "Deploy",
        phase: str = "ok",
    ) -> StandInRelease:
        """Add a release as Heroku would list it (history for a test)."""
        releases = self.apps.setdefault(app, [])
        release = StandInRelease(
            version=len(releases) + 1,
            status=status,
            images=dict(images or {}),
            description=description,
            eligible=eligible,
            phase=phase,
            polls_left=self.release_phase_polls,
            stream_missing=self.stream_missing,
        )
        releases.append(release)
        return release

    def current(self, app: str) -> StandInRelease | None:
        """Return the release the dynos run: the newest that succeeded."""
        done = [r for r in self.apps.get(app, []) if r.status == "succeeded"]
        return done[-1] if done else None

    def find(self, app: str, identity: str) -> StandInRelease | None:
        """Return a release by id or version number."""
        for release in self.apps.get(app, []):
            if identity in {release.id, str(release.version)}:
                return release
        return None

    def find_by_id(self, release_id: str) -> tuple[str, StandInRelease] | None:
        """Return a release of any app, by id (the output stream's URL names only the id)."""
        for app, releases in self.apps.items():
            for release in releases:
                if release.id == release_id:
                    return app, release
        return None

    def listing(self, app: str, range_header: str | None) -> tuple[list[StandInRelease], bool]:
        """Return the releases a list request gets, and whether more lie behind (206)."""
        releases = list(self.apps.get(app, []))
        count, descending = DEFAULT_PAGE, False
        found = RANGE.match(range_header.strip()) if range_header else None
        if found:
            count, descending = int(found.group(1)), found.group(2) == "desc"
        if descending:
            releases.reverse()
        return releases[:count], len(releases) > count

    def release(self, app: str, images: dict[str, str], description: str) -> StandInRelease | None:
        """Create the pending release a formation PATCH makes (none when told so)."""
        phase = self.phases.pop(0) if self.phases else "ok"
        if phase == "none":
            return None
        return self.add(app, status="pending", images=images, description=description, phase=phase)

    def roll_back(self, app: str, target: StandInRelease) -> StandInRelease:
        """Create the pending release a rollback makes: a copy of the target's images."""
        phase = self.phases.pop(0) if self.phases else "ok"
        description = f"Rollback to v{target.version}"
        return self.add(
            app, status="pending", images=target.images, description=description, phase=phase
        )

    def advance(self, app: str, release: StandInRelease) -> None:
        """Move a pending release on by one observation: its phase ends, or goes on."""
        if release.status != "pending" or release.phase == "hang":
            return
        release.polls_left -= 1
        elapsed = time.monotonic() - release.created
        if release.polls_left > 0 or elapsed < self.release_phase_seconds:
            return
        self.finish(app, release, "failed" if release.phase == "fail" else "succeeded")

    def finish(self, app: str, release: StandInRelease, status: str) -> None:
        """End a release phase (a hung one too, when a test says so)."""
        if status == "succeeded" and self.on_boot is not None:
            healthy = release.images.get("web") not in self.broken_images
            self.on_boot(app, f"v{release.version}", healthy)
        release.phase = "ok" if status == "succeeded" else "fail"
        release.status = status

    def output_lines(self, release: StandInRelease) -> list[str]:
        """Return what the release command prints once its phase has ended."""
        if release.status == "failed":
            return ["alembic: upgrade failed", "release command exited with status 1"]
        return ["release phase done", "release command exited 0"]


def formation_images(updates: list[dict[str, Any]]) -> dict[str, str] | str:
    """Return {process type: image} of a docker-releases formation update, or what is wrong."""
    images: dict[str, str] = {}
    for update in updates:
        image = update.get("docker_image")
        if not isinstance(image, str) or not IMAGE_ID.match(image):
            return f"docker_image of {update.get('type')!r} is not sha256:<64 hex>: {image!r}"
        images[str(update["type"])] = image
    return images
