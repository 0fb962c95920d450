"""What every delivery needs besides its environment: the API, the actor, waits, clocks, output."""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from semaine.integrations.heroku.output_stream import StreamPatience
from semaine.integrations.heroku.releases import IMAGE_ID

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

    from semaine.integrations.heroku.interface import HerokuPlatform


def _say(line: str) -> None:
    sys.stderr.write(f"{line}\n")
    sys.stderr.flush()


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class ReleaseImages:
    """The two images of a release, by config digest (not the manifest digest a push returns)."""

    web: str
    release: str

    def __post_init__(self) -> None:
        for process, image in (("web", self.web), ("release", self.release)):
            if not IMAGE_ID.match(image):
                msg = f"--{process}-image must be sha256:<64 hex> (a config digest), not {image!r}"
                raise ValueError(msg)

    def by_process(self) -> dict[str, str]:
        """Return {process type: image id}, as the formation update takes them."""
        return {"web": self.web, "release": self.release}


@dataclass(frozen=True)
class Waits:
    """How long a delivery waits for Heroku, and how often it looks."""

    release_timeout_seconds: float = 900.0
    """A release phase running longer is reported (Heroku's own limit is 1 hour)."""
    poll_seconds: float = 1.0
    new_release_attempts: int = 5
    stream: StreamPatience = field(default_factory=StreamPatience)


@dataclass(frozen=True)
class DeliveryContext:
    """Who delivers, through which API, where records go, and the clocks (tests inject them)."""

    platform: HerokuPlatform
    actor: str
    reports: Path
    smoke_url: str | None = None
    """Where the smoke test goes instead of the environment's url (SEMAINE_ENVIRONMENT_URL)."""
    slack_webhook: str | None = None
    waits: Waits = field(default_factory=Waits)
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic
    now: Callable[[], datetime] = _now
    say: Callable[[str], None] = _say
