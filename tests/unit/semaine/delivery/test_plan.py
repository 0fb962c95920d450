from __future__ import annotations

from semaine.delivery.plan import plan_full, render_plan

EXPAND, CONTRACT = "0002_us16_expand", "0003_us16_contract"


def test_at_the_contract_the_schema_goes_down_before_the_application() -> None:
    steps = plan_full(CONTRACT, "v43 -> v41")
    assert [s.kind for s in steps] == ["schema", "application", "data"]
    assert "running release supports 0002_us16_expand" in steps[0].why


def test_in_the_migration_window_the_application_goes_first() -> None:
    steps = plan_full(EXPAND, "v43 -> v41")
    assert [s.kind for s in steps] == ["application", "data"]


def test_the_plan_is_printed_as_numbered_lines() -> None:
    text = render_plan("production", plan_full(EXPAND, "v43 -> v41"))
    assert text.splitlines() == [
        "full rollback of production, in this order:",
        "  1. application: v43 -> v41",
        "  2. data: restore the migration run's backup; schema at 0002_us16_expand stays",
    ]
