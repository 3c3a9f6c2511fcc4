"""Command line: ``python -m bemmelhor_simulator [options]``.

Serves the simulated PBX until Ctrl-C or SIGTERM; prints the base URL on one
line once it is listening. Calls are timed by default (``--manual`` to drive
them through the ``/_sim/`` control endpoints instead).
"""

import argparse
import asyncio
from collections.abc import Callable, Sequence
import logging
import signal
import sys

from .const import (
    DEFAULT_CLIENT_ID,
    DEFAULT_EXTENSIONS,
    DEFAULT_HOST,
    DEFAULT_PORT,
    Disposition,
)
from .model import CallTimings, Mode
from .server import SimulatorServer

_DEFAULT_TIMINGS = CallTimings()


def _extensions(value: str) -> list[str]:
    extensions = [part.strip() for part in value.split(",") if part.strip()]
    if not extensions:
        raise argparse.ArgumentTypeError("at least one extension is needed")
    return extensions


def _seconds(value: str) -> float:
    try:
        seconds = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {value!r}") from None
    if seconds < 0:
        raise argparse.ArgumentTypeError("must not be negative")
    return seconds


def _positive(value: str) -> float:
    seconds = _seconds(value)
    if seconds == 0:
        raise argparse.ArgumentTypeError("must be positive")
    return seconds


def build_parser() -> argparse.ArgumentParser:
    """Return the command line parser."""
    parser = argparse.ArgumentParser(
        prog="python -m bemmelhor_simulator",
        description="Simulator of the Bem Melhor Telecom cloud PBX HTTP API.",
    )
    add = parser.add_argument
    add("--host", default=DEFAULT_HOST, help="address to listen on (%(default)s)")
    add("--port", type=int, default=DEFAULT_PORT, help="0 picks a free port")
    add(
        "--extensions",
        type=_extensions,
        default=list(DEFAULT_EXTENSIONS),
        help="comma-separated extensions (default: 6001,6002,6003)",
    )
    add("--webhook-url", help="where to POST call.dialing / call.hangup")
    add("--client-id", default=DEFAULT_CLIENT_ID, help="clientId of webhooks")
    add("--manual", action="store_true", help="calls move only when told to")
    add("--ring-after", type=_seconds, default=_DEFAULT_TIMINGS.ring_after)
    add("--answer-after", type=_seconds, default=_DEFAULT_TIMINGS.answer_after)
    add("--talk-for", type=_seconds, default=_DEFAULT_TIMINGS.talk_for)
    add(
        "--disposition",
        choices=[str(d) for d in Disposition],
        default=str(Disposition.ANSWERED),
        help="how click-to-call calls end in timed mode",
    )
    add("--traffic", action="store_true", help="start random calls continuously")
    add("--traffic-interval", type=_positive, default=5.0, help="mean s between calls")
    add("--time-scale", type=_positive, default=1.0, help="scale of traffic timings")
    add("--seed", type=int, help="seed of every random choice")
    add("--log-level", default="INFO", help="DEBUG, INFO, WARNING, ...")
    return parser


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """Parse the command line (``sys.argv[1:]`` by default)."""
    return build_parser().parse_args(argv)


def server_from_args(args: argparse.Namespace) -> SimulatorServer:
    """Build a (not yet started) server from parsed arguments."""
    return SimulatorServer(
        host=args.host,
        port=args.port,
        extensions=args.extensions,
        webhook_url=args.webhook_url,
        client_id=args.client_id,
        mode=Mode.MANUAL if args.manual else Mode.TIMED,
        timings=CallTimings(
            ring_after=args.ring_after,
            answer_after=args.answer_after,
            talk_for=args.talk_for,
        ),
        disposition=args.disposition,
        seed=args.seed,
    )


def announce(server: SimulatorServer) -> None:
    """Print the base URL: the one line that tells a parent process we are up."""
    print(server.base_url, flush=True)


async def run(
    args: argparse.Namespace,
    *,
    on_ready: Callable[[SimulatorServer], None] = announce,
    stop: asyncio.Event | None = None,
) -> None:
    """Serve until SIGINT/SIGTERM (or until ``stop`` is set)."""
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    installed: list[signal.Signals] = []
    for signum in (signal.SIGINT, signal.SIGTERM):
        try:
            loop.add_signal_handler(signum, stop.set)
        except NotImplementedError, RuntimeError:  # not the main thread
            continue
        installed.append(signum)
    server = server_from_args(args)
    try:
        await server.start()
        if args.traffic:
            server.start_traffic(args.traffic_interval, time_scale=args.time_scale)
        on_ready(server)
        await stop.wait()
    finally:
        await server.stop()
        for signum in installed:
            loop.remove_signal_handler(signum)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the simulator; return the process exit status."""
    args = parse_args(argv)
    logging.basicConfig(
        level=args.log_level.upper(),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    try:
        asyncio.run(run(args))
    except OSError as err:
        print(f"bemmelhor_simulator: {err}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
