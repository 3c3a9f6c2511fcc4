"""Benchmark 4: call-log store writes during a burst of webhooks.

Every accepted webhook changes the call log, which is kept on disk; writing
it on every webhook would rewrite a file of 100,000 calls thousands of times
a minute. The integration coalesces: at most one write per ``SAVE_DELAY``.

The entry (the one whose log holds 100,000 calls) is reloaded first, so no
write is pending. Home Assistant's storage logger is set to debug (the
``logger.set_level`` action), then a burst of dialing/hangup pairs (1,000
webhooks, 16 in flight) is posted, and the benchmark waits ``QUIET_SECONDS``
more. The writes are the ``Writing data for bemmelhor.<entry id>.call_log``
lines Home Assistant logged from the burst's start to the end of the wait;
their times say when each came. Meanwhile a probe of the no-op webhook
measures the longest stall of the event loop (a write of a large log happens
in a worker thread and must not freeze it).
"""

import asyncio
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
import re
import time

from .environment import CLIENT_ID, NOOP_WEBHOOK_ID, BenchEnvironment, Entry
from .options import BenchOptions, Say
from .payloads import CallFactory
from .probe import StallProbe
from .report import Figure
from .seed import call_log_path
from .stats import Summary
from .throughput import webhook_load, webhook_path

STORAGE_LOGGER = "homeassistant.helpers.storage"
MAX_WRITES = 10
LOG_TIME = re.compile(r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+) ")


def write_times(lines: Iterable[str], key: str) -> list[float]:
    """Return the times (POSIX) of the log lines saying the store ``key`` was written.

    Home Assistant's log lines start with the local date and time.
    """
    marker = f"Writing data for {key} "
    times = []
    for line in lines:
        if marker in line and (match := LOG_TIME.match(line)):
            stamp = datetime.strptime(match[1], "%Y-%m-%d %H:%M:%S.%f")  # noqa: DTZ007 - the log's local time
            times.append(stamp.timestamp())
    return times


def _inode(path: Path) -> int | None:
    try:
        return path.stat().st_ino
    except FileNotFoundError:
        return None


async def run(
    env: BenchEnvironment, entry: Entry, options: BenchOptions, say: Say
) -> list[Figure]:
    """Post the burst, wait, and count the writes of the entry's call log."""
    session, api, _ = env.require()
    path = call_log_path(env.config_dir, entry.entry_id)
    key = path.name
    logged = await env.call_log_size(entry.entry_id)
    await env.reload_entry(entry.entry_id)  # nothing pending from earlier rounds
    await api.call_service("logger", "set_level", {STORAGE_LOGGER: "debug"})
    log_file = env.hass.log_file
    offset = log_file.stat().st_size if log_file.exists() else 0
    inode_before = _inode(path)
    factory = CallFactory(entry.extensions, CLIENT_ID)
    load = webhook_load(env)
    requests = load.encode_pairs(
        webhook_path(entry.webhook_id),
        factory.pairs(max(1, options.burst_webhooks // 2)),
    )
    started = time.time()
    sent, failures, seconds = await load.post_pairs(requests, options.concurrency)
    say(
        f"  burst: {sent:,} webhooks in {seconds:.2f} s ({failures} failed); "
        f"waiting {options.burst_quiet_seconds:.0f} s for the writes…"
    )
    async with StallProbe(session, env.webhook_url(NOOP_WEBHOOK_ID)) as probe:
        await env.bounded(asyncio.sleep(options.burst_quiet_seconds))
    await api.call_service("logger", "set_level", {STORAGE_LOGGER: "warning"})
    with log_file.open(encoding="utf-8", errors="replace") as log:
        log.seek(offset)
        times = [stamp for stamp in write_times(log, key) if stamp >= started - 1.0]
    writes = len(times)
    say(
        f"  {writes} write(s) of the call log, "
        + ", ".join(f"{stamp - started:.1f} s" for stamp in times)
        + f" after the burst's start; longest stall {probe.longest_ms:.0f} ms"
    )
    return [
        Figure(
            key="store_writes",
            title=f"Store writes, {sent:,}-webhook burst",
            unit="writes",
            value=Summary.of([float(writes)]),
            value_label=(
                f"writes of the call log ({logged:,} calls) during the burst "
                f"and {options.burst_quiet_seconds:.0f} s after"
            ),
            target=f"1 to {MAX_WRITES}",
            met=failures == 0 and 1 <= writes <= MAX_WRITES,
            details={
                "webhooks": sent,
                "failed_requests": failures,
                "burst_seconds": round(seconds, 3),
                "quiet_seconds": options.burst_quiet_seconds,
                "writes_after_burst_start_s": [
                    round(stamp - started, 2) for stamp in times
                ],
                "file_replaced": _inode(path) != inode_before,
                "logged_calls": logged,
                "longest_loop_stall_ms": round(probe.longest_ms, 1),
                "source": f"Home Assistant's log, {STORAGE_LOGGER} at debug",
            },
        )
    ]
