"""A Heroku stand-in whose releases boot the real app (dynos), and a delivery context on it."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

import pytest

from semaine.delivery.context import DeliveryContext, Waits
from semaine.environments import load_environment
from semaine.integrations.heroku import HerokuSettings, HttpHerokuPlatform
from semaine.integrations.heroku.output_stream import StreamPatience
from semaine.integrations.retry import RETRY_POLICY
from tests.paths import ROOT
from tests.standins.dynos import Dynos
from tests.standins.heroku import HerokuStandIn

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from pathlib import Path

    from semaine.environments import Environment

WEB = "sha256:" + "a" * 64
RELEASE = "sha256:" + "b" * 64
NEW_WEB = "sha256:" + "c" * 64
NEW_RELEASE = "sha256:" + "d" * 64
BROKEN_WEB = "sha256:" + "e" * 64
APPS = ("semaine-staging", "semaine-production")
ACTOR = "semaine-maintainers"


@dataclass
class Stage:
    """Everything a delivery scenario needs: Heroku, the dynos, an environment, a context."""

    heroku: HerokuStandIn
    dynos: Dynos
    reports: Path
    said: list[str] = field(default_factory=list)
    waits: list[float] = field(default_factory=list)

    def environment(self, name: str = "staging") -> Environment:
        """Load the project's own environment file."""
        return load_environment(name, ROOT)

    def context(
        self, *, key: str | None = None, actor: str = ACTOR, slack: str | None = None
    ) -> DeliveryContext:
        """Return a context on the stand-in: no real waits, every line said kept."""
        policy = replace(RETRY_POLICY, backoff_seconds=0.5, jitter_seconds=0)
        platform = HttpHerokuPlatform(
            key or self.heroku.api_key,
            HerokuSettings(api_url=self.heroku.url),
            policy=policy,
            sleep=self.waits.append,
        )
        return DeliveryContext(
            platform=platform,
            actor=actor,
            reports=self.reports,
            smoke_url=self.dynos.url,
            slack_webhook=slack,
            waits=Waits(
                release_timeout_seconds=30,
                poll_seconds=0.01,
                stream=StreamPatience(missing_wait_seconds=0.01),
            ),
            sleep=lambda _seconds: None,
            say=self.said.append,
        )

    def live(self, app: str = "semaine-staging") -> str:
        """Return the version the stand-in's dynos run."""
        current = self.heroku.releases.current(app)
        assert current is not None
        return f"v{current.version}"


@pytest.fixture
def stage_on(make_database: Callable[..., str], tmp_path: Path) -> Iterator[Callable[[str], Stage]]:
    """Give a factory of stages: both apps with three good releases, v3 live on the database."""
    stages: list[tuple[HerokuStandIn, Dynos]] = []

    def start(database_url: str) -> Stage:
        dynos = Dynos(database_url, make_database("base"))
        heroku = HerokuStandIn().__enter__()
        stages.append((heroku, dynos))
        heroku.releases.on_boot = dynos.boot
        heroku.releases.broken_images.add(BROKEN_WEB)
        for app in APPS:
            for _ in range(3):
                heroku.releases.add(app, images={"web": WEB, "release": RELEASE})
        dynos.boot("semaine-staging", "v3", True)  # noqa: FBT003 - the hook's signature
        return Stage(heroku, dynos, tmp_path / "reports")

    yield start
    for heroku, dynos in stages:
        dynos.stop()
        heroku.__exit__(None, None, None)


@pytest.fixture
def stage(stage_on: Callable[[str], Stage], database_url: str) -> Stage:
    """Give a stage whose app serves a fresh database at head."""
    return stage_on(database_url)
