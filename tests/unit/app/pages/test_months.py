"""A month page's neighbours, within the representable months."""

from __future__ import annotations

from app.pages.months import neighbours


def test_neighbours_cross_the_year() -> None:
    before, after = neighbours(2027, 1)
    assert before is not None
    assert after is not None
    assert (before.label, after.label) == ("2026-12", "2027-02")
    assert neighbours(2026, 12)[1] is not None
    assert neighbours(2026, 12)[1].label == "2027-01"  # type: ignore[union-attr]


def test_no_neighbour_past_the_limits() -> None:
    assert neighbours(1, 1)[0] is None
    assert neighbours(9999, 11)[1] is None
