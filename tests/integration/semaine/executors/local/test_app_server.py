"""The app served for the load and e2e stages: what a start failure reports."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

import pytest

from semaine.executors.local.app_server import AppStartError
from semaine.executors.local.ports import free_port
from tests.paths import ROOT
from tests.processes import processes
from tests.served_app import served_app_blocking

if TYPE_CHECKING:
    from pathlib import Path

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
    # The server, started beside the migration that failed, was stopped with it.
    serving = [
        process.pid
        for process in processes()
        if process.parent == os.getpid()
        and {"app", "serve"} <= set(process.command)
        and process.state != "Z"
    ]
    assert serving == []
