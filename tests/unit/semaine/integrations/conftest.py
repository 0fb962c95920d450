"""The Heroku stand-in and an HTTPS server with its own certificate (refused_url: standins)."""

from __future__ import annotations

import shutil
import ssl
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any

import pytest

from tests.paths import HEROKU_STANDIN, load_module

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path
    from types import ModuleType

STANDIN = HEROKU_STANDIN


def load_standin() -> ModuleType:
    """Import tests/standins/heroku.py by path."""
    return load_module("semaine_tests_heroku_standin", STANDIN)


@pytest.fixture
def heroku() -> Iterator[Any]:
    """Give a running Heroku stand-in."""
    with load_standin().HerokuStandIn() as standin:
        yield standin


class HttpsServer:
    """A local HTTPS server answering 200 to GET, with a self-signed certificate."""

    def __init__(self, certificate: Path, key: Path) -> None:
        self.certificate = certificate
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(certificate, key)

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                self.send_response(200)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"{}")

            def log_message(self, *_args: Any) -> None:
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
        self.url = f"https://127.0.0.1:{self.server.server_address[1]}"


@pytest.fixture
def https_server(tmp_path: Path) -> Iterator[HttpsServer]:
    """Give a running HTTPS server whose certificate no default trust store holds."""
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("needs the openssl command to make a certificate")
    certificate, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [
            *(openssl, "req", "-x509", "-nodes", "-days", "1"),
            *("-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1"),
            *("-keyout", str(key), "-out", str(certificate)),
            *("-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"),
        ],
        check=True,
        capture_output=True,
    )
    server = HttpsServer(certificate, key)
    thread = threading.Thread(
        target=server.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
    )
    thread.start()
    yield server
    server.server.shutdown()
    server.server.server_close()
