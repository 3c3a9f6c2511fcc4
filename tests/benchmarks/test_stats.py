"""Percentiles, summaries and the in-flight count the benchmarks report."""

import pytest

from benchmarks.stats import Summary, max_in_flight, percentile, ratio


@pytest.mark.parametrize(
    ("values", "q", "expected"),
    [
        ([5.0], 50, 5.0),
        ([5.0], 99, 5.0),
        ([1.0, 2.0, 3.0, 4.0], 50, 2.5),
        ([4.0, 1.0, 3.0, 2.0], 0, 1.0),
        ([4.0, 1.0, 3.0, 2.0], 100, 4.0),
        ([10.0, 20.0, 30.0, 40.0, 50.0], 99, 49.6),
    ],
)
def test_percentile_interpolates_between_ranks(
    values: list[float], q: float, expected: float
) -> None:
    """Percentiles follow NumPy's default: linear between the closest ranks."""
    assert percentile(values, q) == pytest.approx(expected)


@pytest.mark.parametrize(("values", "q"), [([], 50), ([1.0], -1), ([1.0], 101)])
def test_percentile_refuses_what_has_no_answer(values: list[float], q: float) -> None:
    """An empty sample or a q outside 0..100 is an error, not a number."""
    with pytest.raises(ValueError):
        percentile(values, q)


def test_summary_of_a_sample() -> None:
    """A summary carries the count, median, p99, minimum and maximum."""
    summary = Summary.of([3.0, 1.0, 2.0])

    assert (summary.n, summary.median, summary.minimum, summary.maximum) == (3, 2, 1, 3)
    assert summary.p99 == pytest.approx(2.98)
    assert summary.as_dict()["median"] == 2.0


def test_ratio_without_a_baseline_is_none() -> None:
    """Dividing by a zero baseline gives no ratio rather than an error."""
    assert ratio(3.0, 2.0) == 1.5
    assert ratio(3.0, 0.0) is None


@pytest.mark.parametrize(
    ("arrivals", "expected"),
    [
        ([], 0),
        ([0.0], 1),
        ([0.0, 0.01, 0.02], 3),
        ([0.0, 0.05, 0.10], 1),
        ([0.0, 0.001, 0.051, 0.052, 0.053], 3),
    ],
)
def test_max_in_flight_counts_arrivals_within_one_latency(
    arrivals: list[float], expected: int
) -> None:
    """Requests served for 50 ms overlap when they arrive less than 50 ms apart."""
    assert max_in_flight(arrivals, 0.05) == expected
