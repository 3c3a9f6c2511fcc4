"""Variants: the simulator answers other readings of the provider's page on demand."""

import json
from typing import Any
from urllib.parse import parse_qs

from aiohttp import ClientSession
import pytest

from bemmelhor_simulator import SimulatorServer

from .helpers import WebhookReceiver

NUMBER = "032999999999"


async def control(
    http: ClientSession,
    sim: SimulatorServer,
    method: str,
    body: Any = None,
    status: int = 200,
) -> Any:
    """Call ``/_sim/variants``; check the status; return the JSON answer."""
    async with http.request(method, sim.url("/_sim/variants"), json=body) as response:
        assert response.status == status, await response.text()
        return await response.json()


async def active(
    http: ClientSession, sim: SimulatorServer, extension: str = "6001"
) -> tuple[int, dict[str, Any]]:
    """GET ``/api/active/{extension}``: its status and JSON body."""
    async with http.get(sim.url(f"/api/active/{extension}")) as response:
        return response.status, await response.json()


async def call_webhooks(
    sim: SimulatorServer, receiver: WebhookReceiver, to: str = NUMBER
) -> list[dict[str, Any]]:
    """Make 6001 call ``to`` and hang up; return the data of both webhooks."""
    sim.set_webhook(receiver.url)
    call_id = await sim.pbx.start_call("6001", to)
    await sim.pbx.hangup(call_id, "ANSWERED")
    return [payload["data"] for payload in await receiver.wait_for(2)]


async def test_every_switch_starts_at_the_page(
    pbx_simulator: SimulatorServer, http: ClientSession
) -> None:
    """GET shows the switches (the page's values) and the values each takes."""
    answer = await control(http, pbx_simulator, "GET")

    assert answer["variants"] == {
        "created": "milliseconds",
        "hangup_to": "h",
        "idle": "null",
        "api_status": "page",
        "caller_id": "full",
        "numbers": "plain",
        "body": "json",
        "disposition": None,
        "channel_state": None,
    }
    assert answer["choices"]["idle"] == ["null", "empty_object", "not_found"]


async def test_switch_and_reset(
    pbx_simulator: SimulatorServer, http: ClientSession
) -> None:
    """POST switches some variants; DELETE sets every one back; state shows them."""
    switched = await control(
        http, pbx_simulator, "POST", {"created": "iso", "disposition": "CANCEL"}
    )
    state = pbx_simulator.snapshot()["variants"]
    reset = await control(http, pbx_simulator, "DELETE")

    assert switched["created"] == "iso"
    assert switched["disposition"] == "CANCEL"
    assert state == switched
    assert reset["created"] == "milliseconds"
    assert reset["disposition"] is None


@pytest.mark.parametrize(
    "body",
    [{"created": "weeks"}, {"unknown": "x"}, {"disposition": 3}, [1]],
    ids=["bad-value", "unknown-switch", "word-not-text", "not-an-object"],
)
async def test_bad_switch_is_refused(
    pbx_simulator: SimulatorServer, http: ClientSession, body: Any
) -> None:
    """An unknown switch or value is refused with 400, and nothing changes."""
    answer = await control(http, pbx_simulator, "POST", body, status=400)

    assert "error" in answer
    assert pbx_simulator.variants.created == "milliseconds"


@pytest.mark.parametrize(
    ("switch", "value", "dialing", "hangup"),
    [
        ("created", "seconds", {"created": 1795780800}, {}),
        (
            "created",
            "iso",
            {"created": "2026-11-27T12:00:00.000+0000"},
            {"created": "2026-11-27T12:00:00.000+0000"},
        ),
        ("numbers", "plus55", {"to": "+55 32 999999999"}, {"to": "h"}),
        ("numbers", "spaces", {"to": "032 99999 9999"}, {}),
        ("numbers", "sip", {"from": "SIP/6001", "to": f"SIP/{NUMBER}"}, {}),
        ("hangup_to", "empty", {"to": NUMBER}, {"to": ""}),
        ("hangup_to", "number", {}, {"to": NUMBER}),
        ("disposition", "CANCEL", {}, {"disposition": "CANCEL"}),
    ],
)
@pytest.mark.freeze_time("2026-11-27 12:00:00+00:00")
async def test_webhook_data_variants(
    pbx_simulator: SimulatorServer,
    webhook_receiver: WebhookReceiver,
    switch: str,
    value: str,
    dialing: dict[str, Any],
    hangup: dict[str, Any],
) -> None:
    """Dates, numbers, a hangup's ``to`` and its disposition, the switched way."""
    pbx_simulator.variants.set({switch: value})

    sent = await call_webhooks(pbx_simulator, webhook_receiver)

    assert sent[0] | dialing == sent[0]
    assert sent[1] | hangup == sent[1]


