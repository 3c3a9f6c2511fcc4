"""Median, p99 and friends over a handful of rounds or thousands of samples."""

from collections.abc import Sequence
from dataclasses import asdict, dataclass
import math
from typing import Any


def percentile(values: Sequence[float], q: float) -> float:
    """Return the ``q``-th percentile (0–100), interpolating between ranks.

    The same definition as NumPy's default (``linear``): with five rounds the
    p99 lies just below the largest one.
    """
    if not values:
        raise ValueError("no values")
    if not 0 <= q <= 100:
        raise ValueError("q must be within 0..100")
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


@dataclass(frozen=True, slots=True)
class Summary:
    """A sample: how many values, their median, p99, minimum and maximum."""

    n: int
    median: float
    p99: float
    minimum: float
    maximum: float

    @classmethod
    def of(cls, values: Sequence[float]) -> Summary:
        """Summarise a non-empty sample."""
        return cls(
            n=len(values),
            median=percentile(values, 50),
            p99=percentile(values, 99),
            minimum=min(values),
            maximum=max(values),
        )

    def as_dict(self) -> dict[str, Any]:
        """Return the summary as a JSON object."""
        return asdict(self)


def ratio(value: float, baseline: float) -> float | None:
    """Return ``value / baseline``; None when the baseline is zero."""
    return None if baseline == 0 else value / baseline


def max_in_flight(arrivals: Sequence[float], duration: float) -> int:
    """Return the most requests in flight at once.

    Each request is taken to be served for ``duration`` seconds from its
    arrival (the simulator's injected latency): the answer is the most
    arrivals within any window shorter than ``duration``.
    """
    ordered = sorted(arrivals)
    best = start = 0
    for end, arrived in enumerate(ordered):
        while arrived - ordered[start] >= duration:
            start += 1
        best = max(best, end - start + 1)
    return best
