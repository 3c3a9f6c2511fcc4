"""Fault injection on the REST endpoints, and refused connections."""

import asyncio
import json
import re

from aiohttp import ClientConnectorError, ClientSession, ClientTimeout
import pytest

from bemmelhor_simulator import Endpoint, Fault, FaultKind, Faults, SimulatorServer
from bemmelhor_simulator.pytest_plugin import SimulatorFactory

ISO_RE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$")


async def fetch(http: ClientSession, url: str) -> tuple[int, str, str]:
    """GET a URL; return status, content type and text."""
    async with http.get(url) as response:
        return response.status, response.content_type, await response.text()


async def test_http_error_permanent_until_cleared(
    pbx_simulator: SimulatorServer, http: ClientSession
) -> None:
    """An HTTP error fault hits every request of its endpoint until cleared."""
    pbx_simulator.faults.set("active", kind="http_error", status=503, count=None)
    url = pbx_simulator.url("/api/active/6001")

    for _ in range(3):
        assert await fetch(http, url) == (503, "text/plain", "503 Service Unavailable")
    status, _, _ = await fetch(http, pbx_simulator.url("/api/status/abc"))
    assert status == 200

    pbx_simulator.faults.clear("active")
    status, content_type, _ = await fetch(http, url)
    assert (status, content_type) == (200, "application/json")
    assert len(pbx_simulator.requests) == 5  # faulty requests are logged too


async def test_http_error_custom_body(
    pbx_simulator: SimulatorServer, http: ClientSession
) -> None:
    """Status, body and content type are configurable; odd statuses work."""
    pbx_simulator.faults.set(
        "status",
        "http_error",
        status=404,
        body="<h1>nope</h1>",
        content_type="text/html",
    )
    assert await fetch(http, pbx_simulator.url("/api/status/x")) == (
        404,
        "text/html",
        "<h1>nope</h1>",
    )
    pbx_simulator.faults.set("status", "http_error", status=599)
    assert await fetch(http, pbx_simulator.url("/api/status/x")) == (
        599,
        "text/plain",
        "599 Error",
    )


async def test_count_limits_fault_and_all_applies_everywhere(
    pbx_simulator: SimulatorServer, http: ClientSession
) -> None:
    """A counted fault expires; ``all`` covers every endpoint; specific wins."""
    faults = pbx_simulator.faults
    faults.set("all", "http_error", status=500, count=2)
    faults.set("call", "http_error", status=502)

    assert (await fetch(http, pbx_simulator.url("/api/call/6001/6002")))[0] == 502
    assert (await fetch(http, pbx_simulator.url("/api/active/6001")))[0] == 500
    assert faults.get(Endpoint.ALL) is not None
    assert faults.get(Endpoint.ALL).remaining == 1  # type: ignore[union-attr]
    assert (await fetch(http, pbx_simulator.url("/api/status/x")))[0] == 500
    assert faults.get("all") is None
    assert (await fetch(http, pbx_simulator.url("/api/active/6001")))[0] == 200
    assert (await fetch(http, pbx_simulator.url("/api/call/6001/6002")))[0] == 502
    assert (await fetch(http, pbx_simulator.url("/nowhere")))[0] == 404
    assert pbx_simulator.pbx.calls == []  # faulty click-to-calls start nothing

    faults.clear()
    assert not faults


async def test_html_page(pbx_simulator: SimulatorServer, http: ClientSession) -> None:
    """An HTML page with status 200 (captive portal)."""
    pbx_simulator.faults.set("active", FaultKind.HTML, count=1)
    status, content_type, text = await fetch(
        http, pbx_simulator.url("/api/active/6001")
    )
    assert (status, content_type) == (200, "text/html")
    assert text.startswith("<!DOCTYPE html>")


async def test_broken_json(pbx_simulator: SimulatorServer, http: ClientSession) -> None:
    """Truncated JSON with status 200 and a JSON content type."""
    pbx_simulator.faults.set("call", "broken_json")
    status, content_type, text = await fetch(
        http, pbx_simulator.url("/api/call/6001/6002")
    )
    assert (status, content_type) == (200, "application/json")
    with pytest.raises(json.JSONDecodeError):
        json.loads(text)

    pbx_simulator.faults.set("call", "broken_json", body="{")
    assert (await fetch(http, pbx_simulator.url("/api/call/6001/6002")))[2] == "{"


