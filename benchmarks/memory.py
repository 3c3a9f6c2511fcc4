"""Benchmark 6: Home Assistant's memory with a call log of 100,000 calls.

The call log keeps its history in its database and only what is live in
memory, so a long history must cost Home Assistant's memory next to
nothing. Each round starts a Home Assistant of its own (configuration
folder ``benchmarks/.hass-memory``, its own PBX simulator) with one Bem
Melhor entry of 10 extensions and nothing else but what every run loads,
once with 100,000 calls seeded into the entry's database and once with an
empty log; sides alternate, ``memory_rounds`` each. Once the entry is
loaded and ``SETTLE_SECONDS`` more have passed, the process's resident
memory (``VmRSS``) is read; then the calendar is asked for one day (two
days back, as the calendar figure) and the memory read again, in the
details. The figure is the resident memory with the full log against the
empty one; the target is on their difference (medians).

These rounds run while the disk-writes benchmark sends its calls, one a
second, to the main Home Assistant: a different process, whose bytes
written are its own, and whose pace leaves a core to spare.
"""

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from .calendar_events import calendar_of, calendar_path, one_day
from .environment import BenchEnvironment, extension_range
from .options import BenchOptions, Say
from .procfs import resident_bytes
from .report import Figure
from .stats import Summary
from .throughput import round_order

HOST = "127.0.0.210"
EXTENSIONS = extension_range(6001, 10)
SETTLE_SECONDS = 5.0
MAX_GROWTH_MIB = 24.0
MIB = 1024 * 1024
SIDES = ("full", "empty")


@dataclass(frozen=True, slots=True)
class MemoryRound:
    """One Home Assistant's resident memory, once loaded and after a calendar day."""

    side: str
    loaded_bytes: int
    after_calendar_bytes: int
    events: int


async def measure_once(
    options: BenchOptions, logged_calls: int, side: str, say: Say
) -> MemoryRound:
    """Start a Home Assistant with one entry, read its memory, stop it."""
    env = BenchEnvironment(options.config_dir.with_name(".hass-memory"), [HOST], say)
    entry = env.preset_entry(HOST, EXTENSIONS, logged_calls)
    try:
        await env.start()
        await asyncio.sleep(SETTLE_SECONDS)
        loaded = resident_bytes(env.hass.pid)
        _, api, _ = env.require()
        start, end = one_day(datetime.now(UTC))
        events = await api.request(
            "GET", calendar_path(await calendar_of(env, entry), start, end)
        )
        await asyncio.sleep(1.0)
        after = resident_bytes(env.hass.pid)
    finally:
        await env.stop()
    if loaded is None or after is None:
        raise RuntimeError("Home Assistant's /proc/<pid>/status cannot be read")
    return MemoryRound(side, loaded, after, len(events))


async def run(options: BenchOptions, say: Say) -> Figure:
    """Measure both sides in alternating rounds; return the figure."""
    logged = {"full": options.logged_calls, "empty": 0}
    rounds: list[MemoryRound] = []
    for number in range(options.memory_rounds):
        for side in round_order(SIDES, number):
            result = await measure_once(options, logged[side], side, _quiet)
            rounds.append(result)
            say(
                f"  memory round {number + 1} {side}: "
                f"{result.loaded_bytes / MIB:.1f} MiB resident"
            )
    return figure(rounds, options.logged_calls)


def _quiet(_line: str) -> None:
    """Say nothing of the memory rounds' starts (they run beside other figures)."""


def figure(rounds: Sequence[MemoryRound], logged_calls: int) -> Figure:
    """Return the memory figure: resident memory with a full log against an empty one."""
    loaded = {
        side: Summary.of(
            [item.loaded_bytes / MIB for item in rounds if item.side == side]
        )
        for side in SIDES
    }
    after = {
        side: Summary.of(
            [item.after_calendar_bytes / MIB for item in rounds if item.side == side]
        )
        for side in SIDES
    }
    growth = loaded["full"].median - loaded["empty"].median
    events = max((item.events for item in rounds if item.side == "full"), default=0)
    return Figure(
        key="memory_rss",
        title=f"Home Assistant memory, {logged_calls:,} logged calls",
        unit="MiB",
        value=loaded["full"],
        value_label=(
            f"Home Assistant's resident memory with an entry of {len(EXTENSIONS)} "
            f"extensions whose log holds {logged_calls:,} calls, once loaded"
        ),
        baseline=loaded["empty"],
        baseline_label="the same with an empty log",
        comparison="difference",
        target=f"≤ +{MAX_GROWTH_MIB:.0f} MiB",
        met=growth <= MAX_GROWTH_MIB,
        details={
            "growth_mib": round(growth, 1),
            "after_a_calendar_day_mib": {
                side: round(summary.median, 1) for side, summary in after.items()
            },
            "growth_after_a_calendar_day_mib": round(
                after["full"].median - after["empty"].median, 1
            ),
            "calendar_day_events": events,
            "rounds_per_side": len(rounds) // len(SIDES),
            "rounds_mib": [
                {
                    "side": item.side,
                    "loaded": round(item.loaded_bytes / MIB, 1),
                    "after_calendar": round(item.after_calendar_bytes / MIB, 1),
                }
                for item in rounds
            ],
            "settle_seconds": SETTLE_SECONDS,
            "source": "/proc/<pid>/status VmRSS",
        },
    )
