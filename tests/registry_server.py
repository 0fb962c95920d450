"""A real container registry for the tests: Debian's `docker-registry` (CNCF distribution 2.8).

`LocalRegistry` starts the server on a free loopback port with filesystem storage and
basic auth (htpasswd with a bcrypt hash, the only kind distribution accepts), waits
until `/v2/` answers, and stops it on exit. `push_image` builds a tiny image from a
layer (tar.gz) and a config JSON and pushes it through the registry's own HTTP API,
as Docker schema 2 or as OCI: what a `docker push` or Dagger `publish` would leave.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import random
import shutil
import subprocess
import tarfile
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Self

import bcrypt
import httpx

from semaine.executors.local.ports import LOOPBACK, free_port

if TYPE_CHECKING:
    from pathlib import Path

PROGRAM = "/usr/bin/docker-registry"
USER = "_"
READY_TIMEOUT_SECONDS = 30.0
TEST_KEY = "registry-test-key-0123456789"

DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json"
DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json"
DOCKER_LAYER = "application/vnd.docker.image.rootfs.diff.tar.gzip"
DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json"
OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
OCI_CONFIG = "application/vnd.oci.image.config.v1+json"
OCI_LAYER = "application/vnd.oci.image.layer.v1.tar+gzip"
DOCKER_TYPES = (DOCKER_MANIFEST, DOCKER_CONFIG, DOCKER_LAYER)


def sha256(data: bytes) -> str:
    """Return the content digest of `data` as a registry names it."""
    return f"sha256:{hashlib.sha256(data).hexdigest()}"


@dataclass(frozen=True)
class PushedImage:
    """What the tests pushed: the manifest and config digests, and each blob's bytes."""

    repository: str
    tag: str
    manifest_digest: str
    config_digest: str
    blobs: dict[str, bytes] = field(repr=False)