async def test_api_error(pbx_simulator: SimulatorServer, http: ClientSession) -> None:
    """Well-formed JSON whose apiStatus is an error."""
    pbx_simulator.faults.set("status", "api_error")
    status, _, text = await fetch(http, pbx_simulator.url("/api/status/abc"))
    body = json.loads(text)
    assert status == 200
    assert body == {
        "apiStatus": "ERROR",
        "created": body["created"],
        "data": None,
        "message": "Ramal inválido",
    }
    assert ISO_RE.match(body["created"])

    pbx_simulator.faults.set("status", "api_error", api_status="FAIL", message="x")
    body = json.loads((await fetch(http, pbx_simulator.url("/api/status/abc")))[2])
    assert (body["apiStatus"], body["message"]) == ("FAIL", "x")


async def test_latency_times_out_client(
    pbx_simulator: SimulatorServer, http: ClientSession
) -> None:
    """A long latency makes a client with a short timeout give up."""
    pbx_simulator.faults.set("active", "latency", delay=30, count=1)
    with pytest.raises(TimeoutError):
        async with http.get(
            pbx_simulator.url("/api/active/6001"), timeout=ClientTimeout(total=0.05)
        ):
            pass
    assert (await fetch(http, pbx_simulator.url("/api/active/6001")))[0] == 200


async def test_short_latency_then_normal_answer(
    pbx_simulator: SimulatorServer, http: ClientSession
) -> None:
    """Latency delays the real answer; other kinds can carry a delay too."""
    pbx_simulator.faults.set("call", "latency", delay=0.01)
    status, _, text = await fetch(http, pbx_simulator.url("/api/call/6001/6002"))
    assert status == 200
    assert json.loads(text)["apiStatus"] == "CONECTION_OK"
    pbx_simulator.faults.set("call", "http_error", delay=0.01, status=503)
    assert (await fetch(http, pbx_simulator.url("/api/call/6001/6002")))[0] == 503


async def test_stop_during_latency(pbx_simulator_factory: SimulatorFactory) -> None:
    """Stopping the server while a request sleeps in a fault does not hang."""
    sim = await pbx_simulator_factory()
    sim.faults.set("all", "latency", delay=30)
    async with ClientSession() as http:
        request = asyncio.create_task(fetch(http, sim.url("/api/active/6001")))
        await sim.pbx.wait_for(lambda: len(sim.requests) == 1)
        await sim.stop()
        with pytest.raises(Exception):  # noqa: B017  # the connection is dropped
            await request


async def test_refuse_and_accept_connections(
    pbx_simulator: SimulatorServer, http: ClientSession
) -> None:
    """Refused connections fail with ECONNREFUSED; accepting restores the port."""
    url = pbx_simulator.url("/api/active/6001")
    port = pbx_simulator.port
    assert (await fetch(http, url))[0] == 200  # a keep-alive connection now exists

    await pbx_simulator.refuse_connections()
    await pbx_simulator.refuse_connections()  # idempotent
    assert pbx_simulator.snapshot()["refusing"] is True
    for _ in range(2):
        with pytest.raises(ClientConnectorError) as err:
            await fetch(http, url)
        assert isinstance(err.value.os_error, ConnectionRefusedError)

    await pbx_simulator.accept_connections()
    await pbx_simulator.accept_connections()  # idempotent
    assert not pbx_simulator.refusing
    assert pbx_simulator.port == port
    assert (await fetch(http, url))[0] == 200
    assert pbx_simulator.requests.paths() == ["/api/active/6001"] * 2


async def test_refuse_for_a_while(
    pbx_simulator: SimulatorServer, http: ClientSession
) -> None:
    """With a duration, connections come back by themselves."""
    await pbx_simulator.refuse_connections(0.01)
    with pytest.raises(ClientConnectorError):
        await fetch(http, pbx_simulator.url("/api/active/6001"))
    async with asyncio.timeout(5):
        while pbx_simulator.refusing:
            await asyncio.sleep(0.01)
    assert (await fetch(http, pbx_simulator.url("/api/active/6001")))[0] == 200

    await pbx_simulator.refuse_connections(60)
    await pbx_simulator.accept_connections()  # cancels the timer
    assert not pbx_simulator.refusing


def test_fault_validation() -> None:
    """Nonsense fault settings are rejected."""
    faults = Faults()
    with pytest.raises(ValueError):
        faults.set("call", "explode")
    with pytest.raises(ValueError):
        faults.set("nowhere", "html")
    with pytest.raises(ValueError):
        faults.set("call", "html", count=0)
    with pytest.raises(ValueError):
        faults.set("call", "latency", delay=-1)
    with pytest.raises(ValueError):
        faults.set("call", "http_error", status=42)
    assert not faults
    fault = faults.set("call", "html", count=3)
    assert faults.as_dict() == {"call": fault.as_dict()}
    assert fault.as_dict()["remaining"] == 3
    assert Fault(kind="latency").kind is FaultKind.LATENCY  # type: ignore[arg-type]
