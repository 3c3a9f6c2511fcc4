"""The REST endpoints answer with the real server's JSON shapes."""

import re
from typing import Any

from aiohttp import ClientSession

from bemmelhor_simulator import CallPhase, Endpoint, SimulatorServer

ISO_RE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$")
CALL_ID_RE = re.compile(r"^[0-9a-f]{16}$")


async def get_json(http: ClientSession, url: str) -> dict[str, Any]:
    """GET a URL and return its JSON body, checking the Express-like headers."""
    async with http.get(url) as response:
        assert response.status == 200
        assert response.headers["Content-Type"] == "application/json; charset=utf-8"
        body: dict[str, Any] = await response.json()
        return body


async def test_click_to_call_shape(
    pbx_simulator: SimulatorServer, http: ClientSession
) -> None:
    """``/api/call`` answers CONECTION_OK with the call's data and starts it."""
    body = await get_json(http, pbx_simulator.url("/api/call/6001/032999999999"))

    assert list(body) == ["apiStatus", "created", "data"]
    assert body["apiStatus"] == "CONECTION_OK"
    assert ISO_RE.match(body["created"])
    data = body["data"]
    assert list(data) == [
        "key",
        "status",
        "created",
        "from",
        "to",
        "error",
        "callId",
        "serverMessage",
    ]
    assert CALL_ID_RE.match(data["callId"])
    assert data["key"] == data["callId"]
    assert ISO_RE.match(data["created"])
    assert data | {"key": "", "callId": "", "created": ""} == {
        "key": "",
        "status": "IN_PROGRESS",
        "created": "",
        "from": "6001",
        "to": "032999999999",
        "error": None,
        "callId": "",
        "serverMessage": None,
    }
    call = pbx_simulator.pbx.get_call(data["callId"])
    assert call is not None
    assert call.phase is CallPhase.DIALING


async def test_click_to_call_unknown_extension(
    pbx_simulator: SimulatorServer, http: ClientSession
) -> None:
    """An extension the PBX does not have gets an ERROR answer, no call."""
    body = await get_json(http, pbx_simulator.url("/api/call/7777/6001"))

    assert body["apiStatus"] == "ERROR"
    assert body["data"] is None
    assert body["message"] == "Ramal inválido"
    assert pbx_simulator.pbx.calls == []


async def test_percent_encoded_segments(
    pbx_simulator: SimulatorServer, http: ClientSession
) -> None:
    """Path segments are decoded for the PBX and logged raw."""
    body = await get_json(http, pbx_simulator.url("/api/call/6001/0%2032%2F9?x=1"))

    assert body["data"]["to"] == "0 32/9"
    assert pbx_simulator.requests.paths() == ["/api/call/6001/0%2032%2F9?x=1"]


async def test_status_unknown_and_known(
    pbx_simulator: SimulatorServer, http: ClientSession
) -> None:
    """``/api/status`` gives null data for unknown ids, the call's for known ones."""
    unknown = await get_json(http, pbx_simulator.url("/api/status/6e1af400b3b7fef7"))
    assert unknown["apiStatus"] == "SUCCESS"
    assert ISO_RE.match(unknown["created"])
    assert unknown["data"] is None

    call_id = await pbx_simulator.pbx.start_call("6001", "6002", disposition="BUSY")
    active = await get_json(http, pbx_simulator.url(f"/api/status/{call_id}"))
    assert active["data"] == {
        "key": call_id,
        "status": "IN_PROGRESS",
        "created": active["data"]["created"],
        "from": "6001",
        "to": "6002",
        "error": None,
        "callId": call_id,
        "serverMessage": "Chamando o destino",
        "disposition": None,
    }

    await pbx_simulator.pbx.hangup(call_id)
    ended = await get_json(http, pbx_simulator.url(f"/api/status/{call_id}"))
    assert ended["data"]["status"] == "COMPLETED"
    assert ended["data"]["disposition"] == "BUSY"
    assert ended["data"]["serverMessage"] == "Ligação encerrada"


async def test_active_idle_and_unknown(
    pbx_simulator: SimulatorServer, http: ClientSession
) -> None:
    """An idle or unknown extension has SUCCESS with null data."""
    for extension in ("6001", "9999"):
        body = await get_json(http, pbx_simulator.url(f"/api/active/{extension}"))
        assert body["apiStatus"] == "SUCCESS"
        assert ISO_RE.match(body["created"])
        assert body["data"] is None


