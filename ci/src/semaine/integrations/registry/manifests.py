"""Image manifests: which media types exist, which one Heroku takes, what a manifest names."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass

from semaine.integrations.registry.errors import MalformedManifestError, UnsupportedManifestError

DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json"
"""Docker image manifest v2 schema 2: the only kind Heroku's registry and runtime take."""
DOCKER_MANIFEST_LIST = "application/vnd.docker.distribution.manifest.list.v2+json"
OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
OCI_INDEX = "application/vnd.oci.image.index.v1+json"
ACCEPT = f"{DOCKER_MANIFEST}, {DOCKER_MANIFEST_LIST}, {OCI_MANIFEST}, {OCI_INDEX}"
"""Every kind is accepted so that the registry shows what it holds as it is: asked for
schema 2 alone, a registry answers 404 for an OCI image and silently resolves a list to
one of its platforms, which would hide what is wrong with the push."""
DIGEST = re.compile(r"^sha256:[0-9a-f]{64}$")
_TAG = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$")


@dataclass(frozen=True)
class Blob:
    """A blob a manifest names: its digest and size."""

    digest: str
    size: int


@dataclass(frozen=True)
class ImageManifest:
    """A Docker schema 2 manifest as the registry stored it (its exact bytes) and what it names."""

    image: str
    body: bytes
    config: Blob
    layers: tuple[Blob, ...]
    media_type: str = DOCKER_MANIFEST

    @property
    def digest(self) -> str:
        """The manifest digest (what a push returns; not the image id Heroku releases)."""
        return sha256_digest(self.body)

    @property
    def config_digest(self) -> str:
        """The config digest: the image id `PATCH /apps/{app}/formation` takes."""
        return self.config.digest

    @property
    def blobs(self) -> tuple[Blob, ...]:
        """The config then every layer: what a copy must bring to the other repository."""
        return (self.config, *self.layers)


def sha256_digest(data: bytes) -> str:
    """Return the content digest of `data`, as a registry names it."""
    return f"sha256:{hashlib.sha256(data).hexdigest()}"


def is_digest(text: str) -> bool:
    """Tell whether `text` is a sha256 content digest (`sha256:` and 64 lowercase hex)."""
    return DIGEST.fullmatch(text) is not None


def is_reference(text: str) -> bool:
    """Tell whether `text` can name a manifest: a tag or a digest."""
    return is_digest(text) or _TAG.fullmatch(text) is not None


def parse_manifest(image: str, body: bytes, content_type: str) -> ImageManifest:
    """Return the schema 2 manifest in `body`; refuse OCI, lists and anything malformed."""
    try:
        document = json.loads(body)
    except ValueError:
        raise MalformedManifestError(image, "it is not JSON") from None
    if not isinstance(document, dict):
        raise MalformedManifestError(image, "it is not a JSON object")
    declared = document.get("mediaType")
    media_type = declared if isinstance(declared, str) else content_type.partition(";")[0].strip()
    if media_type != DOCKER_MANIFEST or document.get("schemaVersion") != 2:  # noqa: PLR2004 - schema 2
        raise UnsupportedManifestError(image, media_type)
    layers = document.get("layers")
    if not isinstance(layers, list):
        raise MalformedManifestError(image, "it has no layers list")
    return ImageManifest(
        image=image,
        body=body,
        config=_blob(image, document.get("config"), "config"),
        layers=tuple(_blob(image, layer, f"layer {index}") for index, layer in enumerate(layers)),
    )


def _blob(image: str, descriptor: object, what: str) -> Blob:
    if not isinstance(descriptor, dict):
        raise MalformedManifestError(image, f"its {what} is not a descriptor")
    digest, size = descriptor.get("digest"), descriptor.get("size")
    if not isinstance(digest, str) or not is_digest(digest):
        raise MalformedManifestError(image, f"its {what} digest is not sha256:<64 hex>")
    if not isinstance(size, int) or isinstance(size, bool) or size < 0:
        raise MalformedManifestError(image, f"its {what} size is not a byte count")
    return Blob(digest, size)
