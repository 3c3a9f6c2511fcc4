"""Benchmark 4: bytes written to disk per call, at one call a second.

Most Home Assistant installations run on an SD card or eMMC: what wears
them out is bytes written. A call is a dialing and its hangup (answered
once the call is committed to the database), one call a second, to one of
two entries of 10 extensions: the one whose call log holds 100,000 calls
and one whose log is empty (its database made at the first start). Sides
alternate in rounds (``write_rounds`` per side, ``write_calls`` calls per
side), after a few calls per side that are not counted and once Home
Assistant has written nothing for a few seconds (it saves its registries
after a start).

A round's bytes are Home Assistant's ``write_bytes`` (``/proc/<pid>/io``:
everything the process wrote, its own files included) less what its log
files grew meanwhile; the database's share is the ``write_bytes`` of the
entry's database thread (``procfs``), which writes the WAL and, every
1,000 pages, checkpoints it into the file. A checkpoint comes once every
few hundred calls and writes many pages at once, so a side's figure is its
bytes over all its rounds per call, and the rounds' own figures are in the
details.
"""

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
import time

import aiohttp

from .environment import CLIENT_ID, BenchEnvironment, Entry
from .options import BenchOptions, Say
from .payloads import CallFactory
from .procfs import thread_id, written_bytes
from .report import Figure
from .seed import SeededLog, call_log_path
from .stats import Summary
from .throughput import JSON_HEADERS, round_order

MAX_KIB_PER_CALL = 64.0
WARM_UP_CALLS = 5
INTERVAL = 1.0
"""Seconds from one call to the next."""
SETTLE_SECONDS = 1.0
QUIET_SECONDS = 5.0
"""Before the rounds: Home Assistant has written nothing for this long."""
QUIET_LONGEST = 60.0
KIB = 1024
MIB = 1024 * 1024
SIDES = ("full", "empty")
DATABASE_SUFFIXES = ("", "-wal")
YEAR_CALLS_PER_DAY = 1000
"""A large office's day, for the cost of a year on disk."""


@dataclass(frozen=True, slots=True)
class Counters:
    """What the round's bytes are worked out from, at one moment."""

    process: int | None
    database_thread: int | None
    logs: int
    """Bytes of Home Assistant's log files."""


@dataclass(frozen=True, slots=True)
class RoundBytes:
    """What one round wrote."""

    calls: int
    process: int
    logs: int
    database_thread: int | None

    @property
    def written(self) -> int:
        """Return the process's bytes less its logs' growth."""
        return self.process - self.logs


def file_bytes(paths: Sequence[Path]) -> int:
    """Return the total size of the files that exist."""
    return sum(path.stat().st_size for path in paths if path.exists())


def database_thread_name(entry_id: str) -> str:
    """Return the name of an entry's database thread (``CallLogStore``)."""
    return f"bemmelhor {entry_id}"


def per_call_kib(rounds: Sequence[RoundBytes], database: bool = False) -> float | None:
    """Return the rounds' bytes over all their calls, in KiB per call."""
    calls = sum(item.calls for item in rounds)
    if database:
        shares = [item.database_thread for item in rounds]
        if not calls or any(share is None for share in shares):
            return None
        return sum(share or 0 for share in shares) / calls / KIB
    return sum(item.written for item in rounds) / calls / KIB if calls else None


def year_mib(log: SeededLog, calls_per_day: int = YEAR_CALLS_PER_DAY) -> float:
    """Return what a year of ``calls_per_day`` calls takes on disk, in MiB."""
    return log.bytes_per_call * calls_per_day * 365 / MIB


class Meter:
    """Reads the counters of Home Assistant and of one entry's database thread."""

    def __init__(self, env: BenchEnvironment, entry: Entry) -> None:
        """Find the entry's database thread (None if its name is not unique)."""
        self.pid = env.hass.pid
        self.tid = thread_id(self.pid, database_thread_name(entry.entry_id))
        self.logs = [env.hass.log_file, env.hass.log_path]

    def read(self) -> Counters:
        """Return the counters now."""
        return Counters(
            process=written_bytes(self.pid),
            database_thread=None
            if self.tid is None
            else written_bytes(self.pid, self.tid),
            logs=file_bytes(self.logs),
        )

    @staticmethod
    def between(before: Counters, after: Counters, calls: int) -> RoundBytes:
        """Return what was written from ``before`` to ``after``."""
        if before.process is None or after.process is None:
            raise RuntimeError("Home Assistant's /proc/<pid>/io cannot be read")
        thread = (
            None
            if before.database_thread is None or after.database_thread is None
            else after.database_thread - before.database_thread
        )
        return RoundBytes(
            calls=calls,
            process=after.process - before.process,
            logs=after.logs - before.logs,
            database_thread=thread,
        )


async def paced_calls(
    session: aiohttp.ClientSession, url: str, pairs: Sequence[tuple[bytes, bytes]]
) -> int:
    """Post one call (dialing, then hangup) every ``INTERVAL``; return failures."""
    started = time.monotonic()
    failures = 0
    for number, pair in enumerate(pairs):
        await asyncio.sleep(max(0.0, started + number * INTERVAL - time.monotonic()))
        for body in pair:
            async with session.post(url, data=body, headers=JSON_HEADERS) as answer:
                await answer.read()
                failures += answer.status != 200
    return failures


