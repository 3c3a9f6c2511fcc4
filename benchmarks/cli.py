"""``scripts/bench``: the command line, and one run of every benchmark in order.

Order: the entries that take webhooks are written into the configuration
(one whose call-log database already holds 100,000 calls, and one of the
same size with an empty log), then Home Assistant and the simulators start;
both entries take calls at one a second while the bytes written are counted
(meanwhile the memory rounds start Home Assistants of their own, one after
another: the calls leave a core to spare and their bytes are counted in
their own process only); set-up rounds create and delete entries, then
reload the two preset ones (before the throughput rounds: those add some
20,000 calls to the main entry's day, which a start reads); the first entry
takes the throughput and latency rounds; both entries' calendars are asked
for one day; a 10,000-contact phone book is imported into the first entry
and its throughput measured again; a flood of missed calls fills its
call-back list (last: what it leaves in the list would slow later
webhooks); the fan-out entries are created and refreshed. The caller-name
lookups run in this process before Home Assistant starts.
"""

import argparse
import asyncio
from collections.abc import Sequence
import contextlib
from datetime import UTC, datetime
import importlib.util
import os
from pathlib import Path
import platform
import sys
import time
from typing import Any

from . import (
    calendar_events,
    call_backs,
    contacts,
    fanout,
    latency,
    memory,
    phonebook,
    setup_time,
    throughput,
    writes,
)
from .environment import BenchEnvironment, extension_range
from .options import BENCHMARKS, REPO, BenchOptions, Say
from .report import (
    Figure,
    format_baselines,
    format_table,
    results_document,
    write_results,
)

MAIN_HOST = "127.0.0.1"
MAIN_EXTENSIONS = extension_range(6001, 10)
SETUP_HOST = "127.0.0.2"
EMPTY_LOG_HOST = "127.0.0.200"
EMPTY_LOG_EXTENSIONS = extension_range(6101, len(MAIN_EXTENSIONS))
"""The entry of the main one's size, with an empty call log (other numbers: other entity ids)."""
LOG_BENCHMARKS = frozenset(
    {"throughput", "latency", "setup", "writes", "calendar", "callbacks", "phonebook"}
)
"""The benchmarks that use the main entry (with its full call log)."""
IN_PROCESS_BENCHMARKS = frozenset({"contacts", "memory"})
"""The benchmarks that need no Home Assistant (memory builds its own)."""


def fanout_hosts(sizes: Sequence[int]) -> dict[int, str]:
    """Return a loopback address per fan-out size (127.0.0.2, 127.0.0.3, …)."""
    return {size: f"127.0.0.{number}" for number, size in enumerate(sizes, start=2)}


