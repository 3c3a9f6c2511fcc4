"""Benchmark 6: memory of the call log per 10,000 calls.

Runs in its own process (``python -m benchmarks.memory``, JSON on stdout).
Home Assistant is built in that process by pytest-homeassistant-custom-
component's harness (no HTTP server, no recorder), with a Bem Melhor entry
of 10 extensions set up against an in-process PBX simulator. Each call's
dialing and hangup bodies go to the webhook handler's body function
(``async_handle_body``: everything after HTTP — validation, call log,
coordinator, entity states, bus events). The mix has incoming calls, calls
of numbers that are no extension, missed calls, duplicate deliveries, and
calls whose hangup never comes (those pile up to the log's cap of open
calls). The calls are dated over the hours before the run, well inside the
entry's ``history_days``, so the log keeps every finished one.

The log keeps every finished call (up to 100,000, for ``history_days``), so
its memory grows with it by design. At each checkpoint (10,000, 20,000 and
30,000 calls), after a garbage collection, two sizes are taken: the call
log's own objects (``sys.getsizeof`` over everything ``coordinator.log``
reaches, each object once; functions, classes and enum members left out),
and the process's resident memory. The figure is the log's growth from the
first checkpoint to the last (every bounded part — open calls, remembered
call ids, call-back items, entity states — is full by the first) per 10,000
calls it gained; the process's growth over the same calls is in the details,
so memory held anywhere else would show. The baseline is the size of the
finished calls' rows in the call-log file, written when the entry unloads.

(tracemalloc, used before, slowed every allocation about threefold: the
integration's per-webhook work made 100,000 traced calls take minutes.)
"""

import argparse
import asyncio
from collections.abc import Sequence
import contextlib
from dataclasses import asdict, dataclass
import enum
import gc
import json
import logging
import os
from pathlib import Path
import signal
import sys
import tempfile
import time
from types import BuiltinFunctionType, FunctionType, MethodType, ModuleType
from typing import Any

from .options import REPO
from .report import Figure
from .stats import Summary

EXTENSIONS = tuple(str(number) for number in range(6001, 6011))
CLIENT_ID = "bench-client"
NO_HANGUP_EVERY = 10
"""Every tenth call loses its hangup: open calls reach the tracker's cap early."""
DUPLICATE_EVERY = 20
"""Every 20th hangup is delivered twice."""
INCOMING_EVERY = 3
"""Every third call comes from outside to an extension."""
FOREIGN_EVERY = 10
"""Every tenth call is between two numbers that are no configured extension."""
UNANSWERED_EVERY = 4
"""Every fourth call is not answered (an incoming one is a missed call)."""
YIELD_EVERY = 500
PAUSE_SETTLE = 0.1
HISTORY_DAYS = 365
PER_CALLS = 10_000
"""The figure is memory per this many calls in the log."""
SHARED_TYPES = (
    type,
    ModuleType,
    FunctionType,
    BuiltinFunctionType,
    MethodType,
    enum.Enum,
)
"""What ``deep_size`` does not count (nor follow)."""


@dataclass(frozen=True, slots=True)
class Checkpoint:
    """Memory held after a number of calls."""

    calls: int
    log_bytes: int
    """The call log's own objects."""
    rss_bytes: int | None
    """The whole process's resident memory."""
    open_calls: int
    finished_ids: int
    logged_calls: int
    states: int
    seconds: float


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Parse ``--checkpoints 10000,20000,30000``."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.memory")
    parser.add_argument(
        "--checkpoints",
        type=lambda value: sorted({int(part) for part in value.split(",")}),
        default=[10_000, 20_000, 30_000],
        help="call counts at which memory is measured; the last is the total",
    )
    return parser.parse_args(argv)


def call_numbers(number: int) -> tuple[str, str]:
    """Return ``(from, to)`` of the ``number``-th call of the mix."""
    extension = EXTENSIONS[number % len(EXTENSIONS)]
    outside = f"0329{number % 100_000_000:08d}"
    if number % FOREIGN_EVERY == 0:
        return outside, f"0119{number % 100_000_000:08d}"
    if number % INCOMING_EVERY == 0:
        return outside, extension
    return extension, outside


def call_bodies(number: int, run: str, first_ms: int) -> tuple[bytes, bytes]:
    """Return the dialing and hangup bodies of the ``number``-th call.

    Calls start a second apart from ``first_ms`` (epoch milliseconds).
    """
    from_, to = call_numbers(number)
    call_id = f"{run}{number:010x}"
    created = first_ms + number * 1000
    data = {
        "created": created,
        "from": from_,
        "to": to,
        "error": None,
        "callId": call_id,
        "serverMessage": "Chamando o destino",
        "disposition": None,
    }
    dialing = {"event": "call.dialing", "clientId": CLIENT_ID, "data": data}
    hangup = {
        "event": "call.hangup",
        "clientId": CLIENT_ID,
        "data": {
            **data,
            "created": created + 30_000,
            "to": "h",
            "serverMessage": "Ligação encerrada",
            "disposition": "NO ANSWER"
            if number % UNANSWERED_EVERY == 0
            else "ANSWERED",
        },
    }
    return json.dumps(dialing).encode(), json.dumps(hangup).encode()


