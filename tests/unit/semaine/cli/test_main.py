"""`semaine`'s entry point: an interrupted verb ends in one line and the shell's 130."""

import argparse

import pytest

from semaine import cli
from semaine.cli import pipeline_verbs
from semaine.exit_status import ExitStatus


def test_ctrl_c_ends_in_one_line_and_130(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def interrupted(_arguments: argparse.Namespace) -> int:
        raise KeyboardInterrupt

    monkeypatch.setattr(pipeline_verbs, "run_pipeline", interrupted)
    assert cli.main(["lint"]) == ExitStatus.INTERRUPTED == 130
    assert capsys.readouterr().err == (
        "semaine lint: interrupted; nothing was judged (run it again)\n"
    )
