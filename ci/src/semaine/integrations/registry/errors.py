"""Registry errors: they name the registry, the image and the status, never the API key."""

from __future__ import annotations

from semaine.integrations.errors import (
    BadSettingError,
    IntegrationError,
    ServiceTimeoutError,
    ServiceUnreachableError,
)

DOCKER_PUSH_ADVICE = (
    "push it with Docker media types and one linux/amd64 platform (Dagger: publish with"
    " media_types=DockerMediaTypes and no platform_variants, as `dagger call deploy` does;"
    " docker: build --platform linux/amd64 --provenance=false --sbom=false)"
)


class RegistryError(IntegrationError):
    """Base of every container registry error."""


class RegistryAuthenticationError(RegistryError):
    """401: the API key is missing, wrong or expired."""

    def __init__(self, what: str, registry: str) -> None:
        self.what = what
        super().__init__(
            f"the registry at {registry} refused the API key (401) for {what}",
            "check HEROKU_API_KEY: the registry takes user `_` and the API key of an account"
            " with access to both apps (heroku authorizations:create makes a long-lived one)",
        )


class RegistryForbiddenError(RegistryError):
    """403: the key works but its account may not touch this repository."""

    def __init__(self, what: str, registry: str) -> None:
        self.what = what
        super().__init__(
            f"the registry at {registry} forbids {what} (403) to this API key's account",
            "give the account access to the app (heroku access:add) or use another key",
        )


class ImageNotFoundError(RegistryError):
    """404 for a manifest: the repository holds no image under that tag or digest."""

    def __init__(self, repository: str, reference: str, registry: str) -> None:
        self.repository = repository
        self.reference = reference
        super().__init__(
            f"no image {repository}:{reference} in the registry at {registry} (404)",
            "deploy that environment first (`dagger call deploy --environment staging` pushes"
            " its images), and check the app name in .github/environments/",
        )


class BlobNotFoundError(RegistryError):
    """404 for a blob the image's manifest names: the repository is missing a layer."""

    def __init__(self, repository: str, digest: str, registry: str) -> None:
        self.repository = repository
        self.digest = digest
        super().__init__(
            f"the registry at {registry} has no blob {digest} in {repository} (404),"
            " although the image's manifest names it",
            "push the image again (deploy staging), then retry",
        )


class RegistryRateLimitedError(RegistryError):
    """429 after every retry the policy allows."""

    def __init__(self, what: str, attempts: int) -> None:
        self.what = what
        self.attempts = attempts
        super().__init__(
            f"the registry rate limit was hit for {what} after {attempts} attempts",
            "wait a few minutes and retry: nothing was released, and copied blobs are kept",
        )


class RegistryUnexpectedResponseError(RegistryError):
    """Any other status (5xx after the retries included), or a body that is not a registry's."""

    def __init__(self, what: str, status: int, detail: str) -> None:
        self.what = what
        self.status = status
        self.detail = detail
        super().__init__(
            f"unexpected registry answer for {what}: HTTP {status} {detail}".rstrip(),
            "retry later (copied blobs are kept, nothing is released until the copy is"
            " verified); if it persists check https://status.heroku.com",
        )


class UnsupportedManifestError(RegistryError):
    """The image is an OCI manifest, a manifest list or an OCI index: Heroku runs none."""

    def __init__(self, image: str, media_type: str) -> None:
        self.image = image
        self.media_type = media_type
        kind = (
            "a manifest list (several platforms, or attestations)"
            if "list" in media_type or "index" in media_type
            else "an OCI image manifest"
            if "oci" in media_type
            else "not a Docker schema 2 image manifest"
        )
        super().__init__(
            f"{image} is {kind} ({media_type or 'no media type'}): Heroku's registry and"
            " runtime take Docker image manifest v2 schema 2 only",
            DOCKER_PUSH_ADVICE,
        )


class MalformedManifestError(RegistryError):
    """The manifest is not the JSON a schema 2 manifest is, or names a malformed digest."""

    def __init__(self, image: str, problem: str) -> None:
        self.image = image
        self.problem = problem
        super().__init__(f"the manifest of {image} is unusable: {problem}", DOCKER_PUSH_ADVICE)


class BlobDigestMismatchError(RegistryError):
    """The bytes a blob download gave do not hash to the blob's digest."""

    def __init__(self, repository: str, expected: str, got: str) -> None:
        self.expected = expected
        self.got = got
        super().__init__(
            f"blob {expected} downloaded from {repository} hashes to {got}",
            "retry; if it persists the source image is damaged: push it again (deploy staging)",
        )


class CopyVerificationError(RegistryError):
    """After a copy, the target does not hold the image that was copied."""

    def __init__(self, target: str, expected: str, got: str) -> None:
        self.target = target
        self.expected = expected
        self.got = got
        super().__init__(
            f"after the copy {target} holds config {got}, not {expected}: nothing was released",
            "someone pushed to it meanwhile? run the promotion again",
        )


class ForeignUploadLocationError(RegistryError):
    """The registry sent an upload to another host: the key would follow it, so it is refused."""

    def __init__(self, registry: str, host: str) -> None:
        self.host = host
        super().__init__(
            f"the registry at {registry} sent a blob upload to another host ({host});"
            " the API key is not sent there",
            f"check HEROKU_REGISTRY_URL: it should name the registry itself ({registry} does not"
            " serve its own uploads)",
        )


class RegistryUnreachableError(RegistryError, ServiceUnreachableError):
    """The registry could not be reached (DNS, connection refused, TLS)."""


class RegistryTimeoutError(RegistryError, ServiceTimeoutError):
    """The registry took the connection but did not answer within the read timeout."""


class RegistrySettingError(RegistryError, BadSettingError):
    """HEROKU_REGISTRY_URL is not an http(s) URL."""
