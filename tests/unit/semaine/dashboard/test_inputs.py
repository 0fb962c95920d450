"""What the dashboard reads, and what it refuses with what to do."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

import pytest

from semaine.dashboard.errors import (
    EmptyHistoryError,
    HistoryNotFoundError,
    InputNotFoundError,
    NoHistoryError,
    NotASummaryError,
    NotATimeError,
    UnreadableInputError,
)
from semaine.dashboard.inputs import load_inputs, parse_now
from tests.dashboard_histories import (
    MONDAY,
    pipeline_summary,
    record,
    run,
    write_history,
    write_records,
)

if TYPE_CHECKING:
    from pathlib import Path


@pytest.fixture
def history(tmp_path: Path) -> Path:
    runs = [run(MONDAY + timedelta(minutes=15 * n)) for n in range(4)]
    runs.append(run(MONDAY, environment="staging"))
    return write_history(tmp_path / "state", runs)


def test_every_environment_of_the_folder_by_name(history: Path) -> None:
    inputs = load_inputs(history)
    assert [h.environment for h in inputs.histories] == ["production", "staging"]
    assert [len(h.runs) for h in inputs.histories] == [4, 1]
    assert inputs.deployments is None
    assert inputs.pipeline is None


def test_torn_and_foreign_lines_are_counted_not_fatal(history: Path) -> None:
    path = history / "production.jsonl"
    foreign = run(MONDAY, environment="staging").model_dump_json()
    path.write_text(path.read_text() + '{"environment": "produc\n' + foreign + "\n")
    (production,) = load_inputs(history, ["production"]).histories
    assert len(production.runs) == 4
    assert production.unreadable_lines == 2


def test_deliveries_of_the_environments_shown_only(history: Path, tmp_path: Path) -> None:
    folder = write_records(
        tmp_path / "reports",
        [record("deploy", MONDAY, 60.0), record("deploy", MONDAY, 60.0, environment="qa")],
    )
    (folder / "junk.json").write_text("{}")
    inputs = load_inputs(history, ["production"], deployments=folder)
    assert [r.environment for r in inputs.deployments or []] == ["production"]
    assert inputs.unreadable_records == 1


def test_a_pipeline_summary_is_read(history: Path, tmp_path: Path) -> None:
    summary = pipeline_summary(tmp_path / "summary.json")
    pipeline = load_inputs(history, pipeline_summary=summary).pipeline
    assert pipeline is not None
    assert pipeline.verdict == "fail"
    (coverage,) = pipeline.stages[1].gates
    assert (coverage.measurement, coverage.requirement) == ("85 %", ">= 90 %")


@pytest.mark.parametrize("where", ["missing", "file"])
def test_a_missing_history_folder_is_refused(tmp_path: Path, where: str) -> None:
    folder = tmp_path / "state"
    if where == "file":
        folder.write_text("not a folder")
    with pytest.raises(HistoryNotFoundError, match="pass --history the folder"):
        load_inputs(folder)


def test_a_folder_without_history_is_refused(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("")
    with pytest.raises(NoHistoryError, match=r"holds no history \(no \*\.jsonl file\)"):
        load_inputs(tmp_path)


def test_an_environment_without_history_is_refused(history: Path) -> None:
    with pytest.raises(HistoryNotFoundError, match=r"qa\.jsonl"):
        load_inputs(history, ["production", "qa"])


def test_a_history_without_a_readable_run_is_refused(tmp_path: Path) -> None:
    (tmp_path / "production.jsonl").write_text("not json\n\n{}\n")
    with pytest.raises(EmptyHistoryError, match=r"no readable monitor run \(2 non-empty lines\)"):
        load_inputs(tmp_path)


@pytest.mark.parametrize("damage", ["folder", "encoding"])
def test_an_unreadable_history_is_refused(tmp_path: Path, damage: str) -> None:
    path = tmp_path / "production.jsonl"
    if damage == "folder":
        path.mkdir()
        names: list[str] = ["production"]
    else:
        path.write_bytes(b"\xff\xfe\x00garbage")
        names = []
    with pytest.raises(UnreadableInputError, match=r"cannot read .*production\.jsonl"):
        load_inputs(tmp_path, names)


def test_named_inputs_that_are_not_there_are_refused(history: Path, tmp_path: Path) -> None:
    with pytest.raises(InputNotFoundError, match=r"--deployments .* does not exist"):
        load_inputs(history, deployments=tmp_path / "nowhere")
    with pytest.raises(InputNotFoundError, match=r"--pipeline-summary .* does not exist"):
        load_inputs(history, pipeline_summary=tmp_path / "summary.json")
    with pytest.raises(UnreadableInputError):
        load_inputs(history, deployments=history / "production.jsonl")


@pytest.mark.parametrize("text", ["not json", '{"verdict": "pass"}', "[]"])
def test_a_summary_of_another_shape_is_refused(history: Path, tmp_path: Path, text: str) -> None:
    path = tmp_path / "summary.json"
    path.write_text(text)
    with pytest.raises(NotASummaryError, match=r"pass the summary\.json a `semaine pipeline`"):
        load_inputs(history, pipeline_summary=path)


def test_now_must_name_its_timezone() -> None:
    assert parse_now("2026-11-30T12:00:00Z").utcoffset() == timedelta(0)
    assert parse_now("2026-11-30T13:00:00+01:00") == parse_now("2026-11-30T12:00:00Z")
    with pytest.raises(NotATimeError, match="no timezone"):
        parse_now("2026-11-30T12:00:00")
    with pytest.raises(NotATimeError, match="not ISO 8601"):
        parse_now("yesterday")
