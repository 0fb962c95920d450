"""The Docker Registry HTTP API v2 over the shared HTTP setup (integrations.http).

Basic auth: user `_`, the Heroku API key as password. The key only ever goes in the
Authorization header; errors name the registry, the image and the status.
"""

from __future__ import annotations

import base64
import hashlib
import re
import time
from typing import IO, TYPE_CHECKING

import httpx

from app.redaction import redact_url, scrub
from semaine.integrations.http import ServiceBacked, ServiceClient, TransportErrors
from semaine.integrations.registry.config import REGISTRY_USER, RegistrySettings
from semaine.integrations.registry.errors import (
    BlobDigestMismatchError,
    BlobNotFoundError,
    ForeignUploadLocationError,
    ImageNotFoundError,
    MalformedManifestError,
    RegistryAuthenticationError,
    RegistryError,
    RegistryForbiddenError,
    RegistryRateLimitedError,
    RegistryTimeoutError,
    RegistryUnexpectedResponseError,
    RegistryUnreachableError,
)
from semaine.integrations.registry.manifests import (
    ACCEPT,
    Blob,
    ImageManifest,
    is_digest,
    is_reference,
    parse_manifest,
)
from semaine.integrations.retry import RETRY_POLICY, RetryPolicy

if TYPE_CHECKING:
    from collections.abc import Callable

    from semaine.integrations.http import Exchange

ERRORS = TransportErrors(unreachable=RegistryUnreachableError, timed_out=RegistryTimeoutError)
_READ_BYTES = 1024 * 1024
_REPOSITORY = re.compile(r"^[a-z0-9]+(?:[._-][a-z0-9]+)*(?:/[a-z0-9]+(?:[._-][a-z0-9]+)*)*$")
"""The distribution spec's repository name grammar."""


