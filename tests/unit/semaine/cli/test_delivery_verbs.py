"""`semaine release`: flags the parser refuses before anything is read, and its help."""

from __future__ import annotations

import pytest

from semaine.cli import build_parser

IMAGES = ["--web-image", "sha256:" + "a" * 64, "--release-image", "sha256:" + "b" * 64]


@pytest.mark.parametrize("value", ["-5", "0", "nan", "inf", "abc"])
def test_a_release_timeout_that_is_not_a_positive_number_is_a_usage_error(
    value: str, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["release", "--environment", "staging", *IMAGES, f"--release-timeout={value}"]
    with pytest.raises(SystemExit) as exit_info:
        build_parser().parse_args(argv)
    assert exit_info.value.code == 2
    error = capsys.readouterr().err
    assert f"expected a number of seconds above 0, e.g. 900, not {value!r}" in error


def test_a_release_timeout_in_seconds_is_taken() -> None:
    argv = ["release", "--environment", "staging", *IMAGES, "--release-timeout", "30.5"]
    assert build_parser().parse_args(argv).release_timeout == 30.5


def test_the_help_says_both_images_are_required(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "400")
    with pytest.raises(SystemExit):
        build_parser().parse_args(["release", "--help"])
    text = capsys.readouterr().out
    assert "the web image's config digest (required)" in text
    assert "the release-phase image's config digest (required)" in text
