"""Benchmark 3: set-up time of an entry, from the config flow's submit to its entities.

A round submits the config flow of an entry with 50 extensions (then one with
a single extension) and times from ``time.time()`` just before the submit to
the ``time_fired`` of the ``state_changed`` event by which the entry's last
entity became available (from the websocket, same clock). The entity ids come
from the entity registry once the flow has answered. The baseline is Home
Assistant's own floor for the same path: a core ``template`` sensor helper
created through the same config-flow API. Each entry is deleted after its
round; rounds alternate the order.

``run_logged`` times the set-up of an entry whose call log already holds
100,000 calls: a reload of that entry (10 extensions; its database closed,
opened again and what is live read from it) against the same reload of an
entry of 10 extensions whose log is empty, from just before the reload
request to the last entity available again. Meanwhile a probe of the no-op
webhook measures the longest stall of Home Assistant's event loop (opening
the log must not freeze it), its own figure: the longest of each round.
"""

import asyncio
from collections.abc import Awaitable, Callable
import time
from typing import Any

from .environment import NOOP_WEBHOOK_ID, BenchEnvironment, Entry, extension_range
from .latency import fired_at
from .options import BenchOptions, Say
from .probe import StallProbe
from .report import Figure
from .stats import Summary

FIRST_EXTENSION = 8000
ENTITIES_PER_EXTENSION = 10
HUB_ENTITIES = 6
"""Enabled by default (the hub's last-webhook sensor is not)."""
SETTLE_SECONDS = 0.5
ENTITY_TIMEOUT = 60.0
MS = 1000.0
MAX_RELOAD_MS = 300.0
MAX_STALL_MS = 50.0

type Submit = Callable[[], Awaitable[tuple[str, float, str]]]
"""Submits a flow; returns the created entry id and the submit time."""


async def wait_available(
    env: BenchEnvironment,
    events: asyncio.Queue[dict[str, Any]],
    entry_id: str,
    expected: int,
) -> tuple[float, int]:
    """Return when the last of an entry's entities became available, and how many.

    Reads the ``state_changed`` events queued since the submit; waits for more
    while some entity is still missing or unavailable.
    """
    entity_ids = set(await env.entity_ids(entry_id))
    available: dict[str, float] = {}
    async with asyncio.timeout(ENTITY_TIMEOUT):
        while len(entity_ids) < expected or not entity_ids <= available.keys():
            if len(entity_ids) < expected and events.empty():
                await asyncio.sleep(0.05)
                entity_ids = set(await env.entity_ids(entry_id))
                continue
            event = await events.get()
            data = event.get("data") or {}
            new_state = data.get("new_state") or {}
            entity_id = data.get("entity_id")
            if new_state.get("state") not in (None, "unavailable"):
                available.setdefault(str(entity_id), fired_at(event))
            elif entity_id in available:
                del available[entity_id]
    return max(available[entity_id] for entity_id in entity_ids), len(entity_ids)


async def run(
    env: BenchEnvironment, host: str, options: BenchOptions, say: Say
) -> list[Figure]:
    """Time entries of N and 1 extensions and template helpers, alternating."""
    _, api, ws = env.require()
    size = options.setup_extensions
    counter = 0

    async def bemmelhor(extensions: int) -> tuple[str, float, str]:
        flow_id, submitted, result = await env.submit_entry_flow(
            host, extension_range(FIRST_EXTENSION, extensions)
        )
        entry = await env.entry_from_result(api, flow_id, host, (), result)
        return entry.entry_id, submitted, "bemmelhor"

    async def template() -> tuple[str, float, str]:
        nonlocal counter
        counter += 1
        flow = await api.start_flow("template")
        flow = await api.flow_step(flow["flow_id"], {"next_step_id": "sensor"})
        submitted = time.time()
        result = await api.flow_step(
            flow["flow_id"], {"name": f"Bench template {counter}", "state": "{{ 1 }}"}
        )
        if result.get("type") != "create_entry":
            raise RuntimeError(f"the template helper flow answered {result}")
        return str(result["result"]["entry_id"]), submitted, "template"

    sides: dict[str, tuple[Submit, int]] = {
        "large": (
            lambda: bemmelhor(size),
            size * ENTITIES_PER_EXTENSION + HUB_ENTITIES,
        ),
        "single": (lambda: bemmelhor(1), ENTITIES_PER_EXTENSION + HUB_ENTITIES),
        "baseline": (template, 1),
    }
    seconds: dict[str, list[float]] = {side: [] for side in sides}
    entity_counts: dict[str, int] = {}
    async with ws.subscribe_events("state_changed") as events:
        for number in range(options.rounds + 1):  # round 0 warms up
            order = list(sides) if number % 2 else list(reversed(sides))
            for side in order:
                submit, expected = sides[side]
                await asyncio.sleep(SETTLE_SECONDS)
                while not events.empty():
                    events.get_nowait()
                entry_id, submitted, _ = await submit()
                done, count = await wait_available(env, events, entry_id, expected)
                await api.delete_entry(entry_id)
                entity_counts[side] = count
                if number:
                    seconds[side].append((done - submitted) * MS)
            if number:
                say(
                    f"  set-up round {number}: "
                    + ", ".join(
                        f"{side} {values[-1]:.0f} ms"
                        for side, values in seconds.items()
                    )
                )
    baseline = Summary.of(seconds["baseline"])
    label = "core template sensor helper (1 entity), same config-flow API"
    return [
        Figure(
            key=f"setup_{name}",
            title=f"Set-up, entry with {count} extension{'s' if count != 1 else ''}",
            unit="ms",
            value=Summary.of(seconds[side]),
            value_label=f"flow submit → all {entity_counts[side]} entities available",
            baseline=baseline,
            baseline_label=label,
            details={
                "entities": entity_counts[side],
                "rounds": options.rounds,
                "per_entity_ms": round(
                    Summary.of(seconds[side]).median / entity_counts[side], 3
                ),
            },
        )
        for side, name, count in (("large", size, size), ("single", 1, 1))
    ]


