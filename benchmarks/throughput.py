"""Benchmark 1: webhook throughput, the integration's webhook vs Home Assistant's floors.

A round posts N dialing/hangup pairs (distinct call ids, the hangup after its
dialing) with a bounded number of requests in flight, over keep-alive
connections of the benchmark process's lean load generator (``loadgen``:
requests encoded before the round). Rounds alternate between three
webhooks fed the same bodies: the integration's (an entry whose call log
already holds 100,000 calls), an automation with a plain ``webhook`` trigger
firing a bus event, and a no-op handler that reads the body and answers 200
(the physical limit of any webhook integration in this Home Assistant). Each
round's requests per second is one sample.

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
from typing import Any

from .environment import (
    BASELINE_WEBHOOK_ID,
    CLIENT_ID,
    NOOP_WEBHOOK_ID,
    BenchEnvironment,
    Entry,
)
from .loadgen import WebhookLoad
from .options import BenchOptions, Say
from .payloads import CallFactory
from .report import Figure
from .stats import Summary

JSON_HEADERS = {"Content-Type": "application/json"}
SETTLE_SECONDS = 0.3
"""Pause between rounds, for work a round leaves behind."""
SIDES = ("integration", "baseline", "noop")
AUTOMATION_LABEL = "automation with a webhook trigger firing an event"
NOOP_LABEL = "no-op webhook handler (reads the body, answers 200)"
COUNT_PAIRS = 200
"""Dialing/hangup pairs of the pass that counts bus traffic."""
DRAIN_SECONDS = 0.3
MIN_VS_AUTOMATION = 1.0
MIN_VS_NOOP = 0.8


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


async def measure_round(
    env: BenchEnvironment,
    load: WebhookLoad,
    requests: Sequence[tuple[bytes, bytes]],
    concurrency: int,
) -> RoundResult:
    """Run one round and note the CPU time both processes used."""
    hass_before = env.ha_cpu_seconds()
    client_before = time.process_time()
    sent, failures, seconds = await load.post_pairs(requests, concurrency)
    client_cpu = time.process_time() - client_before
    hass_after = env.ha_cpu_seconds()
    hass_cpu = (
        None if hass_before is None or hass_after is None else hass_after - hass_before
    )
    return RoundResult(sent, seconds, failures, client_cpu, hass_cpu)


def webhook_load(env: BenchEnvironment) -> WebhookLoad:
    """Return the load generator aimed at this environment's Home Assistant."""
    address = env.hass.address
    return WebhookLoad(address.host, address.port)


def webhook_path(webhook_id: str) -> str:
    """Return the path of a webhook."""
    return f"/api/webhook/{webhook_id}"


async def run(
    env: BenchEnvironment, entry: Entry, options: BenchOptions, say: Say
) -> list[Figure]:
    """Measure the three webhooks in alternating rounds; return the figures."""
    session, _, _ = env.require()
    entry_logged_calls = await env.call_log_size(entry.entry_id)
    sides = {
        "integration": webhook_path(entry.webhook_id),
        "baseline": webhook_path(BASELINE_WEBHOOK_ID),
        "noop": webhook_path(NOOP_WEBHOOK_ID),
    }
    factory = CallFactory(entry.extensions, CLIENT_ID)
    sim = env.simulators[entry.host]
    pairs_per_round = options.throughput_pairs
    concurrency = options.concurrency
    load = webhook_load(env)
    results: dict[str, list[RoundResult]] = {side: [] for side in sides}
    for path in sides.values():  # warm-up: imports, caches
        warm_up = load.encode_pairs(path, factory.pairs(concurrency * 4))
        await load.post_pairs(warm_up, concurrency)
    per_webhook = await count_bus_traffic(
        env, load, sides["integration"], entry, factory, options
    )
    await sim.clear_requests(session)
    for number in range(options.throughput_rounds):
        for side in round_order(SIDES, number):
            await asyncio.sleep(SETTLE_SECONDS)
            requests = load.encode_pairs(sides[side], factory.pairs(pairs_per_round))
            result = await measure_round(env, load, requests, concurrency)
            results[side].append(result)
            say(
                f"  throughput round {number + 1} {side}: {result.rate:,.0f} req/s"
                f" ({result.failures} failed)"
            )
    pbx_requests = len(await sim.requests(session))
    details = {"logged_calls_before": entry_logged_calls, **per_webhook}
    return figures(results, pairs_per_round, concurrency, pbx_requests, details)


