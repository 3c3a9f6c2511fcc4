"""The ``/_sim/`` control endpoints."""

from typing import Any

from aiohttp import ClientConnectorError, ClientSession
import pytest

from bemmelhor_simulator import SimulatorServer

from .helpers import WebhookReceiver


class Control:
    """Small client of the control endpoints."""

    def __init__(self, http: ClientSession, sim: SimulatorServer) -> None:
        """Talk to ``sim`` through ``http``."""
        self.http = http
        self.sim = sim

    async def __call__(
        self, method: str, path: str, body: Any = None, status: int = 200
    ) -> Any:
        """Send a request, check the status, return the JSON answer."""
        async with self.http.request(
            method, self.sim.url(f"/_sim{path}"), json=body
        ) as response:
            assert response.status == status, await response.text()
            return await response.json()


@pytest.fixture
def control(http: ClientSession, pbx_simulator: SimulatorServer) -> Control:
    """Return a control client of the default simulator."""
    return Control(http, pbx_simulator)


async def test_state_and_config(
    control: Control, webhook_receiver: WebhookReceiver
) -> None:
    """``state`` shows the configuration ``config`` changes."""
    state = await control("GET", "/state")
    assert state["extensions"] == ["6001", "6002", "6003"]
    assert state["mode"] == "manual"
    assert state["webhook"]["url"] is None
    assert state["base_url"] == control.sim.base_url
    assert state["refusing"] is False
    assert state["traffic"]["running"] is False

    state = await control(
        "POST",
        "/config",
        {
            "webhook_url": webhook_receiver.url,
            "client_id": "abc",
            "extensions": ["7001", 7002],
            "mode": "timed",
            "timings": {"ring_after": 0.5},
            "disposition": "BUSY",
        },
    )
    assert state["webhook"]["url"] == webhook_receiver.url
    assert state["webhook"]["client_id"] == "abc"
    assert state["extensions"] == ["7001", "7002"]
    assert state["mode"] == "timed"
    assert state["timings"]["ring_after"] == 0.5
    assert state["disposition"] == "BUSY"

    state = await control("POST", "/config", {"client_id": "xyz"})
    assert state["webhook"] == state["webhook"] | {
        "url": webhook_receiver.url,
        "client_id": "xyz",
    }
    state = await control("POST", "/config", {"webhook_url": None})
    assert state["webhook"]["url"] is None
    assert control.sim.requests == []  # control requests are not logged


async def test_call_lifecycle(
    control: Control, webhook_receiver: WebhookReceiver
) -> None:
    """Start, inspect, advance and hang up a call."""
    await control("POST", "/config", {"webhook_url": webhook_receiver.url})
    created = await control(
        "POST", "/calls", {"from": "6001", "to": "032999999999"}, status=201
    )
    call_id = created["call_id"]
    assert created["call"]["phase"] == "dialing"
    assert webhook_receiver.events() == ["call.dialing"]  # delivered on return

    call = await control("POST", f"/calls/{call_id}/advance")
    assert (call["phase"], call["state"]) == ("ringing", "RINGING")
    call = await control("POST", f"/calls/{call_id}/advance", {"phase": "talking"})
    assert call["state"] == "UP"
    call = await control("GET", f"/calls/{call_id}")
    assert call["phase"] == "talking"
    state = await control("GET", "/state")
    assert [c["call_id"] for c in state["calls"]] == [call_id]

    call = await control("POST", f"/calls/{call_id}/hangup", {"disposition": "FAILED"})
    assert (call["phase"], call["disposition"]) == ("ended", "FAILED")
    assert [t[0] for t in call["transitions"]] == [
        "dialing",
        "ringing",
        "talking",
        "ended",
    ]
    assert webhook_receiver.events() == ["call.dialing", "call.hangup"]
    state = await control("GET", "/state")
    assert state["calls"] == []
    assert [c["call_id"] for c in state["history"]] == [call_id]

    webhooks = await control("GET", "/webhooks")
    assert [w["payload"]["event"] for w in webhooks] == ["call.dialing", "call.hangup"]
    assert webhooks[0]["status"] == 200
    assert await control("DELETE", "/webhooks") == []
    assert control.sim.webhooks.deliveries == []


async def test_timed_call_and_advance_to_end(control: Control) -> None:
    """Calls can be timed per request; advancing with a phase ends them too."""
    created = await control(
        "POST",
        "/calls",
        {
            "from": "6001",
            "to": "6002",
            "disposition": "NO ANSWER",
            "timings": {"ring_after": 60, "answer_after": 60, "talk_for": 60},
        },
        status=201,
    )
    assert created["call"]["timings"]["ring_after"] == 60
    call_id = created["call_id"]
    call = await control(
        "POST", f"/calls/{call_id}/advance", {"phase": "ended", "disposition": "BUSY"}
    )
    assert call["disposition"] == "BUSY"

    created = await control(
        "POST", "/calls", {"from": "6001", "to": "6002", "timed": True}, status=201
    )
    assert created["call"]["timings"] is not None
    await control("POST", f"/calls/{created['call_id']}/hangup")


