"""Benchmark 1: webhook throughput, the integration's webhook vs an automation's.

A round posts N dialing/hangup pairs (distinct call ids, the hangup after its
dialing) with a bounded number of requests in flight, over one keep-alive
``aiohttp`` session in the benchmark process. Rounds alternate between the
integration's webhook and the baseline automation's, the same bodies for
both; each round's requests per second is one sample.

The load generator runs in the benchmark process (not a separate one): Home
Assistant's event loop is one thread, so on two cores it gets one and the
client the other. Both processes' CPU use is recorded per round: Home
Assistant near one full core and the client well below shows that Home
Assistant, not the client, sets the pace. The same CPU time per webhook is
reported as its own figure: the load each webhook puts on Home Assistant.
"""

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
import itertools
import time

import aiohttp

from .environment import BASELINE_WEBHOOK_ID, CLIENT_ID, BenchEnvironment, Entry
from .options import BenchOptions, Say
from .payloads import CallFactory
from .report import Figure
from .stats import Summary

JSON_HEADERS = {"Content-Type": "application/json"}
SETTLE_SECONDS = 0.3
"""Pause between rounds, for work a round leaves behind."""


@dataclass(frozen=True, slots=True)
class RoundResult:
    """One round: requests, wall time, failures and CPU used on both sides."""

    requests: int
    seconds: float
    failures: int
    client_cpu: float
    hass_cpu: float | None

    @property
    def rate(self) -> float:
        """Return requests per second."""
        return self.requests / self.seconds


async def post_pairs(
    session: aiohttp.ClientSession,
    url: str,
    pairs: Sequence[tuple[bytes, bytes]],
    concurrency: int,
) -> tuple[int, int, float]:
    """POST every pair (dialing, then its hangup) with ``concurrency`` workers.

    Returns requests sent, requests not answered 200, and seconds taken.
    """
    calls = iter(pairs)
    failures = 0
    sent = 0

    async def worker() -> None:
        nonlocal failures, sent
        for pair in calls:
            for body in pair:
                async with session.post(
                    url, data=body, headers=JSON_HEADERS
                ) as response:
                    await response.read()
                    sent += 1
                    if response.status != 200:
                        failures += 1

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return sent, failures, time.perf_counter() - started


async def measure_round(
    env: BenchEnvironment,
    session: aiohttp.ClientSession,
    url: str,
    pairs: Sequence[tuple[bytes, bytes]],
    concurrency: int,
) -> RoundResult:
    """Run one round and note the CPU time both processes used."""
    hass_before = env.ha_cpu_seconds()
    client_before = time.process_time()
    sent, failures, seconds = await post_pairs(session, url, pairs, concurrency)
    client_cpu = time.process_time() - client_before
    hass_after = env.ha_cpu_seconds()
    hass_cpu = (
        None if hass_before is None or hass_after is None else hass_after - hass_before
    )
    return RoundResult(sent, seconds, failures, client_cpu, hass_cpu)


async def run(
    env: BenchEnvironment, entry: Entry, options: BenchOptions, say: Say
) -> list[Figure]:
    """Measure both webhooks in alternating rounds; return the figures."""
    session, _, _ = env.require()
    sides = {
        "integration": env.webhook_url(entry.webhook_id),
        "baseline": env.webhook_url(BASELINE_WEBHOOK_ID),
    }
    factory = CallFactory(entry.extensions, CLIENT_ID)
    sim = env.simulators[entry.host]
    pairs_per_round = options.throughput_pairs
    connector = aiohttp.TCPConnector(limit=options.concurrency, force_close=False)
    results: dict[str, list[RoundResult]] = {side: [] for side in sides}
    async with aiohttp.ClientSession(connector=connector) as load_session:
        for url in sides.values():  # warm-up: imports, caches, connections
            await post_pairs(
                load_session,
                url,
                factory.pairs(options.concurrency * 4),
                options.concurrency,
            )
        await sim.clear_requests(session)
        for number in range(options.rounds):
            order = list(sides) if number % 2 == 0 else list(reversed(sides))
            for side in order:
                await asyncio.sleep(SETTLE_SECONDS)
                pairs = factory.pairs(pairs_per_round)
                result = await measure_round(
                    env, load_session, sides[side], pairs, options.concurrency
                )
                results[side].append(result)
                say(
                    f"  throughput round {number + 1} {side}: {result.rate:,.0f} req/s"
                    f" ({result.failures} failed)"
                )
    pbx_requests = len(await sim.requests(session))
    return figures(results, pairs_per_round, options.concurrency, pbx_requests)


def figures(
    results: dict[str, list[RoundResult]],
    pairs_per_round: int,
    concurrency: int,
    pbx_requests: int,
) -> list[Figure]:
    """Turn the rounds into the throughput and CPU-per-webhook figures."""
    integration, baseline = results["integration"], results["baseline"]
    rates = Summary.of([result.rate for result in integration])
    base_rates = Summary.of([result.rate for result in baseline])
    failures = sum(result.failures for result in itertools.chain(*results.values()))
    client_load = max(
        result.client_cpu / result.seconds
        for result in itertools.chain(*results.values())
    )
    throughput = Figure(
        key="throughput",
        title="Webhook throughput",
        unit="req/s",
        value=rates,
        value_label="integration webhook",
        baseline=base_rates,
        baseline_label="automation with a webhook trigger firing an event",
        target="≥ 0.90×",
        met=failures == 0 and rates.median / base_rates.median >= 0.9,
        details={
            "rounds": len(integration),
            "pairs_per_round": pairs_per_round,
            "requests_per_round": 2 * pairs_per_round,
            "concurrency": concurrency,
            "failed_requests": failures,
            "client_cpu_share_max": round(client_load, 3),
            "hass_cpu_share_min": _min_share(results),
            "pbx_requests_during_integration_rounds": pbx_requests,
        },
    )
    figures_ = [throughput]
    cpu = [_ms_per_request(result) for result in integration]
    base_cpu = [_ms_per_request(result) for result in baseline]
    if all(value is not None for value in cpu + base_cpu):
        figures_.append(
            Figure(
                key="hass_cpu_per_webhook",
                title="Home Assistant CPU per webhook",
                unit="ms",
                value=Summary.of([value for value in cpu if value is not None]),
                value_label="integration webhook",
                baseline=Summary.of([value for value in base_cpu if value is not None]),
                baseline_label="automation with a webhook trigger firing an event",
                details={"source": "/proc/<pid>/stat utime+stime over each round"},
            )
        )
    return figures_


def _min_share(results: dict[str, list[RoundResult]]) -> float | None:
    """Return the lowest share of a core Home Assistant used in a round (~1: the bottleneck)."""
    shares = [
        result.hass_cpu / result.seconds
        for result in itertools.chain(*results.values())
        if result.hass_cpu is not None
    ]
    return round(min(shares), 3) if shares else None


def _ms_per_request(result: RoundResult) -> float | None:
    if result.hass_cpu is None:
        return None
    return 1000 * result.hass_cpu / result.requests
