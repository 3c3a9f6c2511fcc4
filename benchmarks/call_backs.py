"""The call-back list (to-do ``calls_to_return``) during a flood of missed calls.

A **missed burst** is ``CALLBACK_MISSED`` inbound calls, each from an outside
number not seen before, to the entry's extensions, hung up ``NO ANSWER``,
then ``CALLBACK_RETURNED`` answered calls back to the first of those numbers
(each call back starts after the missed call ended, so it completes its
item). Each missed call opens an item and each call back completes one:
the list changes on every hangup. An **answered burst** is as many answered
outgoing calls (to the one number of the throughput rounds): the same
number of webhooks, no item opened.

First an untimed missed burst, with the websocket counting the to-do
entity's state changes; then alternating rounds of the two bursts (their
requests per second, as the throughput rounds). At the end the list's
state (its open items) must have grown by exactly the missed calls not
called back: that is the figure's target; the rate against the answered
bursts (what keeping the list costs) has none.
"""

import asyncio
from collections.abc import Sequence
import itertools
import secrets
import time

from .environment import CLIENT_ID, BenchEnvironment, Entry
from .options import BenchOptions, Say
from .payloads import CallFactory, call_bodies
from .report import Figure
from .stats import Summary
from .throughput import (
    DRAIN_SECONDS,
    SETTLE_SECONDS,
    RoundResult,
    measure_round,
    round_order,
    webhook_load,
    webhook_path,
)

TODO_KEY = "calls_to_return"
CALLBACK_MISSED = 160
"""Missed calls of a burst (new outside numbers)."""
CALLBACK_RETURNED = 40
"""Answered calls back, at the end of a burst, to its first missed numbers."""
MISSED_FIRST_GAP_MS = 10
CALL_BACK_AFTER_MS = 120_000
"""A call back starts this long after the burst's first missed call began."""
SIDES = ("missed", "answered")
LIST_WRITE_SECONDS = 1.0
"""The list writes its state at most once a second while calls change it
(``BUSY_WRITE_INTERVAL``): its count is read after that."""


class MissedCalls:
    """Makes missed-call bursts: new outside numbers, a few called back."""

    def __init__(self, extensions: Sequence[str]) -> None:
        """Cycle over ``extensions``; numbers and call ids are new in every run."""
        self._extensions = itertools.cycle(extensions)
        self._numbers = itertools.count()
        self._calls = itertools.count()
        self._run = secrets.token_hex(4)

    def _call_id(self) -> str:
        return f"{self._run}{next(self._calls):08x}"

    def burst(
        self, missed: int = CALLBACK_MISSED, returned: int = CALLBACK_RETURNED
    ) -> list[tuple[bytes, bytes]]:
        """Return ``missed`` missed calls, then ``returned`` calls back."""
        now = int(time.time() * 1000)
        numbers = [f"0219{next(self._numbers):08d}" for _ in range(missed)]
        pairs = [
            call_bodies(
                self._call_id(),
                next(self._extensions),
                CLIENT_ID,
                now + number * MISSED_FIRST_GAP_MS,
                remote=remote,
                inbound=True,
                disposition="NO ANSWER",
            )
            for number, remote in enumerate(numbers)
        ]
        called_back = now + CALL_BACK_AFTER_MS
        pairs += [
            call_bodies(
                self._call_id(),
                next(self._extensions),
                CLIENT_ID,
                called_back + number,
                remote=remote,
            )
            for number, remote in enumerate(numbers[:returned])
        ]
        return pairs


async def open_items(env: BenchEnvironment, entity_id: str) -> int:
    """Return the to-do list's state: how many items are open."""
    _, api, _ = env.require()
    state = await api.state(entity_id)
    if state is None:
        raise RuntimeError(f"{entity_id} has no state")
    return int(state["state"])


async def run(
    env: BenchEnvironment, entry: Entry, options: BenchOptions, say: Say
) -> list[Figure]:
    """Count the list's changes, time both bursts; return the figure."""
    _, _, ws = env.require()
    todo_ids = await env.entity_ids(entry.entry_id, TODO_KEY)
    if len(todo_ids) != 1:
        raise RuntimeError(f"expected one call-back list, got {todo_ids}")
    todo = todo_ids[0]
    load = webhook_load(env)
    path = webhook_path(entry.webhook_id)
    missed_calls = MissedCalls(entry.extensions)
    answered = CallFactory(entry.extensions, CLIENT_ID)
    before = await open_items(env, todo)
    bursts = 0
    async with ws.subscribe_events("state_changed") as events:
        first = load.encode_pairs(path, missed_calls.burst())
        await load.post_pairs(first, options.concurrency)
        bursts += 1
        received = -1
        while received != events.qsize():
            received = events.qsize()
            await asyncio.sleep(DRAIN_SECONDS)
    todo_changes = 0
    while not events.empty():
        event = events.get_nowait()
        todo_changes += (event.get("data") or {}).get("entity_id") == todo
    results: dict[str, list[RoundResult]] = {side: [] for side in SIDES}
    pairs = CALLBACK_MISSED + CALLBACK_RETURNED
    for number in range(options.rounds):
        for side in round_order(SIDES, number):
            await asyncio.sleep(SETTLE_SECONDS)
            bodies = missed_calls.burst() if side == "missed" else answered.pairs(pairs)
            bursts += side == "missed"
            requests = load.encode_pairs(path, bodies)
            result = await measure_round(env, load, requests, options.concurrency)
            results[side].append(result)
            say(
                f"  call-back round {number + 1} {side}: {result.rate:,.0f} req/s"
                f" ({result.failures} failed)"
            )
    await asyncio.sleep(LIST_WRITE_SECONDS + SETTLE_SECONDS)
    after = await open_items(env, todo)
    expected = before + bursts * (CALLBACK_MISSED - CALLBACK_RETURNED)
    failures = sum(r.failures for r in itertools.chain(*results.values()))
    value = Summary.of([result.rate for result in results["missed"]])
    baseline = Summary.of([result.rate for result in results["answered"]])
    say(
        f"  call-back list: {todo_changes} state changes for {2 * pairs} webhooks;"
        f" open items {before} → {after} (expected {expected})"
    )
    return [
        Figure(
            key="callbacks_throughput",
            title="Webhook throughput, missed-call flood",
            unit="req/s",
            value=value,
            value_label=(
                f"{CALLBACK_MISSED} missed calls from new numbers,"
                f" {CALLBACK_RETURNED} called back"
            ),
            baseline=baseline,
            baseline_label=f"{pairs} answered calls (no call-back item)",
            target="open items as expected",
            met=failures == 0 and after == expected,
            details={
                "webhooks_per_burst": 2 * pairs,
                "todo_state_changes_per_burst": todo_changes,
                "open_items_before": before,
                "open_items_after": after,
                "open_items_expected": expected,
                "missed_bursts": bursts,
                "failed_requests": failures,
            },
        )
    ]