def _positive_int(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {value!r}") from None
    if number < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return number


def _benchmarks(value: str) -> tuple[str, ...]:
    names = tuple(part.strip() for part in value.split(",") if part.strip())
    if unknown := [name for name in names if name not in BENCHMARKS]:
        raise argparse.ArgumentTypeError(
            f"unknown benchmark(s) {', '.join(unknown)}; choose from {', '.join(BENCHMARKS)}"
        )
    if not names:
        raise argparse.ArgumentTypeError("name at least one benchmark")
    return names


def build_parser() -> argparse.ArgumentParser:
    """Return the parser of ``scripts/bench``."""
    parser = argparse.ArgumentParser(
        prog="scripts/bench",
        description=(
            "Measure the integration in a real Home Assistant next to Home "
            "Assistant's own floor; print a table and write a JSON file."
        ),
    )
    add = parser.add_argument
    add(
        "--quick", action="store_true", help="a short smoke run (fewer, smaller rounds)"
    )
    add("--rounds", type=_positive_int, help="alternating rounds per side (5)")
    add(
        "--throughput-rounds",
        type=_positive_int,
        help="alternating rounds per side of the throughput benchmarks (9)",
    )
    add(
        "--pairs",
        type=_positive_int,
        help="dialing/hangup pairs per throughput round (2000)",
    )
    add("--concurrency", type=_positive_int, help="webhook requests in flight (16)")
    add(
        "--latency-samples",
        type=_positive_int,
        help="POSTs per latency round and side (60)",
    )
    add(
        "--log-calls",
        type=_positive_int,
        help="finished calls in the log of the entry that takes the webhooks (100000)",
    )
    add(
        "--write-calls",
        type=_positive_int,
        help="calls per side of the disk-writes benchmark, one a second (120)",
    )
    add(
        "--memory-rounds",
        type=_positive_int,
        help="Home Assistant starts per side of the memory benchmark (3)",
    )
    add(
        "--only",
        type=_benchmarks,
        help=f"comma-separated subset of {','.join(BENCHMARKS)}",
    )
    add("--results", type=Path, help="folder of the JSON results (benchmarks/results)")
    return parser


def parse_args(argv: Sequence[str] | None = None) -> BenchOptions:
    """Turn the command line into options (``--quick`` first, then the sizes)."""
    args = build_parser().parse_args(argv)
    changes: dict[str, Any] = {}
    if args.rounds is not None:
        changes["rounds"] = args.rounds
    if args.throughput_rounds is not None:
        changes["throughput_rounds"] = args.throughput_rounds
    if args.pairs is not None:
        changes["throughput_pairs"] = args.pairs
    if args.concurrency is not None:
        changes["concurrency"] = args.concurrency
    if args.latency_samples is not None:
        changes["latency_samples"] = args.latency_samples
    if args.log_calls is not None:
        changes["logged_calls"] = args.log_calls
    if args.write_calls is not None:
        changes["write_calls"] = args.write_calls
    if args.memory_rounds is not None:
        changes["memory_rounds"] = args.memory_rounds
    if args.only is not None:
        changes["only"] = args.only
    if args.results is not None:
        changes["results_dir"] = args.results.resolve()
    return BenchOptions.quick(**changes) if args.quick else BenchOptions(**changes)


def _say(line: str) -> None:
    print(line, flush=True)


async def run_benchmarks(options: BenchOptions, say: Say) -> list[Figure]:
    """Run the selected benchmarks; return their figures in table order."""
    wanted = set(options.only)
    figures: list[Figure] = []
    if "contacts" in wanted:  # in this process, before anything else runs
        say("caller-name lookups (in this process)…")
        figures += contacts.lookup_cost_figures(options.lookup_rounds, options.lookups)
    if wanted <= {"contacts"}:
        return figures
    sizes = options.fanout_sizes
    hosts = {MAIN_HOST, SETUP_HOST, EMPTY_LOG_HOST, *fanout_hosts(sizes).values()}
    env = BenchEnvironment(options.config_dir, sorted(hosts), say)
    main = empty = None
    if wanted & LOG_BENCHMARKS:
        main = env.preset_entry(MAIN_HOST, MAIN_EXTENSIONS, options.logged_calls)
    if wanted & {"setup", "calendar", "writes"}:
        empty = env.preset_entry(EMPTY_LOG_HOST, EMPTY_LOG_EXTENSIONS)
    needs_hass = bool(wanted - IN_PROCESS_BENCHMARKS)
    memory_rounds: asyncio.Task[Figure] | None = None
    try:
        if needs_hass:
            say("starting Home Assistant and the PBX simulators…")
            await env.start()
        if main is not None:
            logged = await env.call_log_size(main.entry_id)
            say(f"the main entry's call log holds {logged:,} calls")
        if main is not None and empty is not None and "writes" in wanted:
            if "memory" in wanted:
                say("memory (Home Assistants of its own, beside the writes' calls)…")
                memory_rounds = asyncio.create_task(memory.run(options, say))
            say("disk writes per call, one call a second…")
            figures += await writes.run(env, main, empty, options, say)
            if memory_rounds is not None:
                say("waiting for the memory rounds…")
                figures.append(await memory_rounds)
        if main is not None and empty is not None and "setup" in wanted:
            say("set-up time…")
            figures += await setup_time.run(env, SETUP_HOST, options, say)
            figures += await setup_time.run_logged(env, main, empty, options, say)
        if main is not None and "throughput" in wanted:
            say("webhook throughput…")
            figures += await throughput.run(env, main, options, say)
        if main is not None and "latency" in wanted:
            say("push-to-state latency…")
            figures += await latency.run(env, main, options, say)
        if main is not None and empty is not None and "calendar" in wanted:
            say("calendar events of one day…")
            figures += await calendar_events.run(env, main, empty, options, say)
        if main is not None and "phonebook" in wanted:
            say("webhook throughput with a 10,000-contact phone book…")
            figures += await phonebook.run(env, main, options, say)
        if main is not None and "callbacks" in wanted:
            say("the call-back list during a flood of missed calls…")
            figures += await call_backs.run(env, main, options, say)
        if "fanout" in wanted:
            say("poll fan-out…")
            figures += await fanout.run(env, fanout_hosts(sizes), options, say)
    finally:
        if memory_rounds is not None and not memory_rounds.done():
            memory_rounds.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await memory_rounds
        if needs_hass:
            await env.stop()
    if "memory" in wanted and memory_rounds is None:
        say("memory (Home Assistants of its own)…")
        figures.append(await memory.run(options, say))
    order = {key: index for index, key in enumerate(BENCHMARKS)}
    return sorted(figures, key=lambda figure: order[_benchmark_of(figure)])


def _benchmark_of(figure: Figure) -> str:
    for name, prefix in (
        ("phonebook", "phonebook"),
        ("calendar", "calendar"),
        ("callbacks", "callbacks"),
        ("contacts", "lookup"),
        ("contacts", "contact_index"),
        ("throughput", "throughput"),
        ("throughput", "hass_cpu"),
        ("latency", "push_to_state"),
        ("setup", "setup"),
        ("writes", "disk"),
        ("fanout", "fanout"),
    ):
        if figure.key.startswith(prefix):
            return name
    return "memory"


def environment_facts() -> dict[str, Any]:
    """Return what the results depend on: versions and the machine's size."""
    from homeassistant.const import __version__ as ha_version  # noqa: PLC0415

    return {
        "home_assistant": ha_version,
        "python": platform.python_version(),
        "machine": platform.machine(),
        "system": platform.system(),
        "cpus": os.cpu_count(),
        "ulid_transform": ulid_implementation(),
    }


def ulid_implementation() -> str:
    """Return whether Home Assistant's context ids come from C++ or Python.

    Every state write and event makes one; ``scripts/setup`` builds the
    compiled module (as Home Assistant's own wheels ship it) when it can.
    """
    compiled = importlib.util.find_spec("ulid_transform._ulid_impl") is not None
    return "compiled" if compiled else "pure Python"


async def async_main(options: BenchOptions, say: Say = _say) -> int:
    """Run, print the table and write the JSON file; return the exit status."""
    started_at = datetime.now(UTC)
    started = time.monotonic()
    figures = await run_benchmarks(options, say)
    seconds = time.monotonic() - started
    document = results_document(
        figures,
        started=started_at,
        seconds=seconds,
        settings=options.settings(),
        environment=environment_facts(),
    )
    path = write_results(options.results_dir, document, started_at)
    say("")
    say(format_table(figures))
    say("")
    say("Baselines:")
    say(format_baselines(figures))
    say("")
    shown = path.relative_to(REPO) if path.is_relative_to(REPO) else path
    say(f"results: {shown} (total {seconds:.0f} s)")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``scripts/bench``."""
    options = parse_args(argv)
    try:
        return asyncio.run(async_main(options))
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