def deep_size(root: object) -> int:
    """Return the bytes of every object ``root`` reaches, each counted once.

    Code and shared constants are left out (functions, methods, classes,
    modules, enum members): they are not the log's. A method would lead to
    its owner, and from there to all of Home Assistant.
    """
    seen: set[int] = set()
    stack = [root]
    total = 0
    while stack:
        obj = stack.pop()
        if id(obj) in seen or isinstance(obj, SHARED_TYPES):
            continue
        seen.add(id(obj))
        total += sys.getsizeof(obj)
        stack.extend(gc.get_referents(obj))
    return total


def rows_bytes(store_file: Path) -> int | None:
    """Return the bytes the finished calls take in a call-log file (compact JSON).

    Only the rows: open calls and call-back items are bounded, not per call.
    """
    try:
        document = json.loads(store_file.read_bytes())
        rows = document["data"]["finished"]["rows"]
    except OSError, ValueError, KeyError, TypeError:
        return None
    return len(json.dumps(rows, separators=(",", ":"), ensure_ascii=False).encode())


def resident_bytes() -> int | None:
    """Return this process's resident memory (Linux ``/proc``), else None."""
    try:
        fields = Path("/proc/self/statm").read_text(encoding="ascii").split()
    except OSError:
        return None
    return int(fields[1]) * os.sysconf("SC_PAGE_SIZE")


def _import_home_assistant_first() -> None:
    """Import Home Assistant before the harness: it aliases the validation library."""
    import homeassistant  # noqa: F401, PLC0415


async def measure(checkpoints: Sequence[int]) -> dict[str, Any]:
    """Set the integration up in a harness Home Assistant and feed it calls."""
    _import_home_assistant_first()
    from pytest_homeassistant_custom_component.common import (  # noqa: PLC0415
        MockConfigEntry,
        async_test_home_assistant,
    )

    from bemmelhor_simulator.server import SimulatorServer  # noqa: PLC0415
    from custom_components.bemmelhor.call_log.store import storage_key  # noqa: PLC0415
    from custom_components.bemmelhor.webhook import async_handle_body  # noqa: PLC0415
    from homeassistant import loader  # noqa: PLC0415
    from homeassistant.config_entries import ConfigEntryState  # noqa: PLC0415

    results: list[Checkpoint] = []
    with tempfile.TemporaryDirectory() as config_dir:
        async with (
            SimulatorServer(extensions=EXTENSIONS, client_id=CLIENT_ID) as sim,
            async_test_home_assistant(config_dir=config_dir) as hass,
        ):
            hass.data.pop(loader.DATA_CUSTOM_COMPONENTS)
            entry = MockConfigEntry(
                domain="bemmelhor",
                title="Bem Melhor PBX",
                unique_id=sim.host,
                data={
                    "host": sim.host,
                    "port": sim.port,
                    "ssl": False,
                    "verify_ssl": True,
                    "webhook_id": "bench-memory",
                },
                options={
                    "extensions": list(EXTENSIONS),
                    "outside_line_prefix": "0",
                    "client_id": CLIENT_ID,
                    "history_days": HISTORY_DAYS,
                },
                version=1,
                minor_version=1,
            )
            entry.add_to_hass(hass)
            await hass.config_entries.async_setup(entry.entry_id)
            await hass.async_block_till_done()
            if entry.state is not ConfigEntryState.LOADED:
                raise RuntimeError(f"the entry did not load: {entry.state}")
            coordinator = entry.runtime_data.coordinator
            run = "mem"
            # Dated over the hours before now: every finished call stays logged.
            first_ms = int(time.time() * 1000) - 1000 * checkpoints[-1]
            started = time.perf_counter()
            number = 0
            for checkpoint in checkpoints:
                while number < checkpoint:
                    dialing, hangup = call_bodies(number, run, first_ms)
                    async_handle_body(entry, dialing)
                    if number % NO_HANGUP_EVERY:
                        async_handle_body(entry, hangup)
                        if number % DUPLICATE_EVERY == 0:
                            async_handle_body(entry, hangup)
                    number += 1
                    if number % YIELD_EVERY == 0:
                        await hass.async_block_till_done()
                await hass.async_block_till_done()
                sim.requests.clear()  # the simulator's log, not the integration's
                gc.collect()
                log_bytes = deep_size(coordinator.log)
                results.append(
                    Checkpoint(
                        calls=number,
                        log_bytes=log_bytes,
                        rss_bytes=resident_bytes(),
                        open_calls=len(coordinator.log.open_calls),
                        finished_ids=coordinator.log.finished_ids,
                        logged_calls=len(coordinator.log.history),
                        states=len(hass.states.async_all()),
                        seconds=round(time.perf_counter() - started, 1),
                    )
                )
                print(
                    f"memory: {number:,} calls, {len(coordinator.log.history):,} "
                    f"in the log, {log_bytes / 1024:,.0f} KiB",
                    file=sys.stderr,
                    flush=True,
                )
            logged = len(coordinator.log.history)
            await hass.config_entries.async_unload(entry.entry_id)  # writes the log
            store_file = Path(config_dir, ".storage", storage_key(entry.entry_id))
            file_bytes = rows_bytes(store_file)
            await hass.async_stop(force=True)
    return {
        "extensions": len(EXTENSIONS),
        "checkpoints": [asdict(result) for result in results],
        "file_bytes": file_bytes,
        "file_calls": logged,
    }