async def test_errors(control: Control) -> None:
    """Bad input is 400, unknown calls 404, impossible moves 409."""
    await control("POST", "/calls", {"from": "6001"}, status=400)
    await control("POST", "/calls", [1, 2], status=400)
    await control(
        "POST", "/calls", {"from": "6001", "to": "6002", "disposition": "X"}, 400
    )
    await control("POST", "/config", {"mode": "sometimes"}, status=400)
    await control("POST", "/faults", {"kind": "explode"}, status=400)
    await control("POST", "/refuse", {"seconds": 0}, status=400)
    await control("POST", "/webhooks/faults", {"delay": -1}, status=400)
    await control("POST", "/webhooks/faults", {"colour": "red"}, status=400)
    await control("POST", "/webhooks/faults", {"delay": "soon"}, status=400)
    await control("POST", "/config", {"extensions": "6001"}, status=400)
    await control("GET", "/calls/0123456789abcdef", status=404)
    await control("POST", "/calls/0123456789abcdef/advance", status=404)
    await control("POST", "/calls/0123456789abcdef/hangup", status=404)
    created = await control(
        "POST", "/calls", {"from": "6001", "to": "6002"}, status=201
    )
    body = await control(
        "POST", f"/calls/{created['call_id']}/advance", {"phase": "dialing"}, status=409
    )
    assert "cannot go to dialing" in body["error"]
    async with control.http.post(
        control.sim.url("/_sim/calls"), data=b"{not json"
    ) as response:
        assert response.status == 400


async def test_faults_and_requests(control: Control, http: ClientSession) -> None:
    """Faults are set and cleared remotely; the request log is readable."""
    faults = await control(
        "POST", "/faults", {"endpoint": "active", "kind": "http_error", "status": 503}
    )
    assert faults["active"]["status"] == 503
    await control("POST", "/faults", {"kind": "html", "count": 1})
    assert set(await control("GET", "/faults")) == {"active", "all"}

    async with http.get(control.sim.url("/api/active/6001")) as response:
        assert response.status == 503
    requests = await control("GET", "/requests")
    assert [(r["method"], r["path"], r["endpoint"]) for r in requests] == [
        ("GET", "/api/active/6001", "active")
    ]
    assert await control("DELETE", "/requests") == []
    assert control.sim.requests == []

    assert set(await control("DELETE", "/faults?endpoint=active")) == {"all"}
    assert await control("DELETE", "/faults") == {}


async def test_webhook_faults(
    control: Control, webhook_receiver: WebhookReceiver
) -> None:
    """Webhook misbehaviour is set and cleared remotely."""
    await control("POST", "/config", {"webhook_url": webhook_receiver.url})
    faults = await control("POST", "/webhooks/faults", {"duplicate": 1})
    assert faults == {"delay": 0.0, "duplicate": 1, "drop": False}
    await control("POST", "/calls", {"from": "6001", "to": "6002"}, status=201)
    assert webhook_receiver.events() == ["call.dialing", "call.dialing"]
    assert await control("DELETE", "/webhooks/faults") == {
        "delay": 0.0,
        "duplicate": 0,
        "drop": False,
    }


async def test_refuse(control: Control, http: ClientSession) -> None:
    """``refuse`` answers, then refuses connections for a while."""
    assert await control("POST", "/refuse", {"seconds": 60}) == {
        "refusing": True,
        "seconds": 60,
    }
    assert control.sim.refusing
    with pytest.raises(ClientConnectorError):
        await control("GET", "/state")
    await control.sim.accept_connections()
    assert (await control("GET", "/state"))["refusing"] is False


async def test_traffic(control: Control) -> None:
    """Traffic starts and stops remotely."""
    traffic = await control(
        "POST",
        "/traffic",
        {"enabled": True, "interval": 0.001, "seed": 1, "time_scale": 0.001},
    )
    assert traffic["running"] is True
    assert traffic["interval"] == 0.001
    traffic = await control("POST", "/traffic", {"enabled": True, "interval": 0.002})
    assert traffic["interval"] == 0.002  # restarted with the new options
    sim = control.sim
    await sim.pbx.wait_for(lambda: bool(sim.traffic and sim.traffic.started_calls))
    traffic = await control("POST", "/traffic", {"enabled": False})
    assert traffic["running"] is False
    assert traffic["started_calls"] >= 1
    await control("POST", "/traffic", {}, status=400)
