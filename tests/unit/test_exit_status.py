"""One exit-status table for the service and the pipeline (two homes: app never imports semaine)."""

import argparse

import pytest

from app.exit_status import ExitStatus as AppExitStatus
from semaine.exit_status import ExitStatus as PipelineExitStatus


def test_both_tables_name_the_same_statuses_with_the_same_numbers() -> None:
    assert {s.name: int(s) for s in AppExitStatus} == {s.name: int(s) for s in PipelineExitStatus}
    assert [int(s) for s in PipelineExitStatus] == [0, 1, 2, 3, 130]


def test_argparse_usage_errors_are_the_refused_status() -> None:
    parser = argparse.ArgumentParser()
    with pytest.raises(SystemExit) as exited:
        parser.parse_args(["--nope"])
    assert exited.value.code == PipelineExitStatus.REFUSED
