"""Webhook delivery: configuration, failures and injected misbehaviour."""

import socket
from typing import Any

from aiohttp import ClientError, ClientSession
import pytest

from bemmelhor_simulator import SimulatorServer, WebhookFaults, WebhookSender
from bemmelhor_simulator.webhooks import DROPPED

from .helpers import WebhookReceiver


def closed_port_url() -> str:
    """Return a loopback URL nothing listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/api/webhook/x"


async def test_click_to_call_sends_dialing_in_background(
    pbx_simulator: SimulatorServer,
    webhook_receiver: WebhookReceiver,
    http: ClientSession,
) -> None:
    """A click-to-call's dialing webhook arrives; ``join`` waits for it."""
    pbx_simulator.set_webhook(webhook_receiver.url, client_id="e57575aa")
    async with http.get(pbx_simulator.url("/api/call/6001/6002")) as response:
        call_id = (await response.json())["data"]["callId"]

    await pbx_simulator.webhooks.join()

    assert webhook_receiver.received == [
        {
            "event": "call.dialing",
            "clientId": "e57575aa",
            "data": webhook_receiver.received[0]["data"],
        }
    ]
    assert webhook_receiver.received[0]["data"]["callId"] == call_id


async def test_webhook_target_changes_at_run_time(
    pbx_simulator: SimulatorServer, webhook_receiver: WebhookReceiver
) -> None:
    """URL and client id can change between events; None stops sending."""
    pbx = pbx_simulator.pbx
    pbx_simulator.set_webhook(webhook_receiver.url, client_id="first")
    call_id = await pbx.start_call("6001", "6002")
    pbx_simulator.set_webhook(webhook_receiver.url, client_id="second")
    await pbx.hangup(call_id)
    pbx_simulator.set_webhook(None)
    await pbx.start_call("6001", "6002")

    assert [p["clientId"] for p in webhook_receiver.received] == ["first", "second"]
    assert pbx_simulator.webhooks.client_id == "second"


async def test_failures_are_recorded_not_raised(
    pbx_simulator: SimulatorServer, webhook_receiver: WebhookReceiver
) -> None:
    """Refused connections and error statuses are recorded; calls go on."""
    pbx = pbx_simulator.pbx
    pbx_simulator.set_webhook(closed_port_url())
    call_id = await pbx.start_call("6001", "6002")
    pbx_simulator.set_webhook("not a url")
    await pbx.advance(call_id)
    await pbx.hangup(call_id)
    webhook_receiver.status = 500
    pbx_simulator.set_webhook(webhook_receiver.url)
    await pbx.start_call("6003", "6001")

    deliveries = pbx_simulator.webhooks.deliveries
    assert [d.status for d in deliveries] == [None, None, 500]
    assert "ClientConnectorError" in (deliveries[0].error or "")
    assert deliveries[1].error is not None
    assert deliveries[2].error is None
    assert deliveries[0].as_dict()["status"] is None


async def test_duplicate_and_drop(
    pbx_simulator: SimulatorServer, webhook_receiver: WebhookReceiver
) -> None:
    """``duplicate`` POSTs extra copies; ``drop`` records without POSTing."""
    pbx = pbx_simulator.pbx
    pbx_simulator.set_webhook(webhook_receiver.url)
    pbx_simulator.webhooks.faults = WebhookFaults(duplicate=2)
    call_id = await pbx.start_call("6001", "6002")
    pbx_simulator.webhooks.faults = WebhookFaults(drop=True)
    await pbx.hangup(call_id)

    assert webhook_receiver.events() == ["call.dialing"] * 3
    assert [d.error for d in pbx_simulator.webhooks.deliveries] == [
        None,
        None,
        None,
        DROPPED,
    ]


async def test_delay_reorders_background_deliveries(
    pbx_simulator: SimulatorServer, webhook_receiver: WebhookReceiver
) -> None:
    """A delayed dialing webhook arrives after later ones; hangup waits for it."""
    sender = pbx_simulator.webhooks
    pbx_simulator.set_webhook(webhook_receiver.url)
    sender.faults.delay = 0.05
    first = sender.send_soon("call.dialing", {"callId": "a"})
    sender.faults.delay = 0
    await sender.send("call.dialing", {"callId": "b"})
    await first

    assert [p["data"]["callId"] for p in webhook_receiver.received] == ["b", "a"]

    sender.faults.delay = 0.01
    call_id = await pbx_simulator.pbx.start_call("6001", "6002", wait_webhook=False)
    await pbx_simulator.pbx.hangup(call_id)
    assert webhook_receiver.events()[-2:] == ["call.dialing", "call.hangup"]


async def test_wait_for_deliveries_and_close(webhook_receiver: WebhookReceiver) -> None:
    """``wait_for_deliveries`` waits; ``close`` cancels pending deliveries."""
    sender = WebhookSender(webhook_receiver.url, "abc", timeout=5)
    sender.send_soon("call.dialing", {"n": 1})
    await sender.wait_for_deliveries(1)
    assert sender.deliveries[0].status == 200

    sender.faults.delay = 60
    pending = sender.send_soon("call.hangup", {"n": 2})
    await sender.close()
    assert pending.cancelled()
    assert len(sender.deliveries) == 1
    await sender.close()  # idempotent

    with pytest.raises(TimeoutError):
        await sender.wait_for_deliveries(2, timeout=0.01)


def test_faults_and_delivery_as_dict() -> None:
    """Webhook faults serialise to JSON objects."""
    assert WebhookFaults(delay=1.5, duplicate=1).as_dict() == {
        "delay": 1.5,
        "duplicate": 1,
        "drop": False,
    }


async def test_custom_poster(pbx_simulator: SimulatorServer) -> None:
    """A custom poster replaces the HTTP POST; client errors are recorded."""
    posted: list[tuple[str, dict[str, Any]]] = []

    async def poster(url: str, payload: dict[str, Any]) -> int:
        posted.append((url, payload))
        if payload["event"] == "call.hangup":
            raise ClientError("receiver gone")
        return 204

    pbx_simulator.webhooks.poster = poster
    pbx_simulator.set_webhook("/api/webhook/abc")
    call_id = await pbx_simulator.pbx.start_call("6001", "6002")
    await pbx_simulator.pbx.hangup(call_id)

    assert [(url, p["event"]) for url, p in posted] == [
        ("/api/webhook/abc", "call.dialing"),
        ("/api/webhook/abc", "call.hangup"),
    ]
    assert [(d.status, d.error) for d in pbx_simulator.webhooks.deliveries] == [
        (204, None),
        (None, "ClientError('receiver gone')"),
    ]