def tiny_layer(files: dict[str, bytes]) -> bytes:
    """Return a gzipped tar of `files` (deterministic: fixed mtimes, no gzip timestamp)."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as archive:
        for name, content in sorted(files.items()):
            info = tarfile.TarInfo(name)
            info.size = len(content)
            info.mtime = 0
            archive.addfile(info, io.BytesIO(content))
    return gzip.compress(buffer.getvalue(), mtime=0)


def image_config(layers: list[bytes], command: list[str]) -> bytes:
    """Return an image config naming its layers (a diff_id is the digest of the plain tar)."""
    diff_ids = [sha256(gzip.decompress(layer)) for layer in layers]
    config = {
        "architecture": "amd64",
        "os": "linux",
        "config": {"Cmd": command},
        "rootfs": {"type": "layers", "diff_ids": diff_ids},
    }
    return json.dumps(config, sort_keys=True).encode()


class LocalRegistry:
    """`docker-registry` on a free loopback port, its storage and htpasswd under `folder`."""

    def __init__(self, folder: Path, password: str = TEST_KEY) -> None:
        self.folder = folder
        self.password = password
        self.port = free_port()
        self.url = f"http://{LOOPBACK}:{self.port}"
        self._process: subprocess.Popen[bytes] | None = None
        self.log = folder / "registry.log"

    @staticmethod
    def available() -> bool:
        """Tell whether the registry program is installed."""
        return shutil.which(PROGRAM) is not None

    def __enter__(self) -> Self:
        self.folder.mkdir(parents=True, exist_ok=True)
        hashed = bcrypt.hashpw(self.password.encode(), bcrypt.gensalt(rounds=4)).decode()
        (self.folder / "htpasswd").write_text(f"{USER}:{hashed}\n", encoding="utf-8")
        config = self.folder / "config.yml"
        config.write_text(self._config(), encoding="utf-8")
        with self.log.open("wb") as log:
            self._process = subprocess.Popen(
                [PROGRAM, "serve", str(config)],
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        self._wait_until_ready()
        return self

    def __exit__(self, *_exc_info: object) -> None:
        self.stop()

    def stop(self) -> None:
        """Stop the server (idempotent)."""
        if self._process is not None and self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()

    def client(self) -> httpx.Client:
        """Return an httpx client logged in as the test user (for pushing and checking)."""
        return httpx.Client(base_url=self.url, auth=(USER, self.password), timeout=10.0)

    def push_image(  # noqa: PLR0913 - each argument is one fact of the pushed image
        self,
        repository: str,
        *,
        tag: str = "latest",
        files: dict[str, bytes] | None = None,
        command: tuple[str, ...] = ("python", "-m", "app", "serve"),
        oci: bool = False,
        noise_layers: tuple[int, ...] = (),
        seed: str = "",
    ) -> PushedImage:
        """Push an image (a layer of `files`, plus incompressible layers) as schema 2 or OCI.

        The incompressible layers' bytes depend on the repository and `seed` only.
        """
        layers = [tiny_layer(files or {"app/hello.txt": b"hello"})]
        noise = random.Random(f"{repository}:{seed}")  # noqa: S311 - filler bytes, not a secret
        layers += [
            tiny_layer({f"noise/{index}": noise.randbytes(size)})
            for index, size in enumerate(noise_layers)
        ]
        config = image_config(layers, list(command))
        types = (OCI_MANIFEST, OCI_CONFIG, OCI_LAYER) if oci else DOCKER_TYPES
        manifest = {
            "schemaVersion": 2,
            "mediaType": types[0],
            "config": {"mediaType": types[1], "size": len(config), "digest": sha256(config)},
            "layers": [
                {"mediaType": types[2], "size": len(layer), "digest": sha256(layer)}
                for layer in layers
            ],
        }
        body = json.dumps(manifest, indent=3).encode()
        blobs = {sha256(blob): blob for blob in (config, *layers)}
        with self.client() as client:
            for digest, blob in blobs.items():
                self._push_blob(client, repository, digest, blob)
            answer = client.put(
                f"/v2/{repository}/manifests/{tag}",
                content=body,
                headers={"Content-Type": types[0]},
            )
            answer.raise_for_status()
        return PushedImage(repository, tag, sha256(body), sha256(config), blobs)

    def push_manifest_list(self, repository: str, image: PushedImage, tag: str = "latest") -> str:
        """Push a Docker manifest list naming `image` for linux/amd64; return its digest."""
        with self.client() as client:
            manifest = client.get(
                f"/v2/{repository}/manifests/{image.manifest_digest}",
                headers={"Accept": DOCKER_MANIFEST},
            )
            manifest.raise_for_status()
            listing = {
                "schemaVersion": 2,
                "mediaType": DOCKER_LIST,
                "manifests": [
                    {
                        "mediaType": DOCKER_MANIFEST,
                        "size": len(manifest.content),
                        "digest": image.manifest_digest,
                        "platform": {"architecture": "amd64", "os": "linux"},
                    }
                ],
            }
            body = json.dumps(listing).encode()
            answer = client.put(
                f"/v2/{repository}/manifests/{tag}",
                content=body,
                headers={"Content-Type": DOCKER_LIST},
            )
            answer.raise_for_status()
        return sha256(body)

    def has_blob(self, repository: str, digest: str) -> bool:
        """Tell whether `repository` holds blob `digest`."""
        with self.client() as client:
            return client.head(f"/v2/{repository}/blobs/{digest}").status_code == httpx.codes.OK

    def _push_blob(self, client: httpx.Client, repository: str, digest: str, blob: bytes) -> None:
        started = client.post(f"/v2/{repository}/blobs/uploads/")
        started.raise_for_status()
        location = started.headers["Location"]
        # The Location carries the upload's state in its query: add to it, never replace it.
        url = httpx.URL(location)
        finished = client.put(
            url.copy_merge_params({"digest": digest}),
            content=blob,
            headers={"Content-Type": "application/octet-stream"},
        )
        finished.raise_for_status()

    def _config(self) -> str:
        storage = self.folder / "storage"
        return (
            "version: 0.1\n"
            "log:\n  level: warn\n  accesslog:\n    disabled: true\n"
            f"storage:\n  filesystem:\n    rootdirectory: {storage}\n"
            "  delete:\n    enabled: true\n"
            f"http:\n  addr: {LOOPBACK}:{self.port}\n  relativeurls: false\n"
            f"auth:\n  htpasswd:\n    realm: semaine-tests\n    path: {self.folder / 'htpasswd'}\n"
        )

    def _wait_until_ready(self) -> None:
        assert self._process is not None
        deadline = time.monotonic() + READY_TIMEOUT_SECONDS
        with httpx.Client(timeout=1.0) as probe:
            while time.monotonic() < deadline:
                if self._process.poll() is not None:
                    break
                try:
                    # Without credentials a ready registry answers 401 to /v2/.
                    if probe.get(f"{self.url}/v2/").status_code == httpx.codes.UNAUTHORIZED:
                        return
                except httpx.TransportError:
                    pass
                time.sleep(0.05)
        self.stop()
        output = self.log.read_text(encoding="utf-8", errors="replace")[-2000:]
        message = f"docker-registry did not start on {self.url}; its log:\n{output}"
        raise RuntimeError(message)
