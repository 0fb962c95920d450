"""The app served for the load and e2e stages: what a start failure reports."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from semaine.executors.local.app_server import AppStartError
from semaine.executors.local.ports import free_port
from tests.paths import ROOT
from tests.served_app import served_app_blocking

pytestmark = pytest.mark.integration


def test_a_start_failure_keeps_the_message_apart_from_the_log(tmp_path: Path) -> None:
    unreachable = f"postgresql://postgres@127.0.0.1:{free_port()}/nowhere"

    with (
        pytest.raises(AppStartError) as raised,
        served_app_blocking(ROOT, unreachable, tmp_path / "app.log"),
    ):
        pytest.fail("the app must not start without its database")

    error = raised.value
    assert "db upgrade head` exited" in error.message
    assert "127.0.0.1" in error.output  # the tail of the command's output says where it looked
    assert error.output not in error.message  # the executor reports the two separately
    assert str(error).startswith(error.message)
    assert error.output in str(error)  # a test or benchmark sees the log in the traceback


def _serving_children() -> list[str]:
    children = []
    for entry in Path("/proc").iterdir():
        try:
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            command = (entry / "cmdline").read_bytes().split(b"\0")
        except (OSError, IndexError, ValueError):
            continue  # not a process, or it ended while we looked
        if ppid == os.getpid() and b"serve" in command and b"app" in command:
            children.append(entry.name)
    return children


def test_a_failed_migration_stops_the_app_started_beside_it(tmp_path: Path) -> None:
    unreachable = f"postgresql://postgres@127.0.0.1:{free_port()}/nowhere"

    with (
        pytest.raises(AppStartError),
        served_app_blocking(ROOT, unreachable, tmp_path / "app.log"),
    ):
        pytest.fail("the app must not start without its database")

    assert _serving_children() == []
