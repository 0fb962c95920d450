"""Copy an image between repositories: blob mount where the registry allows it, else bytes.

Blobs first, the manifest last: the target names the image only once every blob it
needs is there, so a copy stopped halfway leaves no broken image, and running it again
skips the blobs already copied. The copy is verified by reading the target's config
digest back.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from typing import TYPE_CHECKING

from semaine.integrations.registry.errors import CopyVerificationError

if TYPE_CHECKING:
    from semaine.integrations.registry.client import RegistryClient
    from semaine.integrations.registry.manifests import Blob


@dataclass(frozen=True)
class ImageCopy:
    """What a copy did: the image it copied and how each blob got there."""

    source: str
    target: str
    config_digest: str
    manifest_digest: str
    mounted: int = 0
    copied: int = 0
    present: int = 0
    copied_bytes: int = 0


@dataclass(frozen=True)
class Repository:
    """A repository in a registry: where an image is read from or copied to."""

    registry: RegistryClient
    name: str

    def __str__(self) -> str:
        return f"{self.registry.url}/{self.name}"


def copy_image(
    source: Repository, target: Repository, reference: str = "latest", tag: str | None = None
) -> ImageCopy:
    """Copy `source:reference` to `target:tag` (default: the same reference), then verify it.

    Read the source by digest to copy exactly the image examined, whatever is pushed
    there meanwhile; the target is tagged (`latest`) as a push would leave it.
    """
    manifest = source.registry.manifest(source.name, reference)
    tag = tag or reference
    same_registry = source.registry.settings.registry_url == target.registry.settings.registry_url
    mounted = copied = present = copied_bytes = 0
    for blob in manifest.blobs:
        if target.registry.has_blob(target.name, blob.digest):
            present += 1
            continue
        location = (
            target.registry.mount_blob(target.name, blob.digest, source.name)
            if same_registry
            else target.registry.start_upload(target.name)
        )
        if location is None:
            mounted += 1
            continue
        _copy_bytes(source, blob, target.registry, location)
        copied += 1
        copied_bytes += blob.size
    digest = target.registry.put_manifest(target.name, tag, manifest)
    held = target.registry.config_digest(target.name, tag)
    if held != manifest.config_digest or digest != manifest.digest:
        where = f"{target}:{tag}"
        raise CopyVerificationError(where, manifest.config_digest, held)
    return ImageCopy(
        source=f"{source}:{reference}",
        target=f"{target}:{tag}",
        config_digest=held,
        manifest_digest=digest,
        mounted=mounted,
        copied=copied,
        present=present,
        copied_bytes=copied_bytes,
    )


def _copy_bytes(source: Repository, blob: Blob, target: RegistryClient, location: str) -> None:
    """Download a blob to a spool (memory up to one chunk, then disk), check it, upload it."""
    with tempfile.SpooledTemporaryFile(max_size=target.settings.chunk_bytes) as spool:
        source.registry.download_blob(source.name, blob, spool)
        spool.seek(0)
        target.upload_blob(location, blob, spool)
