"""The test-context plugin's pieces: the configuration handed to subprocesses, nesting.

A real pytest session under coverage is tests/integration/semaine/probes.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from coverage.config import CoverageConfig

from semaine.probes import test_contexts
from semaine.probes.test_contexts import PROCESS_CONFIG, with_static_context

if TYPE_CHECKING:
    import pytest


def test_the_static_context_handed_to_subprocesses_is_the_label_the_rest_unchanged() -> None:
    config = CoverageConfig()
    config.branch = True
    config.source = ["pkg"]
    labelled = CoverageConfig.deserialize(
        with_static_context(config.serialize(), "tests/test_a.py")
    )
    assert labelled.context == "tests/test_a.py"
    assert labelled.branch is True
    assert labelled.source == ["pkg"]


class RecordingCoverage:
    """Stands in for the running Coverage: remembers the dynamic contexts switched to."""

    def __init__(self) -> None:
        self.current = ""
        self.switches: list[str] = []

    def switch_context(self, label: str) -> str:
        previous, self.current = self.current, label
        self.switches.append(label)
        return previous


def test_a_fixture_context_inside_a_test_context_gives_the_test_s_back(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    measuring = RecordingCoverage()
    monkeypatch.setattr(test_contexts, "_current_coverage", lambda: measuring)
    inherited = CoverageConfig().serialize()
    monkeypatch.setenv(PROCESS_CONFIG, inherited)

    def handed_down() -> str | None:
        return CoverageConfig.deserialize(os.environ[PROCESS_CONFIG]).context

    with test_contexts._coverage_context("tests/test_a.py"):  # noqa: SLF001 - the nesting itself
        assert handed_down() == "tests/test_a.py"
        with test_contexts._coverage_context("fixture tests::store"):  # noqa: SLF001
            assert measuring.current == "fixture tests::store"
            assert handed_down() == "fixture tests::store"
        assert measuring.current == "tests/test_a.py"
        assert handed_down() == "tests/test_a.py"
    assert measuring.switches == [
        "tests/test_a.py",
        "fixture tests::store",
        "tests/test_a.py",
        "",
    ]
    assert os.environ[PROCESS_CONFIG] == inherited


def test_without_coverage_running_nothing_is_labelled(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(test_contexts, "_current_coverage", lambda: None)
    monkeypatch.setenv(PROCESS_CONFIG, "untouched")
    with test_contexts._coverage_context("tests/test_a.py"):  # noqa: SLF001
        assert os.environ[PROCESS_CONFIG] == "untouched"
