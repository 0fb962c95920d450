import json
from pathlib import Path

import pytest

from semaine.cli import build_parser, main
from semaine.pipeline.stages import BY_NAME, STAGES


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


VERBS = ["pipeline", *(stage.name for stage in STAGES)]


def help_of(verb: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("COLUMNS", "400")  # one line per option: each is checked on its own
    with pytest.raises(SystemExit) as exit_info:
        build_parser().parse_args([verb, "--help"])
    assert exit_info.value.code == 0
    return capsys.readouterr().out


def option_helps(text: str) -> dict[str, str]:
    """Return each long option's help text, its wrapped lines joined."""
    helps: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in text.splitlines():
        if line.startswith("  --"):
            option, _, described = line.strip().partition(" ")
            current = helps.setdefault(option, [described])
        elif current is not None and line.startswith("    "):
            current.append(line.strip())
        else:
            current = None
    return {option: " ".join(" ".join(lines).split()) for option, lines in helps.items()}


@pytest.mark.parametrize("verb", VERBS)
def test_help_says_what_a_verb_does_its_defaults_and_exit_statuses(
    verb: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    text = help_of(verb, capsys, monkeypatch)
    flat = " ".join(text.split())
    if verb == "pipeline":
        assert "Run the pipeline's stages" in flat
    else:
        assert f"Run the {verb} stage as local processes: {BY_NAME[verb].description}" in flat
        assert f"Reports: DIR/{verb}/" in flat
    assert "summary.json" in flat
    options = option_helps(text)
    assert len(options) >= 6, text
    for option, described in options.items():
        assert "(default" in described, option
    for status in (
        "0  every gate passed",
        "1  at least one gate failed",
        "2  usage error",
        "3  nothing failed, but at least one gate was inconclusive",
    ):
        assert status in text


@pytest.mark.parametrize("verb", [stage.name for stage in STAGES])
def test_stage_verbs_take_the_parallelism_flags_of_pipeline(
    verb: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    arguments = build_parser().parse_args([verb, "--max-parallel", "2", "--max-cpu-heavy", "1"])
    assert (arguments.max_parallel, arguments.max_cpu_heavy) == (2, 1)
    pipeline = option_helps(help_of("pipeline", capsys, monkeypatch))
    stage = option_helps(help_of(verb, capsys, monkeypatch))
    for flag in ("--max-parallel", "--max-cpu-heavy"):
        assert stage[flag] == pipeline[flag]


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


def test_quick_is_an_option_of_pipeline_and_test_only(capsys: pytest.CaptureFixture[str]) -> None:
    parser = build_parser()
    assert parser.parse_args(["pipeline", "--quick"]).quick
    assert parser.parse_args(["test", "--quick"]).quick
    assert not parser.parse_args(["pipeline"]).quick
    assert not parser.parse_args(["lint"]).quick
    with pytest.raises(SystemExit):
        parser.parse_args(["load", "--quick"])
    assert "unrecognized arguments: --quick" in capsys.readouterr().err


def test_quick_with_a_stage_it_does_not_run_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status = main(["pipeline", "--quick", "--only", "test,e2e", "--report-dir", str(tmp_path)])
    assert status == 2
    assert "--quick runs lint, typecheck, test only, not e2e" in capsys.readouterr().err
    assert not (tmp_path / "summary.json").exists()
