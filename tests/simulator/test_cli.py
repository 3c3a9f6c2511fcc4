"""The command line: argument parsing, running, signals, a real subprocess."""

import asyncio
import json
import os
from pathlib import Path
import selectors
import signal
import socket
import subprocess
import sys
import threading
import urllib.request

import pytest

from bemmelhor_simulator import CallTimings, Disposition, Mode, SimulatorServer
import bemmelhor_simulator.__main__ as cli

REPO = Path(__file__).resolve().parents[2]


def test_defaults() -> None:
    """Without options: port 3030, three extensions, timed calls, no traffic."""
    args = cli.parse_args([])
    server = cli.server_from_args(args)

    assert (args.host, args.port) == ("127.0.0.1", 3030)
    assert server.pbx.extensions == ["6001", "6002", "6003"]
    assert server.pbx.mode is Mode.TIMED
    assert server.pbx.timings == CallTimings()
    assert server.webhooks.url is None
    assert server.webhooks.client_id == "bemmelhor-simulator"
    assert not args.traffic


def test_every_option() -> None:
    """Every option reaches the server it builds."""
    args = cli.parse_args(
        [
            "--host=127.0.0.2",
            "--port=0",
            "--extensions= 6001, 6005 ,",
            "--webhook-url=http://127.0.0.1:8123/api/webhook/x",
            "--client-id=abc",
            "--manual",
            "--ring-after=0.5",
            "--answer-after=1",
            "--talk-for=2",
            "--disposition=BUSY",
            "--traffic",
            "--traffic-interval=0.5",
            "--time-scale=0.1",
            "--seed=7",
            "--log-level=debug",
        ]
    )
    server = cli.server_from_args(args)

    assert server.host == "127.0.0.2"
    assert server.pbx.extensions == ["6001", "6005"]
    assert server.webhooks.url == "http://127.0.0.1:8123/api/webhook/x"
    assert server.webhooks.client_id == "abc"
    assert server.pbx.mode is Mode.MANUAL
    assert server.pbx.timings == CallTimings(ring_after=0.5, answer_after=1, talk_for=2)
    assert server.pbx.disposition is Disposition.BUSY
    assert server.seed == 7
    assert (args.traffic, args.traffic_interval, args.time_scale) == (True, 0.5, 0.1)


@pytest.mark.parametrize(
    "argv",
    [
        ["--extensions", " , "],
        ["--ring-after", "-1"],
        ["--talk-for", "soon"],
        ["--traffic-interval", "0"],
        ["--disposition", "MAYBE"],
        ["--port", "http"],
    ],
)
def test_bad_options(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    """Nonsense is rejected with a usage error."""
    with pytest.raises(SystemExit) as err:
        cli.parse_args(argv)
    assert err.value.code == 2
    assert "error:" in capsys.readouterr().err


async def test_run_until_stopped() -> None:
    """``run`` serves with traffic until its stop event is set."""
    stop = asyncio.Event()
    servers: list[SimulatorServer] = []

    def ready(server: SimulatorServer) -> None:
        servers.append(server)
        stop.set()

    args = cli.parse_args(
        ["--port=0", "--traffic", "--traffic-interval=60", "--seed=1", "--manual"]
    )
    await cli.run(args, on_ready=ready, stop=stop)

    (server,) = servers
    assert not server.started
    assert server.traffic is not None and not server.traffic.running


async def test_run_stops_on_sigint(capsys: pytest.CaptureFixture[str]) -> None:
    """SIGINT stops ``run`` cleanly; the base URL was printed when ready."""
    servers: list[SimulatorServer] = []

    def ready(server: SimulatorServer) -> None:
        servers.append(server)
        cli.announce(server)
        os.kill(os.getpid(), signal.SIGINT)

    await cli.run(cli.parse_args(["--port=0"]), on_ready=ready)

    assert capsys.readouterr().out == f"{servers[0].base_url}\n"
    assert not servers[0].started


async def test_main_in_a_thread(monkeypatch: pytest.MonkeyPatch) -> None:
    """``main`` runs the server (no signal handlers off the main thread)."""
    ready = threading.Event()
    control: dict[str, object] = {}
    real_run = cli.run

    async def run(args: object) -> None:
        stop = asyncio.Event()
        control["stop"] = stop
        control["loop"] = asyncio.get_running_loop()
        await real_run(args, on_ready=lambda _: ready.set(), stop=stop)  # type: ignore[arg-type]

    monkeypatch.setattr(cli, "run", run)
    main = asyncio.create_task(asyncio.to_thread(cli.main, ["--port=0"]))
    assert await asyncio.to_thread(ready.wait, 10)
    loop = control["loop"]
    assert isinstance(loop, asyncio.AbstractEventLoop)
    loop.call_soon_threadsafe(control["stop"].set)  # type: ignore[attr-defined]
    assert await main == 0


async def test_main_port_in_use(capsys: pytest.CaptureFixture[str]) -> None:
    """A port in use makes ``main`` fail with status 1 and a message."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        port = sock.getsockname()[1]
        status = await asyncio.to_thread(cli.main, [f"--port={port}"])
    assert status == 1
    assert "bemmelhor_simulator:" in capsys.readouterr().err


def test_subprocess_serves_and_stops_on_sigterm() -> None:
    """``python -m bemmelhor_simulator`` prints its URL, serves, exits on SIGTERM."""
    with subprocess.Popen(
        [sys.executable, "-m", "bemmelhor_simulator", "--port=0", "--extensions=6001"],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as process:
        try:
            assert process.stdout is not None
            with selectors.DefaultSelector() as selector:
                selector.register(process.stdout, selectors.EVENT_READ)
                assert selector.select(timeout=30), "no URL printed"
            base_url = process.stdout.readline().strip()
            assert base_url.startswith("http://127.0.0.1:")
            with urllib.request.urlopen(f"{base_url}/api/active/6001", timeout=10) as r:
                assert json.load(r)["apiStatus"] == "SUCCESS"
            process.send_signal(signal.SIGTERM)
            assert process.wait(timeout=30) == 0
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
