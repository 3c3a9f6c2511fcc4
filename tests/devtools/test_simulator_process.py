"""The simulator as a child process, driven through its control API."""

from pathlib import Path

import aiohttp

from devtools.process import free_port, port_in_use
from devtools.simulator import SimulatorProcess


def test_a_free_port_is_free(socket_enabled: None) -> None:
    """free_port names a port nothing listens on."""
    port = free_port()

    assert 1024 <= port <= 65535
    assert not port_in_use("127.0.0.1", port)


async def test_faults_and_the_request_log(socket_enabled: None, tmp_path: Path) -> None:
    """Faults go in and out; the request log shows API requests and is cleared."""
    simulator = SimulatorProcess(
        log_path=tmp_path / "sim.log",
        extensions=["6001"],
        client_id="c",
        port=free_port(),
    )
    await simulator.start()
    try:
        async with aiohttp.ClientSession() as session:
            await simulator.wait_ready(session, 30.0)
            faults = await simulator.set_fault(
                session, "http_error", "active", status=503
            )
            async with session.get(f"{simulator.base_url}/api/active/6001") as response:
                status = response.status
            requests = await simulator.requests(session)
            await simulator.clear_requests(session)
            await simulator.clear_faults(session, "active")
            cleared = await simulator.requests(session)
            state = await simulator.state(session)
    finally:
        await simulator.stop(5.0)

    assert faults["active"]["status"] == 503
    assert status == 503
    assert [(request["path"], request["endpoint"]) for request in requests] == [
        ("/api/active/6001", "active")
    ]
    assert cleared == []
    assert state["faults"] == {}
