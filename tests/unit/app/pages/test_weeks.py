"""Where the "go to" field leads: a week, a date's week (at its day), or a month."""

from __future__ import annotations

import pytest

from app.pages.weeks import destination
from app.weeks import CalendarError


@pytest.mark.parametrize(
    ("typed", "page"),
    [
        ("2026-W53", "/weeks/2026-W53"),
        ("2026-W01-1", "/weeks/2026-W01"),
        ("2025-12-29", "/weeks/2026-W01#d-2025-12-29"),
        ("2021-01-03", "/weeks/2020-W53#d-2021-01-03"),
        ("2026-12", "/months/2026-12"),
    ],
)
def test_destinations(typed: str, page: str) -> None:
    assert destination(typed) == page


@pytest.mark.parametrize(
    ("typed", "words"),
    [
        ("", "enter a date"),
        ("   ", "enter a date"),
        ("next friday", "is not a date, a week or a month"),
        ("2026-W54", "2026 has 53 ISO weeks"),
        ("2026-13", "months run 01..12"),
        ("2026-1", "did you mean 2026-01"),
        ("2026-12-32", "December 2026 has 31 days"),
        ("x" * 500, "is not a date"),
    ],
)
def test_bad_destinations_say_what_to_type(typed: str, words: str) -> None:
    with pytest.raises(CalendarError, match=words) as raised:
        destination(typed)
    assert len(str(raised.value)) < 200