async def test_hangup_without_to(
    pbx_simulator: SimulatorServer, webhook_receiver: WebhookReceiver
) -> None:
    """``hangup_to: missing`` leaves ``to`` out of the hangup only."""
    pbx_simulator.variants.set({"hangup_to": "missing"})

    dialing, hangup = await call_webhooks(pbx_simulator, webhook_receiver)

    assert dialing["to"] == NUMBER
    assert "to" not in hangup


def decoded(encoding: str, body: bytes) -> Any:
    """Return the envelope a webhook body carries in one of the encodings."""
    if encoding in ("json", "text_plain"):
        return json.loads(body)
    form = parse_qs(body.decode())
    if encoding == "form_json_field":
        return json.loads(form["payload"][0])
    return {
        "event": form["event"][0],
        "clientId": form["clientId"][0],
        "data": json.loads(form["data"][0]),
    }


@pytest.mark.parametrize(
    ("value", "content_type"),
    [
        ("json", "application/json"),
        ("text_plain", "text/plain; charset=utf-8"),
        ("form_json_field", "application/x-www-form-urlencoded"),
        ("form_fields", "application/x-www-form-urlencoded"),
    ],
)
async def test_webhook_body_variants(
    pbx_simulator: SimulatorServer,
    webhook_receiver: WebhookReceiver,
    value: str,
    content_type: str,
) -> None:
    """The same envelope, as JSON, as text, in one form field, or as form fields."""
    pbx_simulator.variants.set({"body": value})
    pbx_simulator.set_webhook(webhook_receiver.url)

    await pbx_simulator.pbx.start_call("6001", NUMBER)
    await webhook_receiver.wait_for(1)

    assert webhook_receiver.content_types[0] == content_type
    assert (
        decoded(value, webhook_receiver.bodies[0])
        == (pbx_simulator.webhooks.payloads()[0])
    )


@pytest.mark.parametrize(
    ("value", "status", "data"),
    [("null", 200, None), ("empty_object", 200, {}), ("not_found", 404, None)],
)
async def test_idle_variants(
    pbx_simulator: SimulatorServer,
    http: ClientSession,
    value: str,
    status: int,
    data: dict[str, Any] | None,
) -> None:
    """An idle extension as ``data: null``, ``data: {}`` or HTTP 404."""
    pbx_simulator.variants.set({"idle": value})

    answered_status, body = await active(http, pbx_simulator)

    assert answered_status == status
    assert body["data"] == data


@pytest.mark.parametrize(
    ("switch", "value", "expected"),
    [
        ("caller_id", "empty_name", {"callerId": {"name": "", "number": "6001"}}),
        ("channel_state", "Hold", {"state": "Hold"}),
        ("numbers", "sip", {"callerId": {"name": "6001", "number": "SIP/6001"}}),
    ],
)
async def test_active_channel_variants(
    pbx_simulator: SimulatorServer,
    http: ClientSession,
    switch: str,
    value: str,
    expected: dict[str, Any],
) -> None:
    """A channel's caller id and state, the switched way."""
    pbx_simulator.variants.set({switch: value})
    await pbx_simulator.pbx.start_call("6001", NUMBER)

    _, body = await active(http, pbx_simulator)

    assert body["data"] | expected == body["data"]


async def test_caller_id_missing(
    pbx_simulator: SimulatorServer, http: ClientSession
) -> None:
    """``caller_id: missing`` leaves ``callerId`` out of an active channel."""
    pbx_simulator.variants.set({"caller_id": "missing"})
    await pbx_simulator.pbx.start_call("6001", NUMBER)

    _, body = await active(http, pbx_simulator)

    assert "callerId" not in body["data"]


@pytest.mark.parametrize(
    ("value", "active_status", "call_status"),
    [
        ("page", "SUCCESS", "CONECTION_OK"),
        ("lower", "success", "conection_ok"),
        ("spelled", "Success", "CONNECTION_OK"),
    ],
)
async def test_api_status_variants(
    pbx_simulator: SimulatorServer,
    http: ClientSession,
    value: str,
    active_status: str,
    call_status: str,
) -> None:
    """Successful ``apiStatus`` words in the page's, lower and other spellings."""
    pbx_simulator.variants.set({"api_status": value})

    _, idle = await active(http, pbx_simulator)
    async with http.get(pbx_simulator.url(f"/api/call/6001/{NUMBER}")) as response:
        called = await response.json()

    assert idle["apiStatus"] == active_status
    assert called["apiStatus"] == call_status
