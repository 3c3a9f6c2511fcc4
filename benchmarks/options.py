"""What a run of ``scripts/bench`` was asked to do."""

from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

type Say = Callable[[str], None]

BENCHMARKS = (
    "throughput",
    "phonebook",
    "latency",
    "setup",
    "writes",
    "calendar",
    "callbacks",
    "fanout",
    "memory",
    "contacts",
)
"""Every benchmark, in the order of the table."""
REPO = Path(__file__).resolve().parent.parent


@dataclass(frozen=True, slots=True, kw_only=True)
class BenchOptions:
    """Sizes of every benchmark; ``quick()`` gives a short smoke run."""

    rounds: int = 5
    """Alternating rounds per side, for every benchmark but writes and memory."""
    throughput_rounds: int = 9
    """Alternating rounds per side of the two throughput benchmarks."""
    throughput_pairs: int = 2000
    """Dialing/hangup pairs per throughput round (two requests each): a
    round of about a second, so that one pause (a collection, a poll) moves
    the median little."""
    concurrency: int = 16
    """Webhook requests in flight during a throughput round."""
    latency_samples: int = 60
    """Sequential webhook POSTs per latency round and side."""
    fanout_sizes: tuple[int, ...] = (1, 10, 50, 200)
    fanout_latency: float = 0.050
    """Seconds of latency the simulator adds to each ``/api/active`` request."""
    setup_extensions: int = 50
    logged_calls: int = 100_000
    """Finished calls in the log of the entry that takes the webhooks."""
    write_calls: int = 120
    """Calls per side of the disk-writes benchmark, at one a second."""
    write_rounds: int = 4
    """Alternating rounds per side of the disk-writes benchmark."""
    memory_rounds: int = 3
    """Home Assistant starts per side of the memory benchmark."""
    calendar_requests: int = 200
    """Requests of one day's calendar events per side (a p99 that is not
    just the slowest one: 200 take about 3 s per side)."""
    lookup_rounds: int = 5
    """Alternating rounds of the caller-name lookups (in this process)."""
    lookups: int = 20_000
    """Numbers named per lookup round and index."""
    only: tuple[str, ...] = BENCHMARKS
    results_dir: Path = REPO / "benchmarks" / "results"
    config_dir: Path = REPO / "benchmarks" / ".hass"

    @classmethod
    def quick(cls, **changes: Any) -> BenchOptions:
        """Return the sizes of a smoke run (well under a minute of measuring)."""
        return cls(
            **{
                "rounds": 2,
                "throughput_rounds": 2,
                "throughput_pairs": 150,
                "latency_samples": 20,
                "logged_calls": 20_000,
                "write_calls": 20,
                "write_rounds": 2,
                "memory_rounds": 1,
                "calendar_requests": 20,
                "lookup_rounds": 2,
                "lookups": 5_000,
                **changes,
            }
        )

    def settings(self) -> dict[str, Any]:
        """Return the options as a JSON object (paths left out)."""
        settings = asdict(self)
        del settings["results_dir"], settings["config_dir"]
        return settings