async def run_logged(
    env: BenchEnvironment,
    logged: Entry,
    empty: Entry,
    options: BenchOptions,
    say: Say,
) -> list[Figure]:
    """Time reloads of an entry with a full call log and of one with an empty log."""
    session, _, ws = env.require()
    size = await env.call_log_size(logged.entry_id)
    entries = {"logged": logged, "empty": empty}
    expected = {
        side: len(await env.entity_ids(entry.entry_id))
        for side, entry in entries.items()
    }
    seconds: dict[str, list[float]] = {side: [] for side in entries}
    stalls: dict[str, list[float]] = {side: [] for side in entries}
    probe_url = env.webhook_url(NOOP_WEBHOOK_ID)
    async with ws.subscribe_events("state_changed") as events:
        for number in range(options.rounds + 1):  # round 0 warms up
            order = list(entries) if number % 2 else list(reversed(entries))
            for side in order:
                entry_id = entries[side].entry_id
                await asyncio.sleep(SETTLE_SECONDS)
                while not events.empty():
                    events.get_nowait()
                async with StallProbe(session, probe_url) as probe:
                    started = time.time()
                    await env.reload_entry(entry_id)
                    done, _ = await wait_available(
                        env, events, entry_id, expected[side]
                    )
                if number:
                    seconds[side].append((done - started) * MS)
                    stalls[side].append(probe.longest_ms)
            if number:
                say(
                    f"  set-up round {number} (reload): "
                    + ", ".join(
                        f"{size:,} logged calls {seconds['logged'][-1]:.0f} ms"
                        if side == "logged"
                        else f"empty log {seconds['empty'][-1]:.0f} ms"
                        for side in entries
                    )
                    + f"; longest stall {stalls['logged'][-1]:.0f} ms"
                )
    value = Summary.of(seconds["logged"])
    stall = Summary.of(stalls["logged"])
    empty_label = (
        f"the same reload of an entry of {len(empty.extensions)} "
        "extensions with an empty log"
    )
    return [
        Figure(
            key="setup_logged",
            title=f"Reload, entry with {size:,} logged calls",
            unit="ms",
            value=value,
            value_label=(
                f"reload → all {expected['logged']} entities available, "
                f"{len(logged.extensions)} extensions, {size:,} calls in the log"
            ),
            baseline=Summary.of(seconds["empty"]),
            baseline_label=empty_label,
            target=f"p99 ≤ {MAX_RELOAD_MS:.0f} ms",
            met=value.p99 <= MAX_RELOAD_MS,
            details={
                "logged_calls": size,
                "entities": expected["logged"],
                "rounds": options.rounds,
                "added_ms_per_10000_calls": round(
                    (value.median - Summary.of(seconds["empty"]).median)
                    / max(size, 1)
                    * 10_000,
                    2,
                ),
            },
        ),
        Figure(
            key="setup_logged_stall",
            title="Event-loop stall during that reload",
            unit="ms",
            value=stall,
            value_label=(
                "the longest round trip of a no-op webhook probed every 10 ms "
                f"during each reload of the entry with {size:,} logged calls"
            ),
            baseline=Summary.of(stalls["empty"]),
            baseline_label=f"the same during {empty_label}",
            target=f"longest ≤ {MAX_STALL_MS:.0f} ms",
            met=stall.maximum <= MAX_STALL_MS,
            details={
                "longest_loop_stall_ms": _rounded(stalls["logged"]),
                "longest_loop_stall_ms_empty_log": _rounded(stalls["empty"]),
            },
        ),
    ]


def _rounded(values: list[float]) -> list[float]:
    return [round(value, 1) for value in values]
