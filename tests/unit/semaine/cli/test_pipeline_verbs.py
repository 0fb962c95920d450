import json
from pathlib import Path

import pytest

from semaine.cli import build_parser, main


def test_unknown_stage_is_a_usage_error_listing_the_valid_ones(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["pipeline", "--only", "lint,lnt"])
    assert exit_info.value.code == 2
    error = capsys.readouterr().err
    assert "unknown stage(s): lnt" in error
    assert "lint, typecheck, security, test, migrations, load, e2e, build" in error


@pytest.mark.parametrize("only", ["--only=", "--only=,"])
def test_an_empty_only_is_a_usage_error_not_the_whole_pipeline(
    only: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["pipeline", only, "--report-dir", str(tmp_path)]) == 2
    assert "--only names no stage" in capsys.readouterr().err
    assert not (tmp_path / "summary.json").exists()


def test_an_empty_skip_skips_nothing() -> None:
    assert build_parser().parse_args(["pipeline", "--skip="]).skip == ()


def test_help_documents_the_exit_statuses(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        build_parser().parse_args(["pipeline", "--help"])
    text = capsys.readouterr().out
    for line in ("0  every gate passed", "1  at least one gate failed", "3  nothing failed"):
        assert line in text


def test_every_stage_is_a_verb() -> None:
    parser = build_parser()
    for stage in ("lint", "typecheck", "security", "test", "migrations", "load", "e2e", "build"):
        arguments = parser.parse_args([stage, "--report-dir", "r"])
        assert arguments.only == (stage,)


def test_only_skipped_stages_is_inconclusive(tmp_path: Path) -> None:
    status = main(["build", "--report-dir", str(tmp_path)])
    assert status == 3
    summary = json.loads((tmp_path / "summary.json").read_text(encoding="utf-8"))
    assert summary["stages"][0]["verdict"] == "skipped"
    assert "container engine" in summary["stages"][0]["reason"]


def test_accept_inconclusive_needs_a_reason(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["pipeline", "--accept-inconclusive", " "])
    assert "give the reason" in capsys.readouterr().err


def test_an_invalid_thresholds_table_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "pyproject.toml").write_text(
        "[tool.semaine.gates]\ncoverage_total_min_percent = 50\n", encoding="utf-8"
    )
    assert main(["lint", "--project-dir", str(tmp_path), "--report-dir", str(tmp_path / "r")]) == 2
    assert "looser than the seed's floor" in capsys.readouterr().err