async def wait_quiet(pid: int | None) -> float:
    """Wait until a process has written nothing for ``QUIET_SECONDS``; return the wait.

    Home Assistant saves its registries and entries a few seconds after a
    start: those writes belong to no call. Bounded by ``QUIET_LONGEST``.
    """
    started = since = time.monotonic()
    last = written_bytes(pid)
    while time.monotonic() - since < QUIET_SECONDS:
        if time.monotonic() - started > QUIET_LONGEST:
            break
        await asyncio.sleep(0.5)
        if (now := written_bytes(pid)) != last:
            last, since = now, time.monotonic()
    return time.monotonic() - started


async def run(
    env: BenchEnvironment,
    full: Entry,
    empty: Entry,
    options: BenchOptions,
    say: Say,
) -> list[Figure]:
    """Send calls at one a second to both entries, alternating; return the figures."""
    session, _, _ = env.require()
    entries = {"full": full, "empty": empty}
    logged = await env.call_log_size(full.entry_id)
    urls = {side: env.webhook_url(entry.webhook_id) for side, entry in entries.items()}
    factories = {
        side: CallFactory(entry.extensions, CLIENT_ID)
        for side, entry in entries.items()
    }
    for side in SIDES:
        await paced_calls(session, urls[side], factories[side].pairs(WARM_UP_CALLS))
    quiet = await wait_quiet(env.hass.pid)
    meters = {side: Meter(env, entry) for side, entry in entries.items()}
    per_round = max(1, options.write_calls // options.write_rounds)
    rounds: dict[str, list[RoundBytes]] = {side: [] for side in SIDES}
    failures = 0
    for number in range(options.write_rounds):
        for side in round_order(SIDES, number):
            await asyncio.sleep(SETTLE_SECONDS)
            pairs = factories[side].pairs(per_round)
            before = meters[side].read()
            failures += await paced_calls(session, urls[side], pairs)
            result = Meter.between(before, meters[side].read(), per_round)
            rounds[side].append(result)
            say(
                f"  writes round {number + 1} {side}: {result.written / per_round / KIB:.1f}"
                f" KiB per call ({per_round} calls)"
            )
    return [
        _figure(rounds, logged, failures, quiet),
        *_size_figure(env, full),
    ]


def _figure(
    rounds: dict[str, list[RoundBytes]],
    logged: int,
    failures: int,
    quiet: float,
) -> Figure:
    value, baseline = (per_call_kib(rounds[side]) for side in SIDES)
    if value is None or baseline is None:
        raise RuntimeError("no call was sent")
    database = {side: per_call_kib(rounds[side], database=True) for side in SIDES}
    return Figure(
        key="disk_writes_per_call",
        title=f"Disk writes per call, {logged:,} logged calls",
        unit="KiB",
        value=Summary.of([value]),
        value_label=(
            f"bytes Home Assistant wrote per call at one call a second, less its "
            f"log files, {logged:,} calls in the log"
        ),
        baseline=Summary.of([baseline]),
        baseline_label="the same calls to an entry with an empty log",
        target=f"≤ {MAX_KIB_PER_CALL:.0f} KiB",
        met=failures == 0 and value <= MAX_KIB_PER_CALL,
        details={
            "calls_per_side": sum(item.calls for item in rounds["full"]),
            "seconds_between_calls": INTERVAL,
            "failed_requests": failures,
            "database_thread_kib_per_call": {
                side: None if share is None else round(share, 2)
                for side, share in database.items()
            },
            "rounds_kib_per_call": {
                side: [round(item.written / item.calls / KIB, 2) for item in items]
                for side, items in rounds.items()
            },
            "log_files_grew_bytes": {
                side: sum(item.logs for item in items) for side, items in rounds.items()
            },
            "logged_calls": logged,
            "waited_for_quiet_s": round(quiet, 1),
            "source": "/proc/<pid>/io write_bytes; the database thread's "
            "/proc/<pid>/task/<tid>/io",
        },
    )


def _size_figure(env: BenchEnvironment, full: Entry) -> list[Figure]:
    """Return the seeded database's size on disk (before Home Assistant started)."""
    seeded = env.seeded.get(full.entry_id)
    if seeded is None:
        return []
    path = call_log_path(env.config_dir, full.entry_id)
    return [
        Figure(
            key="disk_size",
            title=f"Call log on disk, {seeded.calls:,} calls",
            unit="MiB",
            value=Summary.of([seeded.file_bytes / MIB]),
            value_label=(
                f"the database of {seeded.calls:,} calls (page count × page size,"
                " after a checkpoint), indexes included"
            ),
            details={
                "bytes_per_call": round(seeded.bytes_per_call, 1),
                f"year_of_{YEAR_CALLS_PER_DAY}_calls_a_day_mib": round(
                    year_mib(seeded), 1
                ),
                "file": path.name.replace(full.entry_id, "<entry id>"),
                "files_now_bytes": file_bytes(
                    [path.with_name(path.name + suffix) for suffix in DATABASE_SUFFIXES]
                ),
            },
        )
    ]
