"""Child processes: log file, exit detection, bounded stop; the simulator's command line."""

import asyncio
from pathlib import Path
import socket
import sys

import pytest

from devtools.process import ChildProcess, ProcessError, port_in_use, tail
from devtools.simulator import SimulatorProcess, Traffic, simulator_argv


def _python(tmp_path: Path, code: str) -> ChildProcess:
    return ChildProcess(
        "child", [sys.executable, "-c", code], log_path=tmp_path / "child.log"
    )


async def test_a_child_is_stopped_with_sigterm(tmp_path: Path) -> None:
    """A well-behaved child ends on SIGTERM; its output is in the log."""
    child = _python(tmp_path, "import time; print('up', flush=True); time.sleep(60)")
    await child.start()
    await asyncio.sleep(0.5)

    status = await child.stop(timeout=10)

    assert status == -15
    assert not child.running
    assert "up" in child.log_tail()


async def test_a_child_ignoring_sigterm_is_killed(tmp_path: Path) -> None:
    """A child that ignores SIGTERM gets SIGKILL once the bound has passed."""
    child = _python(
        tmp_path,
        "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN);"
        " print('ready', flush=True); time.sleep(60)",
    )
    await child.start()
    for _ in range(50):
        if "ready" in child.log_tail():
            break
        await asyncio.sleep(0.1)

    status = await child.stop(timeout=0.5)

    assert status == -9


async def test_a_dead_child_is_reported_with_its_log(tmp_path: Path) -> None:
    """check_alive raises with the exit status and the end of the log."""
    child = _python(tmp_path, "import sys; print('boom'); sys.exit(3)")
    await child.start()
    for _ in range(100):
        if child.returncode is not None:
            break
        await asyncio.sleep(0.05)

    with pytest.raises(ProcessError, match=r"exited with status 3(.|\n)*boom"):
        child.check_alive()
    assert await child.stop() == 3


async def test_a_child_starts_once(tmp_path: Path) -> None:
    """A second start is a mistake."""
    child = _python(tmp_path, "pass")
    await child.start()

    with pytest.raises(ProcessError, match="already started"):
        await child.start()
    await child.stop()


async def test_stopping_a_child_never_started_is_a_no_op(tmp_path: Path) -> None:
    """stop() before start() returns None."""
    assert await _python(tmp_path, "pass").stop() is None


def test_tail_of_a_missing_file_is_empty(tmp_path: Path) -> None:
    """No log yet, nothing to show."""
    assert tail(tmp_path / "absent.log") == ""


def test_tail_keeps_the_last_lines(tmp_path: Path) -> None:
    """Only the last lines are shown."""
    path = tmp_path / "log"
    path.write_text("".join(f"line {n}\n" for n in range(30)), encoding="utf-8")

    assert tail(path, 2) == "line 28\nline 29"


def test_port_in_use(socket_enabled: None) -> None:
    """A listening socket is seen; a closed port is not."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        port = server.getsockname()[1]

        assert port_in_use("127.0.0.1", port)
    assert not port_in_use("127.0.0.1", port)


def test_simulator_command_line_with_traffic() -> None:
    """Extensions, client id and traffic options reach the simulator's CLI."""
    argv = simulator_argv(
        python="py",
        host="127.0.0.1",
        port=3030,
        extensions=["6001", "6002"],
        client_id="demo-client",
        traffic=Traffic(interval=4.0, time_scale=0.25, seed=7),
    )

    assert argv == [
        "py", "-m", "bemmelhor_simulator", "--host", "127.0.0.1", "--port", "3030",
        "--extensions", "6001,6002", "--client-id", "demo-client",
        "--traffic", "--traffic-interval", "4.0", "--time-scale", "0.25", "--seed", "7",
    ]  # fmt: skip


def test_simulator_command_line_without_traffic(tmp_path: Path) -> None:
    """Without traffic, calls happen only when asked for."""
    simulator = SimulatorProcess(
        log_path=tmp_path / "sim.log", extensions=["6001"], client_id="c", port=13030
    )

    assert "--traffic" not in simulator.argv
    assert simulator.base_url == "http://127.0.0.1:13030"


async def test_waiting_until_a_child_answers(tmp_path: Path) -> None:
    """Connection failures are retried until the probe answers."""
    child = _python(tmp_path, "import time; time.sleep(60)")
    await child.start()
    failures = [ConnectionRefusedError(), ConnectionRefusedError()]

    async def probe() -> str:
        if failures:
            raise failures.pop()
        return "answered"

    try:
        assert await child.wait_answering(probe, timeout=5, interval=0.01) == "answered"
    finally:
        await child.stop()


async def test_waiting_on_a_dead_child_fails_at_once(tmp_path: Path) -> None:
    """A child that exited is reported instead of waited for."""
    child = _python(tmp_path, "import sys; sys.exit(4)")
    await child.start()

    async def probe() -> None:
        raise ConnectionRefusedError

    with pytest.raises(ProcessError, match="status 4"):
        await child.wait_answering(probe, timeout=10, interval=0.05)


async def test_a_child_does_not_start_on_a_busy_port(
    socket_enabled: None, tmp_path: Path
) -> None:
    """A process that should listen where something already listens is not started."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        port = server.getsockname()[1]
        child = ChildProcess(
            "server",
            [sys.executable, "-c", "pass"],
            log_path=tmp_path / "server.log",
            listens_on=("127.0.0.1", port),
        )

        with pytest.raises(ProcessError, match="already in use"):
            await child.start()
    assert child.pid is None
