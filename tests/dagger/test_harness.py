"""The harness itself: it must reject what the engine would reject."""

from __future__ import annotations

from typing import TYPE_CHECKING

import anyio
import dagger
import pytest
from dagger import dag

if TYPE_CHECKING:
    from tests.dagger.conftest import FakeEngine


def test_a_valid_chain_is_accepted_and_recorded(engine: FakeEngine) -> None:
    container = dag.container().from_("python:3.11-slim").with_exec(["true"])
    anyio.run(container.id)
    assert 'from(address: "python:3.11-slim")' in engine.documents[-1]


def test_a_misspelled_field_is_caught(engine: FakeEngine) -> None:
    container = engine.with_raw_selection(dag.container(), "fromm", {"address": "python"})
    with pytest.raises(dagger.InvalidQueryError):
        anyio.run(container.id)


def test_a_misspelled_argument_is_caught(engine: FakeEngine) -> None:
    container = engine.with_raw_selection(dag.container(), "from", {"adress": "python"})
    # gql's DSL raises KeyError for an unknown argument, before the SDK could wrap it.
    with pytest.raises((dagger.InvalidQueryError, KeyError), match="adress"):
        anyio.run(container.id)


def test_a_missing_required_argument_fails_validation(engine: FakeEngine) -> None:
    container = engine.with_raw_selection(dag.container(), "withExec", {})
    with pytest.raises(engine.ContractViolationError, match="args"):
        anyio.run(container.id)
    assert engine.documents == []


def test_a_wrongly_typed_argument_fails_validation(engine: FakeEngine) -> None:
    container = engine.with_raw_selection(dag.container(), "withExposedPort", {"port": "http"})
    with pytest.raises((engine.ContractViolationError, dagger.InvalidQueryError)):
        anyio.run(container.id)
