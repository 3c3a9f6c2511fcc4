"""Benchmark 5: poll fan-out, one coordinator refresh against a slow PBX.

One entry per size (1, 10, 50, 200 extensions), each against its own
simulator, which adds 50 ms to every ``/api/active`` request. A refresh is
``homeassistant.update_entity`` on one of the entry's entities, timed over
REST (the action returns once the refresh is done); its baseline is one
request to the same simulator, timed from the benchmark. The simulator's
request log gives the requests per refresh and, from their arrival times,
the most that were in flight at once.

Home Assistant lets a coordinator refresh on request once per 10 s, so each
entry waits out that cooldown between its rounds; a cycle refreshes every
entry once, and cycles alternate the order of the sizes. A last cycle answers every request
with HTTP 503 to show that errors cost no extra requests (no retries).
"""

import asyncio
from dataclasses import dataclass, field
from datetime import datetime
import math
import time

import aiohttp

from devtools.simulator import SimulatorProcess

from .environment import BenchEnvironment, Entry, extension_range
from .options import BenchOptions, Say
from .report import Figure
from .stats import Summary, max_in_flight

REFRESH_COOLDOWN = 10.0
"""Home Assistant's cooldown between requested refreshes of one coordinator."""
COOLDOWN_MARGIN = 0.5
FIRST_EXTENSION = 7000
MS = 1000.0


@dataclass(slots=True)
class SizeResult:
    """What the rounds of one size measured."""

    extensions: int
    refresh_ms: list[float] = field(default_factory=list)
    request_ms: list[float] = field(default_factory=list)
    requests: list[int] = field(default_factory=list)
    in_flight: list[int] = field(default_factory=list)
    requests_on_error: list[int] = field(default_factory=list)


def parallel_limit() -> int:
    """Return the integration's limit of requests in flight to one PBX."""
    from custom_components.bemmelhor.const import (  # noqa: PLC0415 - imports Home Assistant
        MAX_PARALLEL_REQUESTS,
    )

    return MAX_PARALLEL_REQUESTS


def allowed_ratio(extensions: int, limit: int) -> float:
    """Return the target: 2× one request up to the limit, one more per wave after."""
    waves = math.ceil(extensions / limit)
    return 2.0 if waves <= 1 else waves + 1.0


async def one_request(
    session: aiohttp.ClientSession, sim: SimulatorProcess, extension: str
) -> float:
    """Return the seconds one ``/api/active`` request to ``sim`` takes."""
    started = time.perf_counter()
    async with session.get(f"{sim.base_url}/api/active/{extension}") as response:
        await response.read()
    return time.perf_counter() - started


async def refresh(
    env: BenchEnvironment, sim: SimulatorProcess, entity_id: str
) -> tuple[float, list[float]]:
    """Refresh an entry through one entity; return seconds and request arrivals."""
    session, api, _ = env.require()
    await sim.clear_requests(session)
    started = time.perf_counter()
    await api.call_service("homeassistant", "update_entity", {"entity_id": entity_id})
    seconds = time.perf_counter() - started
    arrivals = [
        datetime.fromisoformat(request["received_at"]).timestamp()
        for request in await sim.requests(session)
        if request["endpoint"] == "active"
    ]
    return seconds, arrivals


async def run(
    env: BenchEnvironment,
    hosts: dict[int, str],
    options: BenchOptions,
    say: Say,
) -> list[Figure]:
    """Measure every size: a cycle refreshes each entry once."""
    session, _, _ = env.require()
    limit = parallel_limit()
    entries: dict[int, Entry] = {}
    entities: dict[int, str] = {}
    for size, host in hosts.items():
        entries[size] = await env.create_entry(
            host, extension_range(FIRST_EXTENSION, size)
        )
        (entities[size], *_) = await env.entity_ids(
            entries[size].entry_id, "call_state"
        )
    latency = options.fanout_latency
    for host in hosts.values():
        await env.simulators[host].set_fault(
            session, "latency", "active", delay=latency
        )
    results = {size: SizeResult(size) for size in hosts}
    sizes = list(hosts)
    ready_at = dict.fromkeys(sizes, 0.0)
    for number in range(options.rounds + 1):
        failing = number == options.rounds
        if failing:
            for host in hosts.values():
                await env.simulators[host].set_fault(
                    session, "http_error", "active", status=503, delay=latency
                )
        for size in sizes if number % 2 == 0 else reversed(sizes):
            # The previous refresh of this entry started its cooldown.
            await asyncio.sleep(max(0.0, ready_at[size] - time.monotonic()))
            sim = env.simulators[hosts[size]]
            result = results[size]
            request = await one_request(session, sim, str(FIRST_EXTENSION))
            seconds, arrivals = await refresh(env, sim, entities[size])
            ready_at[size] = time.monotonic() + REFRESH_COOLDOWN + COOLDOWN_MARGIN
            if failing:
                result.requests_on_error.append(len(arrivals))
                continue
            result.request_ms.append(request * MS)
            result.refresh_ms.append(seconds * MS)
            result.requests.append(len(arrivals))
            result.in_flight.append(max_in_flight(arrivals, latency))
        say(f"  fan-out cycle {number + 1}: {_cycle_summary(results, failing)}")
    for host in hosts.values():
        await env.simulators[host].clear_faults(session)
    return [figure(result, limit, latency) for result in results.values()]


def _cycle_summary(results: dict[int, SizeResult], failing: bool) -> str:
    if failing:
        return "HTTP 503 on every request: " + ", ".join(
            f"{size} ext. → {result.requests_on_error[-1]} requests"
            for size, result in results.items()
        )
    return ", ".join(
        f"{size} ext. {result.refresh_ms[-1]:.0f} ms"
        for size, result in results.items()
    )


def figure(result: SizeResult, limit: int, latency: float) -> Figure:
    """Turn one size's rounds into a figure with its target."""
    size = result.extensions
    refresh_ms = Summary.of(result.refresh_ms)
    request_ms = Summary.of(result.request_ms)
    allowed = allowed_ratio(size, limit)
    expected_in_flight = min(size, limit)
    requests_ok = all(count == size for count in result.requests) and all(
        count == size for count in result.requests_on_error
    )
    in_flight_ok = all(count == expected_in_flight for count in result.in_flight)
    within = refresh_ms.median <= allowed * request_ms.median
    return Figure(
        key=f"fanout_{size}",
        title=f"Poll fan-out, {size} extension{'s' if size != 1 else ''}",
        unit="ms",
        value=refresh_ms,
        value_label="one coordinator refresh (update_entity)",
        baseline=request_ms,
        baseline_label=f"one request to the PBX ({latency * MS:.0f} ms injected latency)",
        target=f"≤ {allowed:.2f}×, {size} req, ≤ {limit} in flight",
        met=within and requests_ok and in_flight_ok,
        details={
            "requests_per_refresh": result.requests,
            "requests_per_failing_refresh": result.requests_on_error,
            "max_in_flight": result.in_flight,
            "parallel_limit": limit,
            "sequential_would_take_ms": round(size * request_ms.median),
        },
    )