def main(argv: Sequence[str] | None = None) -> int:
    """Run the measurement and print its JSON document on stdout."""
    args = parse_args(argv)
    logging.basicConfig(level=logging.ERROR)
    document = asyncio.run(measure(args.checkpoints))
    print(json.dumps(document))
    return 0


class MemoryProcess:
    """The measurement as a child process, which can be paused while others time."""

    def __init__(self, checkpoints: Sequence[int]) -> None:
        """Describe the child; nothing runs until ``start()``."""
        self.checkpoints = list(checkpoints)
        self._process: asyncio.subprocess.Process | None = None
        self._paused = False

    async def start(self) -> None:
        """Start the measurement."""
        self._process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "benchmarks.memory",
            "--checkpoints",
            ",".join(str(calls) for calls in self.checkpoints),
            cwd=REPO,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )

    async def pause(self) -> None:
        """Stop the child (SIGSTOP) so it takes no CPU while something is timed."""
        if self._process is not None and self._process.returncode is None:
            self._process.send_signal(signal.SIGSTOP)
            self._paused = True
            await asyncio.sleep(PAUSE_SETTLE)

    async def resume(self) -> None:
        """Let a paused child go on (SIGCONT)."""
        if self._process is not None and self._paused:
            with contextlib.suppress(ProcessLookupError):
                self._process.send_signal(signal.SIGCONT)
            self._paused = False

    async def result(self) -> dict[str, Any]:
        """Wait for the child and return its JSON document."""
        if self._process is None:
            raise RuntimeError("the memory benchmark was not started")
        await self.resume()
        stdout, stderr = await self._process.communicate()
        if self._process.returncode != 0:
            raise RuntimeError(
                "the memory benchmark failed:\n"
                + stderr.decode(errors="replace")[-3000:]
            )
        document: dict[str, Any] = json.loads(stdout.decode().strip().splitlines()[-1])
        return document

    async def kill(self) -> None:
        """Stop the child if it still runs."""
        if self._process is not None and self._process.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                self._process.send_signal(signal.SIGCONT)
                self._process.kill()
            await self._process.wait()


def figure(document: dict[str, Any]) -> Figure:
    """Return the memory figure: the log's growth per 10,000 calls it gained.

    From the first checkpoint (every bounded part full) to the last; beside
    it, the size of the same calls' rows in the call-log file.
    """
    checkpoints = document["checkpoints"]
    first, last = checkpoints[0], checkpoints[-1]
    added = max(last["logged_calls"] - first["logged_calls"], 1)
    log_per_call = (last["log_bytes"] - first["log_bytes"]) / added
    rss_per_call = (
        (last["rss_bytes"] - first["rss_bytes"]) / added
        if last["rss_bytes"] is not None and first["rss_bytes"] is not None
        else None
    )
    file_bytes, file_calls = document.get("file_bytes"), document.get("file_calls")
    on_disk = (
        Summary.of([file_bytes / file_calls * PER_CALLS / 1024])
        if file_bytes and file_calls
        else None
    )
    return Figure(
        key="memory_log",
        title=f"Call-log memory per {PER_CALLS:,} calls",
        unit="KiB",
        value=Summary.of([log_per_call * PER_CALLS / 1024]),
        value_label=(
            f"the call log's objects, growth from {first['calls']:,} to "
            f"{last['calls']:,} calls through the webhook handler, per "
            f"{PER_CALLS:,} calls the log gained"
        ),
        baseline=on_disk,
        baseline_label="the same calls' rows in the call-log file" if on_disk else "",
        details={
            "extensions": document["extensions"],
            "checkpoints": checkpoints,
            "calls_added_to_log": added,
            "process_rss_kib_per_10000": None
            if rss_per_call is None
            else round(rss_per_call * PER_CALLS / 1024),
            "log_kib_at_last_checkpoint": round(last["log_bytes"] / 1024),
            "file_bytes": file_bytes,
            "file_calls": file_calls,
            "seconds": last["seconds"],
            "mix": {
                "incoming_every": INCOMING_EVERY,
                "foreign_every": FOREIGN_EVERY,
                "no_hangup_every": NO_HANGUP_EVERY,
                "duplicate_hangup_every": DUPLICATE_EVERY,
                "unanswered_every": UNANSWERED_EVERY,
            },
        },
    )


if __name__ == "__main__":
    sys.exit(main())