async def count_bus_traffic(
    env: BenchEnvironment,
    load: WebhookLoad,
    path: str,
    entry: Entry,
    factory: CallFactory,
    options: BenchOptions,
) -> dict[str, float]:
    """Return the entry's state changes and other bus events per webhook.

    Counted over the websocket in an untimed pass (sending every event to a
    websocket client costs Home Assistant too), after the warm-up.
    """
    _, _, ws = env.require()
    entity_ids = set(await env.entity_ids(entry.entry_id))
    pairs = factory.pairs(COUNT_PAIRS)
    async with ws.subscribe_events() as events:
        await load.post_pairs(load.encode_pairs(path, pairs), options.concurrency)
        received = -1
        while received != events.qsize():  # until no more arrive
            received = events.qsize()
            await asyncio.sleep(DRAIN_SECONDS)
    states = other = 0
    while not events.empty():
        event = events.get_nowait()
        if event.get("event_type") == "state_changed":
            states += (event.get("data") or {}).get("entity_id") in entity_ids
        else:
            other += 1
    webhooks = 2 * len(pairs)
    return {
        "state_changes_per_webhook": round(states / webhooks, 2),
        "other_bus_events_per_webhook": round(other / webhooks, 2),
    }


def round_order(sides: Sequence[str], number: int) -> list[str]:
    """Return the order of the sides in round ``number``: each goes first in turn."""
    shift = number % len(sides)
    return [*sides[shift:], *sides[:shift]]


def figures(
    results: dict[str, list[RoundResult]],
    pairs_per_round: int,
    concurrency: int,
    pbx_requests: int,
    extra: dict[str, Any] | None = None,
) -> list[Figure]:
    """Turn the rounds into the throughput (vs both floors) and CPU figures."""
    integration = results["integration"]
    rates = {
        side: Summary.of([result.rate for result in rounds])
        for side, rounds in results.items()
    }
    failures = sum(result.failures for result in itertools.chain(*results.values()))
    client_load = max(
        result.client_cpu / result.seconds
        for result in itertools.chain(*results.values())
    )
    details = {
        "rounds": len(integration),
        "pairs_per_round": pairs_per_round,
        "requests_per_round": 2 * pairs_per_round,
        "concurrency": concurrency,
        "failed_requests": failures,
        "client_cpu_share_max": round(client_load, 3),
        "hass_cpu_share_min": _min_share(results),
        "hass_cpu_share_by_round": {
            side: [
                None
                if result.hass_cpu is None
                else round(result.hass_cpu / result.seconds, 2)
                for result in rounds
            ]
            for side, rounds in results.items()
        },
        "pbx_requests_during_rounds": pbx_requests,
        **(extra or {}),
    }
    vs_automation = rates["integration"].median / rates["baseline"].median
    figures_ = [
        Figure(
            key="throughput",
            title="Webhook throughput",
            unit="req/s",
            value=rates["integration"],
            value_label="integration webhook",
            baseline=rates["baseline"],
            baseline_label=AUTOMATION_LABEL,
            target=f"≥ {MIN_VS_AUTOMATION:.2f}×",
            met=failures == 0 and vs_automation >= MIN_VS_AUTOMATION,
            details=details,
        )
    ]
    if "noop" in rates:
        vs_noop = rates["integration"].median / rates["noop"].median
        figures_.append(
            Figure(
                key="throughput_noop",
                title="Webhook throughput vs no-op",
                unit="req/s",
                value=rates["integration"],
                value_label="integration webhook",
                baseline=rates["noop"],
                baseline_label=NOOP_LABEL,
                target=f"≥ {MIN_VS_NOOP:.2f}×",
                met=failures == 0 and vs_noop >= MIN_VS_NOOP,
                details={
                    "automation_vs_noop": round(
                        rates["baseline"].median / rates["noop"].median, 3
                    )
                },
            )
        )
    cpu = {
        side: [_ms_per_request(result) for result in rounds]
        for side, rounds in results.items()
    }
    if all(value is not None for values in cpu.values() for value in values):
        known = {
            side: Summary.of([value for value in values if value is not None])
            for side, values in cpu.items()
        }
        figures_.append(
            Figure(
                key="hass_cpu_per_webhook",
                title="Home Assistant CPU per webhook",
                unit="ms",
                value=known["integration"],
                value_label="integration webhook",
                baseline=known["baseline"],
                baseline_label=AUTOMATION_LABEL,
                details={
                    "source": "/proc/<pid>/stat utime+stime over each round",
                    **(
                        {"noop_median_ms": round(known["noop"].median, 4)}
                        if "noop" in known
                        else {}
                    ),
                },
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