async def test_active_shape_per_phase(
    pbx_simulator: SimulatorServer, http: ClientSession
) -> None:
    """Both extensions of an internal call report it, with the phase's state."""
    pbx = pbx_simulator.pbx
    call_id = await pbx.start_call("6001", "6002")

    async def active(extension: str) -> dict[str, Any]:
        body = await get_json(http, pbx_simulator.url(f"/api/active/{extension}"))
        data: dict[str, Any] = body["data"]
        return data

    caller = await active("6001")
    assert list(caller) == [
        "id",
        "name",
        "channel",
        "callerId",
        "state",
        "account",
        "dateOfCreation",
        "linkedChannel",
    ]
    assert re.match(r"^\d+\.\d+$", caller["id"])
    assert re.match(r"^SIP/6001-[0-9a-f]{8}$", caller["name"])
    assert caller["channel"] is None
    assert caller["account"] is None
    assert caller["callerId"] == {"name": "6001", "number": "6001"}
    assert ISO_RE.match(caller["dateOfCreation"])
    assert caller["state"] == "DIALING"
    assert caller["linkedChannel"] is None
    callee = await active("6002")
    assert re.match(r"^SIP/6002-[0-9a-f]{8}$", callee["name"])
    assert callee["callerId"] == {"name": "6001", "number": "6001"}
    assert await active("6003") is None

    await pbx.advance(call_id)
    caller, callee = await active("6001"), await active("6002")
    assert caller["state"] == callee["state"] == "RINGING"
    assert caller["linkedChannel"] == callee["name"]
    assert callee["linkedChannel"] == caller["name"]

    await pbx.advance(call_id)
    assert (await active("6001"))["state"] == "UP"
    assert (await active("6002"))["state"] == "UP"

    await pbx.advance(call_id)
    assert await active("6001") is None
    assert await active("6002") is None


async def test_active_outside_call_links_trunk(
    pbx_simulator: SimulatorServer, http: ClientSession
) -> None:
    """A call to an outside number is linked to the trunk channel."""
    call_id = await pbx_simulator.pbx.start_call("6003", "032999999999")
    await pbx_simulator.pbx.set_phase(call_id, CallPhase.TALKING)

    body = await get_json(http, pbx_simulator.url("/api/active/6003"))

    assert body["data"]["state"] == "UP"
    assert re.match(r"^SIP/domain-[0-9a-f]{8}$", body["data"]["linkedChannel"])


async def test_unknown_path_is_express_404(
    pbx_simulator: SimulatorServer, http: ClientSession
) -> None:
    """Unknown paths and methods get Express's HTML 404, and are logged."""
    async with http.post(pbx_simulator.url("/api/call/6001/6002")) as response:
        assert response.status == 404
        assert response.content_type == "text/html"
        assert "Cannot POST /api/call/6001/6002" in await response.text()
    async with http.get(pbx_simulator.url("/api/active")) as response:
        assert response.status == 404

    assert [(r.method, r.endpoint) for r in pbx_simulator.requests] == [
        ("POST", None),
        ("GET", None),
    ]
    assert pbx_simulator.pbx.calls == []


async def test_request_log(pbx_simulator: SimulatorServer, http: ClientSession) -> None:
    """Every API request is logged in order; control requests are not."""
    assert pbx_simulator.requests == []
    await get_json(http, pbx_simulator.url("/api/active/6001"))
    await get_json(http, pbx_simulator.url("/api/status/abc"))
    async with http.get(pbx_simulator.url("/_sim/state")) as response:
        assert response.status == 200

    log = pbx_simulator.requests
    assert log.paths() == ["/api/active/6001", "/api/status/abc"]
    assert [r.endpoint for r in log] == [Endpoint.ACTIVE, Endpoint.STATUS]
    assert log.for_endpoint("status") == [log[1]]
    assert log[0].method == "GET"
    assert log[0].received_at <= log[1].received_at
    assert log[0].as_dict()["endpoint"] == "active"

    pbx_simulator.requests.clear()
    assert not pbx_simulator.requests
