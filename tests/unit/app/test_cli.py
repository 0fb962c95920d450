"""`python -m app serve`: the --port flag is checked like PORT, before anything starts."""

from __future__ import annotations

import pytest

from app import cli
from app.cli import main
from tests.inprocess import run_main


@pytest.mark.parametrize("port", ["99999", "65536", "0", "-1", "http", "80.5", ""])
def test_serve_refuses_a_port_outside_1_to_65535_as_a_usage_error(
    monkeypatch: pytest.MonkeyPatch, port: str
) -> None:
    started: list[int] = []
    monkeypatch.setattr(cli, "_run_uvicorn", lambda _host, port: started.append(port) or 0)

    result = run_main(main, ["serve", "--port", port], {"PORT": None})

    assert result.returncode == 2
    assert started == []
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("usage: python -m app serve")
    assert f"argument --port: must be a TCP port number from 1 to 65535, not {port!r}" in (
        result.stderr
    )


@pytest.mark.parametrize("port", ["1", "8000", "65535"])
def test_serve_binds_the_port_given(monkeypatch: pytest.MonkeyPatch, port: str) -> None:
    started: list[int] = []
    monkeypatch.setattr(cli, "_run_uvicorn", lambda _host, port: started.append(port) or 0)

    # No DATABASE_URL: serve skips its database check (the app reports it on /readyz).
    result = run_main(main, ["serve", "--port", port], {"PORT": "9", "DATABASE_URL": None})
    assert result.returncode == 0
    assert started == [int(port)]
