import pytest

from semaine.pipeline.gates import Comparison, Outcome, check, worst


@pytest.mark.parametrize(
    ("measured", "comparison", "threshold", "outcome"),
    [
        (0, Comparison.AT_MOST, 0, Outcome.PASS),
        (1, Comparison.AT_MOST, 0, Outcome.FAIL),
        (499.9, Comparison.BELOW, 500, Outcome.PASS),
        (500, Comparison.BELOW, 500, Outcome.FAIL),
        (90, Comparison.AT_LEAST, 90, Outcome.PASS),
        (89.99, Comparison.AT_LEAST, 90, Outcome.FAIL),
    ],
)
def test_check(measured: float, comparison: Comparison, threshold: float, outcome: Outcome) -> None:
    assert check("g", measured, comparison, threshold).outcome is outcome


def test_texts() -> None:
    result = check("API p95", 123.456, Comparison.BELOW, 500, unit="ms")
    assert (result.measurement, result.requirement) == ("123.5 ms", "< 500 ms")
    assert check("x", 0.05, Comparison.BELOW, 0.1, unit="%").measurement == "0.05 %"


def test_worst_ranks_fail_over_inconclusive_over_pass_over_skipped() -> None:
    assert worst([Outcome.PASS, Outcome.FAIL, Outcome.INCONCLUSIVE]) is Outcome.FAIL
    assert worst([Outcome.PASS, Outcome.INCONCLUSIVE]) is Outcome.INCONCLUSIVE
    assert worst([Outcome.SKIPPED, Outcome.PASS]) is Outcome.PASS
    assert worst([], default=Outcome.INCONCLUSIVE) is Outcome.INCONCLUSIVE
