"""Benchmark 2: push-to-state latency, the integration vs the baseline automation.

Over the websocket the benchmark subscribes to ``state_changed`` and to the
baseline's ``bench_baseline`` event. Each sample is one webhook POST, sent
only after the previous one was answered and its event arrived (no queueing):
the latency is the event's ``time_fired`` minus ``time.time()`` taken just
before the POST (same machine, same clock). For the integration the event is
the ``state_changed`` of the extension's ``call_state`` sensor (``idle`` →
``dialing`` for a dialing, back to ``idle`` for its hangup); for the baseline
it is the automation's own event.
"""

import asyncio
from datetime import datetime
import time
from typing import Any

import aiohttp

from .environment import (
    BASELINE_EVENT,
    BASELINE_WEBHOOK_ID,
    CLIENT_ID,
    BenchEnvironment,
    Entry,
)
from .options import BenchOptions, Say
from .payloads import call_bodies
from .report import Figure
from .stats import Summary
from .throughput import JSON_HEADERS

EVENT_TIMEOUT = 5.0
MS = 1000.0


def fired_at(event: dict[str, Any]) -> float:
    """Return an event's ``time_fired`` as a POSIX timestamp."""
    return datetime.fromisoformat(str(event["time_fired"])).timestamp()


def is_call_state(event: dict[str, Any], entity_id: str, state: str) -> bool:
    """Return whether a ``state_changed`` event sets ``entity_id`` to ``state``."""
    data = event.get("data") or {}
    new_state = data.get("new_state") or {}
    return data.get("entity_id") == entity_id and new_state.get("state") == state


def drain(queue: asyncio.Queue[dict[str, Any]]) -> None:
    """Drop events that arrived before the next sample."""
    while not queue.empty():
        queue.get_nowait()


async def _post(session: aiohttp.ClientSession, url: str, body: bytes) -> float:
    """POST a body; return ``time.time()`` taken just before sending it."""
    sent = time.time()
    async with session.post(url, data=body, headers=JSON_HEADERS) as response:
        await response.read()
        if response.status != 200:
            raise RuntimeError(f"webhook answered {response.status}")
    return sent


async def sample_integration(
    session: aiohttp.ClientSession,
    url: str,
    states: asyncio.Queue[dict[str, Any]],
    entity_id: str,
    body: bytes,
    state: str,
) -> float:
    """Return one POST-to-``state_changed`` latency in seconds."""
    drain(states)
    sent = await _post(session, url, body)
    async with asyncio.timeout(EVENT_TIMEOUT):
        while not is_call_state(event := await states.get(), entity_id, state):
            pass
    return fired_at(event) - sent


async def sample_baseline(
    session: aiohttp.ClientSession,
    url: str,
    events: asyncio.Queue[dict[str, Any]],
    body: bytes,
) -> float:
    """Return one POST-to-``bench_baseline`` latency in seconds."""
    drain(events)
    sent = await _post(session, url, body)
    async with asyncio.timeout(EVENT_TIMEOUT):
        event = await events.get()
    return fired_at(event) - sent


async def run(
    env: BenchEnvironment, entry: Entry, options: BenchOptions, say: Say
) -> list[Figure]:
    """Measure both sides in alternating rounds of sequential POSTs."""
    session, _, ws = env.require()
    extension = entry.extensions[0]
    (entity_id,) = [
        entity
        for entity in await env.entity_ids(entry.entry_id, "call_state")
        if entity.endswith(f"_{extension}_call_state")
    ]
    url = env.webhook_url(entry.webhook_id)
    base_url = env.webhook_url(BASELINE_WEBHOOK_ID)
    samples: dict[str, list[float]] = {"integration": [], "baseline": []}
    counter = 0

    async def integration_round(count: int, keep: bool) -> None:
        nonlocal counter
        for _ in range(count // 2 or 1):
            counter += 1
            dialing, hangup = call_bodies(f"latency{counter:09d}", extension, CLIENT_ID)
            for body, state in ((dialing, "dialing"), (hangup, "idle")):
                latency = await sample_integration(
                    session, url, states, entity_id, body, state
                )
                if keep:
                    samples["integration"].append(latency * MS)

    async def baseline_round(count: int, keep: bool) -> None:
        nonlocal counter
        for _ in range(count // 2 or 1):
            counter += 1
            for body in call_bodies(f"latency{counter:09d}", extension, CLIENT_ID):
                latency = await sample_baseline(session, base_url, events, body)
                if keep:
                    samples["baseline"].append(latency * MS)

    async with (
        ws.subscribe_events("state_changed") as states,
        ws.subscribe_events(BASELINE_EVENT) as events,
    ):
        await integration_round(10, keep=False)  # warm-up
        await baseline_round(10, keep=False)
        for number in range(options.rounds):
            rounds = [integration_round, baseline_round]
            for measure in rounds if number % 2 == 0 else reversed(rounds):
                await measure(options.latency_samples, True)
            say(
                f"  latency round {number + 1}: integration median "
                f"{Summary.of(samples['integration']).median:.2f} ms, baseline "
                f"{Summary.of(samples['baseline']).median:.2f} ms"
            )
    value = Summary.of(samples["integration"])
    baseline = Summary.of(samples["baseline"])
    return [
        Figure(
            key="push_to_state_latency",
            title="Push-to-state latency",
            unit="ms",
            value=value,
            value_label="webhook POST → call_state state_changed",
            baseline=baseline,
            baseline_label="webhook POST → automation's bus event",
            comparison="difference",
            target="p99 ≤ baseline p99 + 5 ms",
            met=value.p99 - baseline.p99 < 5.0,
            details={
                "samples_per_side": value.n,
                "rounds": options.rounds,
                "entity": "sensor call_state of one extension",
            },
        )
    ]