class RegistryClient(ServiceBacked):
    """One registry, one API key: read manifests, test, mount, move and put blobs."""

    def __init__(
        self,
        api_key: str,
        settings: RegistrySettings | None = None,
        *,
        policy: RetryPolicy = RETRY_POLICY,
        sleep: Callable[[float], None] = time.sleep,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.settings = settings or RegistrySettings.from_environment()
        self.url = redact_url(self.settings.registry_url)
        token = base64.b64encode(f"{REGISTRY_USER}:{api_key}".encode()).decode()
        self._secrets = (api_key, token)
        self._http = ServiceClient(
            self.settings.endpoint(),
            headers={"Authorization": f"Basic {token}"},
            secrets=self._secrets,
            errors=ERRORS,
            policy=policy,
            sleep=sleep,
            transport=transport,
        )

    def manifest(self, repository: str, reference: str = "latest") -> ImageManifest:
        """Return the Docker schema 2 manifest of `repository:reference` (OCI and lists refused)."""
        image = _image(repository, reference)
        if not is_reference(reference):
            message = f"{reference!r} is neither a tag nor a sha256 digest"
            raise ValueError(message)
        exchange = self._http.request(
            "GET", f"/v2/{_path(repository)}/manifests/{reference}", headers={"Accept": ACCEPT}
        )
        response = self._checked(
            exchange,
            f"the manifest of {image}",
            lambda: ImageNotFoundError(repository, reference, self.url),
        )
        return parse_manifest(image, response.content, response.headers.get("Content-Type", ""))

    def config_digest(self, repository: str, reference: str = "latest") -> str:
        """Return the image id Heroku releases: the config digest of `repository:reference`."""
        return self.manifest(repository, reference).config_digest

    def has_blob(self, repository: str, digest: str) -> bool:
        """Tell whether `repository` holds blob `digest` (HEAD)."""
        exchange = self._http.request("HEAD", _blob_path(repository, digest))
        if exchange.response.status_code == httpx.codes.NOT_FOUND:
            return False
        self._checked(exchange, f"blob {digest} in {repository}", None)
        return True

    def mount_blob(self, repository: str, digest: str, from_repository: str) -> str | None:
        """Mount `digest` from `from_repository`; None when mounted, else the upload it opened."""
        path = (
            f"/v2/{_path(repository)}/blobs/uploads/?mount={digest}&from={_path(from_repository)}"
        )
        exchange = self._http.request("POST", path)
        what = f"mounting blob {digest} from {from_repository} into {repository}"
        response = self._checked(exchange, what, None, ok=(201, 202))
        if response.status_code == httpx.codes.CREATED:
            return None
        return self._location(response, what)

    def start_upload(self, repository: str) -> str:
        """Open a blob upload in `repository`; return where to send the bytes."""
        what = f"starting a blob upload in {repository}"
        exchange = self._http.request("POST", f"/v2/{_path(repository)}/blobs/uploads/")
        return self._location(self._checked(exchange, what, None, ok=(202,)), what)

    def download_blob(self, repository: str, blob: Blob, into: IO[bytes]) -> None:
        """Write blob `blob` of `repository` into `into`, checking its size and digest."""
        if not is_digest(blob.digest):
            raise MalformedManifestError(repository, f"blob digest {blob.digest!r} is malformed")
        hashed = hashlib.sha256()
        what = f"downloading blob {blob.digest} from {repository}"
        with self._http.download(_blob_path(repository, blob.digest)) as exchange:
            self._checked(
                exchange, what, lambda: BlobNotFoundError(repository, blob.digest, self.url)
            )
            try:
                for chunk in exchange.response.iter_bytes(_READ_BYTES):
                    hashed.update(chunk)
                    into.write(chunk)
            except httpx.TransportError as error:
                raise self._http.transport_error(error) from None
        got = f"sha256:{hashed.hexdigest()}"
        if got != blob.digest:
            raise BlobDigestMismatchError(repository, blob.digest, got)

    def upload_blob(self, location: str, blob: Blob, source: IO[bytes]) -> None:
        """Send `source` (positioned at 0) to an open upload: one request, or chunk by chunk."""
        what = f"uploading blob {blob.digest}"
        chunk_bytes = self.settings.chunk_bytes
        if blob.size > chunk_bytes:
            offset = 0
            while chunk := source.read(chunk_bytes):
                headers = {
                    "Content-Type": "application/octet-stream",
                    "Content-Range": f"{offset}-{offset + len(chunk) - 1}",
                }
                exchange = self._http.request("PATCH", location, content=chunk, headers=headers)
                location = self._location(self._checked(exchange, what, None, ok=(202,)), what)
                offset += len(chunk)
            body = b""
        else:
            body = source.read()
        finished = self._http.request(
            "PUT",
            _with_digest(location, blob.digest),
            content=body,
            headers={"Content-Type": "application/octet-stream"},
        )
        self._checked(finished, what, None, ok=(201,))

    def put_manifest(self, repository: str, reference: str, manifest: ImageManifest) -> str:
        """Store `manifest`'s exact bytes as `repository:reference`; return the digest stored."""
        what = f"putting the manifest of {_image(repository, reference)}"
        exchange = self._http.request(
            "PUT",
            f"/v2/{_path(repository)}/manifests/{reference}",
            content=manifest.body,
            headers={"Content-Type": manifest.media_type},
        )
        response = self._checked(exchange, what, None, ok=(201,))
        stored: str = response.headers.get("Docker-Content-Digest", manifest.digest)
        return stored

    def _checked(
        self,
        exchange: Exchange,
        what: str,
        not_found: Callable[[], RegistryError] | None,
        *,
        ok: tuple[int, ...] = (200,),
    ) -> httpx.Response:
        response = exchange.response
        status = response.status_code
        if status in ok:
            return response
        if status == httpx.codes.UNAUTHORIZED:
            raise RegistryAuthenticationError(what, self.url)
        if status == httpx.codes.FORBIDDEN:
            raise RegistryForbiddenError(what, self.url)
        if status == httpx.codes.NOT_FOUND and not_found is not None:
            raise not_found()
        if status == httpx.codes.TOO_MANY_REQUESTS:
            raise RegistryRateLimitedError(what, exchange.attempts)
        raise RegistryUnexpectedResponseError(what, status, self._said(response))

    def _location(self, response: httpx.Response, what: str) -> str:
        location = response.headers.get("Location")
        if not location:
            raise RegistryUnexpectedResponseError(what, response.status_code, "without a Location")
        resolved = response.request.url.join(location)
        registry = httpx.URL(self.settings.registry_url)
        if (resolved.scheme, resolved.host, resolved.port) != (
            registry.scheme,
            registry.host,
            registry.port,
        ):
            raise ForeignUploadLocationError(self.url, resolved.host)
        return str(resolved)

    def _said(self, response: httpx.Response) -> str:
        """Return the registry's own error code and message, if its body has one."""
        if "json" not in response.headers.get("Content-Type", ""):
            return ""
        try:
            response.read()
            document = response.json()
        except (ValueError, httpx.StreamError):
            return ""
        errors = document.get("errors") if isinstance(document, dict) else None
        if not isinstance(errors, list) or not errors or not isinstance(errors[0], dict):
            return ""
        first = errors[0]
        said = f"{first.get('code', '')}: {first.get('message', '')}".strip(": ")
        return scrub(" ".join(said.split())[:200], *self._secrets)


def _image(repository: str, reference: str) -> str:
    separator = "@" if is_digest(reference) else ":"
    return f"{repository}{separator}{reference}"


def _path(repository: str) -> str:
    """Return a repository name for a URL path, refusing what no registry would name."""
    if not _REPOSITORY.fullmatch(repository):
        message = f"{repository!r} is not a repository name (lowercase, e.g. my-app/web)"
        raise ValueError(message)
    return repository


def _blob_path(repository: str, digest: str) -> str:
    return f"/v2/{_path(repository)}/blobs/{digest}"


def _with_digest(location: str, digest: str) -> str:
    # The Location carries the upload's state in its query: add to it, never replace it.
    return str(httpx.URL(location).copy_merge_params({"digest": digest}))
