"""The certificate check against a local TLS server whose certificate expires in 10 days."""

from __future__ import annotations

import ssl
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING

import pytest

from semaine.environments.monitoring import CertificateLimits
from semaine.monitoring.checks.tls import CertificateCheck

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from pathlib import Path

    from semaine.monitoring.checks.base import Measured

pytestmark = pytest.mark.integration
VALID_DAYS = 10


def openssl(*arguments: str, cwd: Path) -> None:
    subprocess.run(["openssl", *arguments], cwd=cwd, check=True, capture_output=True)


@pytest.fixture(scope="module")
def certificates(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Make a CA and a certificate for 127.0.0.1 signed by it, valid for VALID_DAYS."""
    folder = tmp_path_factory.mktemp("tls")
    openssl(
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "ca.key",
        "-out",
        "ca.pem",
        "-days",
        "30",
        "-subj",
        "/CN=semaine test CA",
        cwd=folder,
    )
    openssl(
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "server.key",
        "-out",
        "server.csr",
        "-subj",
        "/CN=127.0.0.1",
        cwd=folder,
    )
    (folder / "san.ext").write_text("subjectAltName=IP:127.0.0.1\n", encoding="utf-8")
    openssl(
        "x509",
        "-req",
        "-in",
        "server.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-out",
        "server.pem",
        "-days",
        str(VALID_DAYS),
        "-extfile",
        "san.ext",
        cwd=folder,
    )
    return folder


@pytest.fixture(scope="module")
def https_url(certificates: Path) -> Iterator[str]:
    """Serve HTTPS on a loopback port with the 10-day certificate."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(certificates / "server.pem", certificates / "server.key")
    server = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"https://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def trusted(certificates: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Trust the test CA, as SSL_CERT_FILE makes a private CA trusted in production."""
    monkeypatch.setenv("SSL_CERT_FILE", str(certificates / "ca.pem"))


@pytest.mark.usefixtures("trusted")
@pytest.mark.parametrize(
    ("degraded_within", "down_within", "state"),
    [(5, 2, "up"), (30, 2, "degraded"), (30, 20, "down")],
)
def test_days_to_expiry_against_the_limits(
    https_url: str,
    measure: Callable[..., Measured],
    degraded_within: int,
    down_within: int,
    state: str,
) -> None:
    limits = CertificateLimits(degraded_within_days=degraded_within, down_within_days=down_within)
    result = measure(CertificateCheck(limits), https_url).result
    assert result.state == state, result.detail
    assert VALID_DAYS - 1 < result.figures["days_to_expiry"] <= VALID_DAYS
    assert result.detail.startswith("the certificate of 127.0.0.1 expires ")


def test_an_untrusted_certificate_is_down(
    https_url: str, measure: Callable[..., Measured], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SSL_CERT_FILE", "/etc/ssl/certs/ca-certificates.crt")
    result = measure(CertificateCheck(CertificateLimits()), https_url).result
    assert result.state == "down"
    assert result.detail == (
        "the certificate of 127.0.0.1 fails: unable to get local issuer certificate"
    )
