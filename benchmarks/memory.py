"""Benchmark 4: tracker and entity memory over 100,000 calls, with tracemalloc.

Runs in its own process (``python -m benchmarks.memory``, JSON on stdout),
so tracing allocations slows nothing else. Home Assistant is built in that
process by pytest-homeassistant-custom-component's harness (no HTTP server,
no recorder), with a Bem Melhor entry of 10 extensions set up against an
in-process PBX simulator. Each call's dialing and hangup bodies go to the
webhook handler's body function (``async_handle_body``: everything after
HTTP — validation, tracker, coordinator, entity states, bus events). The mix
has incoming calls, calls of numbers that are no extension, duplicate
deliveries, and calls whose hangup never comes (those pile up to the
tracker's cap of open calls).

tracemalloc is on from the first call; at each checkpoint (10,000, 50,000
and 100,000 calls), after a garbage collection, the memory still held by
blocks allocated since the first call is the figure (the in-process
simulator's request log is emptied first: it is not the integration's). The
baseline is the same figure at the middle checkpoint, when every bound has
been reached and the 30 s poll has run: bounded memory stays flat from there.
"""

import argparse
import asyncio
from collections.abc import Sequence
import contextlib
from dataclasses import asdict, dataclass
import gc
import json
import logging
import signal
import sys
import tempfile
import time
import tracemalloc
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
YIELD_EVERY = 500
MAX_GROWTH = 1.05
"""Held memory may grow this much from the middle checkpoint to the last."""
PAUSE_SETTLE = 0.1


@dataclass(frozen=True, slots=True)
class Checkpoint:
    """Memory held after a number of calls."""

    calls: int
    traced_bytes: int
    integration_bytes: int
    homeassistant_bytes: int
    open_calls: int
    finished_ids: int
    states: int
    seconds: float


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Parse ``--checkpoints 10000,50000,100000``."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.memory")
    parser.add_argument(
        "--checkpoints",
        type=lambda value: sorted({int(part) for part in value.split(",")}),
        default=[10_000, 50_000, 100_000],
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


def call_bodies(number: int, run: str) -> tuple[bytes, bytes]:
    """Return the dialing and hangup bodies of the ``number``-th call."""
    from_, to = call_numbers(number)
    call_id = f"{run}{number:010x}"
    created = 1_700_000_000_000 + number * 1000
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
            "disposition": "ANSWERED" if number % 4 else "NO ANSWER",
        },
    }
    return json.dumps(dialing).encode(), json.dumps(hangup).encode()


def held_bytes(snapshot: tracemalloc.Snapshot) -> tuple[int, int, int]:
    """Return bytes held in all, by the integration's and by Home Assistant's code."""
    total = integration = core = 0
    for stat in snapshot.statistics("filename"):
        filename = stat.traceback[0].filename
        total += stat.size
        if "custom_components/bemmelhor" in filename:
            integration += stat.size
        elif "/homeassistant/" in filename:
            core += stat.size
    return total, integration, core


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
            started = time.perf_counter()
            gc.collect()
            tracemalloc.start()
            number = 0
            for checkpoint in checkpoints:
                while number < checkpoint:
                    dialing, hangup = call_bodies(number, run)
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
                total, integration, core = held_bytes(tracemalloc.take_snapshot())
                results.append(
                    Checkpoint(
                        calls=number,
                        traced_bytes=total,
                        integration_bytes=integration,
                        homeassistant_bytes=core,
                        open_calls=len(coordinator.tracker),
                        finished_ids=coordinator.tracker.finished_ids,
                        states=len(hass.states.async_all()),
                        seconds=round(time.perf_counter() - started, 1),
                    )
                )
                print(
                    f"memory: {number:,} calls, {total / 1024:,.0f} KiB held",
                    file=sys.stderr,
                    flush=True,
                )
            tracemalloc.stop()
            await hass.config_entries.async_unload(entry.entry_id)
            await hass.async_stop(force=True)
    return {
        "extensions": len(EXTENSIONS),
        "checkpoints": [asdict(result) for result in results],
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
    """Return the memory figure: held at the last checkpoint vs the middle one.

    By the middle checkpoint every bound has been reached and the polls have
    run; the first checkpoint is in the details.
    """
    checkpoints = document["checkpoints"]
    middle, last = checkpoints[len(checkpoints) // 2], checkpoints[-1]
    value = last["traced_bytes"] / 1024
    baseline = middle["traced_bytes"] / 1024
    return Figure(
        key="memory",
        title=f"Memory held after {last['calls']:,} calls",
        unit="KiB",
        value=Summary.of([value]),
        value_label=f"tracemalloc, after {last['calls']:,} calls",
        baseline=Summary.of([baseline]),
        baseline_label=f"the same after {middle['calls']:,} calls",
        target=f"≤ {MAX_GROWTH:.2f}× (no growth)",
        met=value <= MAX_GROWTH * baseline,
        details={
            "extensions": document["extensions"],
            "checkpoints": checkpoints,
            "mix": {
                "incoming_every": INCOMING_EVERY,
                "foreign_every": FOREIGN_EVERY,
                "no_hangup_every": NO_HANGUP_EVERY,
                "duplicate_hangup_every": DUPLICATE_EVERY,
            },
        },
    )


if __name__ == "__main__":
    sys.exit(main())
