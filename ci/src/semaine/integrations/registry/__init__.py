"""The container registry (Docker Registry HTTP API v2): read image ids, copy images."""

from semaine.integrations.registry.client import RegistryClient
from semaine.integrations.registry.config import (
    DEFAULT_REGISTRY_URL,
    REGISTRY_URL_SETTING,
    REGISTRY_USER,
    RegistrySettings,
    repository,
)
from semaine.integrations.registry.copy import ImageCopy, Repository, copy_image
from semaine.integrations.registry.errors import (
    BlobDigestMismatchError,
    BlobNotFoundError,
    CopyVerificationError,
    ImageNotFoundError,
    MalformedManifestError,
    RegistryAuthenticationError,
    RegistryError,
    RegistryForbiddenError,
    RegistryRateLimitedError,
    RegistrySettingError,
    RegistryTimeoutError,
    RegistryUnexpectedResponseError,
    RegistryUnreachableError,
    UnsupportedManifestError,
)
from semaine.integrations.registry.manifests import DOCKER_MANIFEST, ImageManifest, is_digest

__all__ = [
    "DEFAULT_REGISTRY_URL",
    "DOCKER_MANIFEST",
    "REGISTRY_URL_SETTING",
    "REGISTRY_USER",
    "BlobDigestMismatchError",
    "BlobNotFoundError",
    "CopyVerificationError",
    "ImageCopy",
    "ImageManifest",
    "ImageNotFoundError",
    "MalformedManifestError",
    "RegistryAuthenticationError",
    "RegistryClient",
    "RegistryError",
    "RegistryForbiddenError",
    "RegistryRateLimitedError",
    "RegistrySettingError",
    "RegistrySettings",
    "RegistryTimeoutError",
    "RegistryUnexpectedResponseError",
    "RegistryUnreachableError",
    "Repository",
    "UnsupportedManifestError",
    "copy_image",
    "is_digest",
    "repository",
]
