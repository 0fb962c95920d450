"""`dagger call rollback --reason ''` is refused before anything runs."""

from __future__ import annotations

from typing import TYPE_CHECKING

import anyio
import pytest
from dagger import dag

from semaine.main import Environment, RollbackType, Semaine

if TYPE_CHECKING:
    from tests.dagger.conftest import FakeEngine


@pytest.mark.parametrize("reason", ["", "  ", "\n"])
def test_a_blank_reason_is_refused_before_any_container(engine: FakeEngine, reason: str) -> None:
    async def call() -> str:
        return await Semaine().rollback(
            environment=Environment.production,
            rollback_type=RollbackType.database,
            reason=reason,
            source=dag.host().directory("/repo"),
        )

    with pytest.raises(ValueError, match="--reason: say why"):
        anyio.run(call)
    assert engine.documents == []
