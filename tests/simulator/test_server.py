"""The server runner: ports, lifecycle, clean shutdown."""

from datetime import UTC, datetime
import socket

from aiohttp import ClientSession
import pytest

from bemmelhor_simulator import CallTimings, Mode, SimulatorServer
from bemmelhor_simulator.pytest_plugin import SimulatorFactory
from bemmelhor_simulator.requestlog import MAX_RECORDS, RecordedRequest, RequestLog


def free_port() -> int:
    """Return a loopback port that was free a moment ago."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


async def test_context_manager_and_free_port() -> None:
    """Port 0 is replaced by the real port; stop is idempotent."""
    server = SimulatorServer()
    assert server.snapshot()["base_url"] is None
    with pytest.raises(RuntimeError, match="not been started"):
        _ = server.port
    with pytest.raises(RuntimeError, match="not been started"):
        await server.refuse_connections()
    with pytest.raises(RuntimeError, match="not been started"):
        await server.accept_connections()

    async with server as sim:
        assert sim is server
        assert sim.started
        assert sim.port > 0
        assert sim.host == "127.0.0.1"
        assert sim.base_url == f"http://127.0.0.1:{sim.port}"
        with pytest.raises(RuntimeError, match="already running"):
            await sim.start()
        async with ClientSession() as http, http.get(sim.url("/api/active/6001")) as r:
            assert r.status == 200
    assert not server.started
    assert not server.refusing
    await server.stop()


async def test_given_port_and_restart() -> None:
    """A given port is used; a stopped server restarts on the same port."""
    port = free_port()
    server = SimulatorServer(port=port, extensions=["100"], mode="timed")
    await server.start()
    assert server.port == port
    assert server.pbx.extensions == ["100"]
    assert server.pbx.mode is Mode.TIMED
    await server.stop()
    await server.start()
    assert server.port == port
    await server.stop()


async def test_port_in_use() -> None:
    """A taken port raises OSError and leaves nothing running."""
    async with SimulatorServer() as first:
        second = SimulatorServer(port=first.port)
        with pytest.raises(OSError):
            await second.start()
        assert not second.started


async def test_ipv6_base_url() -> None:
    """IPv6 hosts are bracketed in the base URL."""
    server = SimulatorServer(host="::1")
    try:
        await server.start()
    except OSError:
        pytest.skip("no IPv6 loopback here")
    try:
        assert server.base_url == f"http://[::1]:{server.port}"
    finally:
        await server.stop()


async def test_stop_with_calls_timers_and_traffic(
    pbx_simulator_factory: SimulatorFactory,
) -> None:
    """Stopping cancels call timers, traffic and pending webhooks."""
    sim = await pbx_simulator_factory(timings=CallTimings(ring_after=60), seed=9)
    sim.set_webhook("http://127.0.0.1:9/unreachable")
    sim.webhooks.faults.delay = 60
    call_id = await sim.pbx.start_call("6001", "6002", timed=True, wait_webhook=False)
    sim.start_traffic(60)
    await sim.stop()

    call = sim.pbx.get_call(call_id)
    assert call is not None
    assert call.timer is not None and call.timer.cancelled()
    assert call.dialing_delivery is not None and call.dialing_delivery.cancelled()
    assert sim.traffic is not None and not sim.traffic.running


def test_records_are_bounded() -> None:
    """The request log and the delivery list keep only the latest records."""
    log = RequestLog()
    for index in range(MAX_RECORDS + MAX_RECORDS // 10 + 1):
        log.record(
            RecordedRequest(
                method="GET",
                path=f"/api/active/{index}",
                received_at=datetime(2026, 1, 1, tzinfo=UTC),
                endpoint=None,
            )
        )
    assert len(log) == MAX_RECORDS
    assert log[-1].path == f"/api/active/{MAX_RECORDS + MAX_RECORDS // 10}"
