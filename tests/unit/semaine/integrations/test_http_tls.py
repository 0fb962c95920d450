"""semaine.integrations.http verifies every certificate, and nothing can turn that off."""

from __future__ import annotations

import ast
import inspect
import ssl
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING

import pytest

from semaine.integrations.errors import ServiceUnreachableError
from semaine.integrations.http import Endpoint, ServiceClient
from tests.paths import ROOT

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path


class _Hello(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *_args: object) -> None:
        """Keep the test output quiet."""


@pytest.fixture
def https_server(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """Serve HTTPS on the loopback with a self-signed certificate; yield (URL, cert)."""
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
            "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
            "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert),
        ],
        check=True, capture_output=True,
    )  # fmt: skip
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Hello)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"https://127.0.0.1:{server.server_address[1]}", cert
    finally:
        server.shutdown()
        server.server_close()


def client(url: str) -> ServiceClient:
    """Return the integrations' client for a service at `url`, retrying without waiting."""
    endpoint = Endpoint("the test service", url, "TEST_SERVICE_URL", 2.0, 2.0)
    return ServiceClient(endpoint, headers={}, sleep=lambda _seconds: None)


def test_a_certificate_no_authority_vouches_for_is_refused(
    https_server: tuple[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    url, _ = https_server
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)
    with client(url) as service, pytest.raises(ServiceUnreachableError) as caught:
        service.request("GET", "/")
    assert "CERTIFICATE_VERIFY_FAILED" in caught.value.detail


def test_a_private_authority_is_trusted_through_ssl_cert_file(
    https_server: tuple[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    url, cert = https_server
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))
    with client(url) as service:
        exchange = service.request("GET", "/")
    assert (exchange.response.status_code, exchange.response.text) == (200, "ok")


def test_the_client_has_no_switch_to_skip_verification() -> None:
    parameters = set(inspect.signature(ServiceClient.__init__).parameters)
    assert not parameters & {"verify", "insecure", "ssl_context", "cert", "trust_env"}


UNVERIFIED = {"CERT_NONE", "_create_unverified_context", "_create_default_https_context"}


def test_no_code_turns_verification_off() -> None:
    found = []
    for path in [*(ROOT / "app").rglob("*.py"), *(ROOT / "ci" / "src").rglob("*.py")]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            where = f"{path.relative_to(ROOT)}:{getattr(node, 'lineno', 0)}"
            if isinstance(node, ast.keyword) and node.arg == "verify":
                found.append(f"{where}: verify=")
            if isinstance(node, ast.Attribute) and node.attr in UNVERIFIED | {"check_hostname"}:
                found.append(f"{where}: {node.attr}")
            if isinstance(node, ast.Name) and node.id in UNVERIFIED:
                found.append(f"{where}: {node.id}")
    assert found == []
