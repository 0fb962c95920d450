"""What a manifest is taken for: schema 2 only, digests checked before they reach a URL."""

from __future__ import annotations

import json

import pytest

from semaine.integrations.registry.errors import MalformedManifestError, UnsupportedManifestError
from semaine.integrations.registry.manifests import (
    ACCEPT,
    DOCKER_MANIFEST,
    DOCKER_MANIFEST_LIST,
    OCI_INDEX,
    OCI_MANIFEST,
    is_digest,
    is_reference,
    parse_manifest,
    sha256_digest,
)

CONFIG = "sha256:" + "c" * 64
LAYER = "sha256:" + "1" * 64


def manifest(**changes: object) -> bytes:
    document: dict[str, object] = {
        "schemaVersion": 2,
        "mediaType": DOCKER_MANIFEST,
        "config": {"mediaType": "x", "size": 10, "digest": CONFIG},
        "layers": [{"mediaType": "y", "size": 20, "digest": LAYER}],
    }
    document.update(changes)
    return json.dumps(document).encode()


def test_a_schema_2_manifest_names_its_config_and_layers() -> None:
    body = manifest()

    parsed = parse_manifest("app/web:latest", body, DOCKER_MANIFEST)

    assert parsed.config_digest == CONFIG
    assert [blob.digest for blob in parsed.blobs] == [CONFIG, LAYER]
    assert parsed.digest == sha256_digest(body)
    assert parsed.body == body


@pytest.mark.parametrize(
    ("media_type", "kind"),
    [
        (OCI_MANIFEST, "an OCI image manifest"),
        (DOCKER_MANIFEST_LIST, "a manifest list"),
        (OCI_INDEX, "a manifest list"),
        ("application/vnd.docker.distribution.manifest.v1+prettyjws", "not a Docker schema 2"),
    ],
)
def test_every_other_kind_is_refused_by_name(media_type: str, kind: str) -> None:
    with pytest.raises(UnsupportedManifestError, match=kind):
        parse_manifest("app/web:latest", manifest(mediaType=media_type), media_type)


def test_without_a_media_type_field_the_content_type_decides() -> None:
    body = json.loads(manifest())
    del body["mediaType"]
    raw = json.dumps(body).encode()

    assert parse_manifest("a/web:latest", raw, f"{DOCKER_MANIFEST}; charset=utf-8").config_digest
    with pytest.raises(UnsupportedManifestError, match="OCI"):
        parse_manifest("a/web:latest", raw, OCI_MANIFEST)


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        (b"not json", "not JSON"),
        (b"[]", "not a JSON object"),
        (manifest(layers=None), "no layers list"),
        (manifest(config={"size": 1, "digest": "sha256:../../x"}), "config digest"),
        (manifest(config={"size": -1, "digest": CONFIG}), "config size"),
        (manifest(layers=[{"size": True, "digest": LAYER}]), "layer 0 size"),
    ],
)
def test_a_malformed_manifest_says_what_is_wrong(body: bytes, problem: str) -> None:
    with pytest.raises(MalformedManifestError, match=problem):
        parse_manifest("a/web:latest", body, DOCKER_MANIFEST)


def test_the_accept_header_lists_every_kind_schema_2_first() -> None:
    kinds = [kind.strip() for kind in ACCEPT.split(",")]
    assert kinds[0] == DOCKER_MANIFEST
    assert set(kinds) == {DOCKER_MANIFEST, DOCKER_MANIFEST_LIST, OCI_MANIFEST, OCI_INDEX}


def test_digests_and_references() -> None:
    assert is_digest(CONFIG)
    assert not is_digest("sha256:" + "C" * 64)
    assert not is_digest("sha512:" + "c" * 128)
    assert is_reference("latest")
    assert is_reference(CONFIG)
    assert not is_reference("../latest")
    assert not is_reference("")
