"""How the page writes durations, percentages, figures and links."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from semaine.dashboard.formatting import (
    duration,
    figure,
    figure_label,
    local_timestamp,
    named_figure,
    percent,
    safe_link,
)


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (0.25, "0.2 s"),
        (42, "42 s"),
        (600, "10 min"),
        (725, "12 min 5 s"),
        (3 * 3600 + 20 * 60, "3 h 20 min"),
        (2 * 86400 + 4 * 3600, "2 d 4 h"),
    ],
)
def test_durations_read_as_people_say_them(seconds: float, text: str) -> None:
    assert duration(seconds) == text
    assert duration(timedelta(seconds=seconds)) == text


def test_a_percentage_never_rounds_up_to_a_perfect_score() -> None:
    assert percent(99.9996, 3) == "99.999 %"
    assert percent(100.0, 3) == "100.000 %"
    assert percent(99.95) == "99.95 %"
    assert percent(None) == "no data"


def test_figures_take_their_unit_from_their_name() -> None:
    assert figure_label("p95_ms") == ("p95", "ms")
    assert figure_label("error_rate_percent") == ("error rate", "%")
    assert figure_label("requests") == ("requests", "")
    assert named_figure("p95_ms", 412.4, 500.0) == "p95 412 ms (threshold 500 ms)"
    assert named_figure("error_rate_percent", 0.05) == "error rate 0.05 %"
    assert figure(None) == "-"


def test_only_web_addresses_become_links() -> None:
    assert safe_link("https://github.com/acme/semaine/issues/7") is not None
    assert safe_link("javascript:alert(1)") is None
    assert safe_link("JaVaScRiPt:alert(1)") is None
    assert safe_link(None) is None


def test_times_are_shown_in_paris() -> None:
    assert local_timestamp(datetime(2026, 7, 6, 6, 5, tzinfo=UTC)) == "2026-07-06 08:05 CEST"
