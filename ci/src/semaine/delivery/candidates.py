"""What a promotion would release: the images in the source's repositories, and what it runs.

The image to promote is the one the source's registry repository holds (`latest`, where
a deploy pushes); the guarantee is that the source *runs* it: its config digest equals
the `docker_image` of the source's formation. An image pushed but not released there,
or whose release failed, is not one the source has run.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from semaine.delivery.errors import DeliveryRefusedError
from semaine.integrations.registry import repository

if TYPE_CHECKING:
    from collections.abc import Mapping

    from semaine.environments import Environment
    from semaine.integrations.registry import ImageManifest, RegistryClient

PROCESS_TYPES = ("web", "release")
"""The process types a release sets: the web dynos and the release phase."""
TAG = "latest"


@dataclass(frozen=True)
class Candidate:
    """One process type's image in the source's repository, and what the source runs for it."""

    process_type: str
    image: ImageManifest
    running: str | None
    """The config digest the source's formation names (None: it runs no image of this type)."""

    @property
    def config_digest(self) -> str:
        """The image id Heroku releases."""
        return self.image.config_digest

    @property
    def run_by_source(self) -> bool:
        """Whether the source environment runs exactly this image."""
        return self.running == self.config_digest

    def describe(self, source: str) -> str:
        """Say what the image is and what the source runs, in a few words."""
        runs = self.running[:19] if self.running else "no image"
        return f"{self.process_type} {self.config_digest[:19]} ({source} runs {runs})"


class NotRunBySourceError(DeliveryRefusedError):
    """The images to promote are not the ones the source environment runs."""

    def __init__(self, source: str, target: str, unrun: list[str]) -> None:
        self.unrun = unrun
        super().__init__(
            f"{target} would get images {source} does not run: {'; '.join(unrun)}",
            f"release them in {source} first (dagger call deploy --environment {source}),"
            f' or promote anyway with --force --reason "why" (recorded)',
        )


def read_candidates(
    source: Environment, running: Mapping[str, str], registry: RegistryClient
) -> list[Candidate]:
    """Read each process type's image from the source's repositories (schema 2 only)."""
    return [
        Candidate(
            process_type=kind,
            image=registry.manifest(repository(source.heroku_app, kind), TAG),
            running=running.get(kind),
        )
        for kind in PROCESS_TYPES
    ]


def unrun(candidates: list[Candidate], source: str) -> list[str]:
    """Describe every candidate the source does not run (empty: all are run)."""
    return [c.describe(source) for c in candidates if not c.run_by_source]
