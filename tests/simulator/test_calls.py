"""The call model in manual mode, and the webhooks its transitions send."""

from datetime import UTC, datetime
import random

import pytest

from bemmelhor_simulator import (
    CallPhase,
    CallTimings,
    Disposition,
    InvalidTransitionError,
    Pbx,
    SimulatorServer,
    UnknownCallError,
)

from .helpers import WebhookReceiver


async def test_answered_call_walks_all_phases(
    pbx_simulator: SimulatorServer, webhook_receiver: WebhookReceiver
) -> None:
    """A call goes dialing -> ringing -> talking -> ended; webhooks at both ends."""
    pbx_simulator.set_webhook(webhook_receiver.url, client_id="client-1")
    pbx = pbx_simulator.pbx
    call_id = await pbx.start_call("6005", "9999")
    assert webhook_receiver.events() == ["call.dialing"]
    assert await pbx.advance(call_id) is CallPhase.RINGING
    assert await pbx.advance(call_id) is CallPhase.TALKING
    assert webhook_receiver.events() == ["call.dialing"]
    assert await pbx.advance(call_id) is CallPhase.ENDED

    dialing, hangup = webhook_receiver.received
    assert dialing == {
        "event": "call.dialing",
        "clientId": "client-1",
        "data": {
            "created": dialing["data"]["created"],
            "from": "6005",
            "to": "9999",
            "error": None,
            "callId": call_id,
            "serverMessage": "Chamando o destino",
            "disposition": None,
        },
    }
    assert hangup == {
        "event": "call.hangup",
        "clientId": "client-1",
        "data": {
            "created": hangup["data"]["created"],
            "from": "6005",
            "to": "h",
            "error": None,
            "callId": call_id,
            "serverMessage": "Ligação encerrada",
            "disposition": "ANSWERED",
        },
    }
    for payload in (dialing, hangup):
        created = payload["data"]["created"]
        assert isinstance(created, int)
        assert created > 10**12  # epoch milliseconds, not seconds
    assert dialing["data"]["created"] <= hangup["data"]["created"]
    assert webhook_receiver.content_types == ["application/json"] * 2

    deliveries = pbx_simulator.webhooks.deliveries
    assert [(d.event, d.status, d.error) for d in deliveries] == [
        ("call.dialing", 200, None),
        ("call.hangup", 200, None),
    ]
    assert deliveries[1].data["callId"] == call_id
    assert deliveries[0].url == webhook_receiver.url
    assert pbx_simulator.webhooks.payloads("call.hangup") == [hangup]

    call = pbx.get_call(call_id)
    assert call is not None
    assert call.phase is CallPhase.ENDED
    assert call.disposition is Disposition.ANSWERED
    assert call.state is None
    assert pbx.calls == []
    assert pbx.history == [call]


@pytest.mark.parametrize(
    ("planned", "expected"),
    [
        (Disposition.NO_ANSWER, "NO ANSWER"),
        (Disposition.BUSY, "BUSY"),
        (Disposition.FAILED, "FAILED"),
        (Disposition.CONGESTION, "CONGESTION"),
    ],
)
async def test_unanswered_call_skips_talking(
    pbx_simulator: SimulatorServer,
    webhook_receiver: WebhookReceiver,
    planned: Disposition,
    expected: str,
) -> None:
    """A call planned not to be answered goes dialing -> ringing -> ended."""
    pbx_simulator.set_webhook(webhook_receiver.url)
    pbx = pbx_simulator.pbx
    call_id = await pbx.start_call("6001", "6002", disposition=planned)

    assert await pbx.advance(call_id) is CallPhase.RINGING
    assert await pbx.advance(call_id) is CallPhase.ENDED

    assert webhook_receiver.received[-1]["data"]["disposition"] == expected
    assert webhook_receiver.received[-1]["clientId"] == "bemmelhor-simulator"


async def test_hangup_default_dispositions(pbx_simulator: SimulatorServer) -> None:
    """Hanging up without a disposition picks one from the phase and the plan."""
    pbx = pbx_simulator.pbx
    talking = await pbx.start_call("6001", "6002")
    await pbx.set_phase(talking, "talking")
    ringing = await pbx.start_call("6003", "032999999999")
    await pbx.advance(ringing)
    busy = await pbx.start_call("6002", "6003", disposition="BUSY")

    await pbx.hangup(talking)
    await pbx.hangup(ringing)
    await pbx.hangup(busy)

    dispositions = [pbx.get_call(c).disposition for c in (talking, ringing, busy)]  # type: ignore[union-attr]
    assert dispositions == ["ANSWERED", "NO ANSWER", "BUSY"]


async def test_explicit_hangup_disposition_and_hangup_all(
    pbx_simulator: SimulatorServer,
) -> None:
    """``hangup`` takes any disposition; ``hangup_all`` ends every call."""
    pbx = pbx_simulator.pbx
    first = await pbx.start_call("6001", "6002")
    second = await pbx.start_call("6003", "0800")
    await pbx.set_phase(first, CallPhase.ENDED, "CONGESTION")
    await pbx.hangup_all("FAILED")

    assert pbx.calls == []
    assert pbx.get_call(first).disposition is Disposition.CONGESTION  # type: ignore[union-attr]
    assert pbx.get_call(second).disposition is Disposition.FAILED  # type: ignore[union-attr]


async def test_invalid_operations(pbx_simulator: SimulatorServer) -> None:
    """Unknown calls, backward moves and ended calls are rejected."""
    pbx = pbx_simulator.pbx
    with pytest.raises(UnknownCallError):
        await pbx.advance("0000000000000000")
    with pytest.raises(ValueError, match="a from and a to"):
        await pbx.start_call("", "6002")
    with pytest.raises(ValueError):
        await pbx.start_call("6001", "6002", disposition="HUNG")

    call_id = await pbx.start_call("6001", "6002")
    await pbx.set_phase(call_id, "talking")
    with pytest.raises(InvalidTransitionError):
        await pbx.set_phase(call_id, "ringing")
    with pytest.raises(InvalidTransitionError):
        await pbx.set_phase(call_id, "talking")
    await pbx.hangup(call_id)
    with pytest.raises(UnknownCallError):
        await pbx.hangup(call_id)
    assert pbx.get_call("nope") is None


async def test_no_webhook_without_url(pbx_simulator: SimulatorServer) -> None:
    """Without a webhook URL nothing is sent or recorded."""
    call_id = await pbx_simulator.pbx.start_call("6001", "6002")
    await pbx_simulator.pbx.hangup(call_id)

    assert pbx_simulator.webhooks.url is None
    assert pbx_simulator.webhooks.deliveries == []


async def test_newest_call_wins_and_unconfigured_parties() -> None:
    """An extension in two calls shows the newest; unconfigured ones show none."""
    pbx = Pbx(["6001", "6002"], rng=random.Random(1))
    first = await pbx.start_call("6001", "032999999999")
    second = await pbx.start_call("6002", "6001")
    outside = await pbx.start_call("5555", "6002")
    incoming = pbx.get_call(outside)
    assert incoming is not None
    assert incoming.caller.name.startswith("SIP/domain-")
    assert incoming.callee.name.startswith("SIP/6002-")

    found = pbx.active_channel("6001")
    assert found is not None
    assert found[0].call_id == second
    assert found[1] is found[0].callee
    assert pbx.active_channel("5555") is None
    found = pbx.active_channel("6002")
    assert found is not None
    assert found[0].call_id == outside
    assert [c.call_id for c in pbx.calls] == [first, second, outside]
    await pbx.close()


async def test_history_is_bounded() -> None:
    """Only the newest ``history_size`` ended calls are remembered."""
    pbx = Pbx(history_size=2)
    call_ids = [await pbx.start_call("6001", "6002") for _ in range(3)]
    for call_id in call_ids:
        await pbx.hangup(call_id)

    assert [c.call_id for c in pbx.history] == call_ids[1:]
    assert pbx.get_call(call_ids[0]) is None
    await pbx.close()


async def test_ids_clock_and_channels() -> None:
    """Call ids come from the RNG; channels are numbered like Asterisk's."""
    moment = datetime(2021, 1, 6, 18, 20, 42, 206000, tzinfo=UTC)
    pbx = Pbx(rng=random.Random(7), clock=lambda: moment, trunk="acme")
    call_id = await pbx.start_call("6001", "032999999999")
    same_seed = Pbx(rng=random.Random(7))

    assert call_id == await same_seed.start_call("6001", "6002")
    call = pbx.get_call(call_id)
    assert call is not None
    assert call.caller.id == "1609957242.1"
    assert call.caller.name == "SIP/6001-00000001"
    assert call.callee.name == "SIP/acme-00000002"
    assert call.created == moment
    assert not call.timed
    await pbx.close()
    await same_seed.close()


async def test_duplicate_call_id_is_redrawn() -> None:
    """A random id already in use is drawn again."""

    class Repeating(random.Random):
        draws = iter([1, 1, 2])

        def getrandbits(self, k: int, /) -> int:
            return next(self.draws)

    pbx = Pbx(rng=Repeating())
    assert await pbx.start_call("6001", "6002") == "0000000000000001"
    assert await pbx.start_call("6001", "6002") == "0000000000000002"
    await pbx.close()


def test_timings_validation() -> None:
    """Timings reject negatives and unknown keys and round-trip as JSON."""
    with pytest.raises(ValueError):
        CallTimings(ring_after=-1)
    with pytest.raises(ValueError, match="unknown timing keys"):
        CallTimings.from_dict({"ring": 1})
    timings = CallTimings.from_dict({"talk_for": "2.5"})
    assert timings == CallTimings(talk_for=2.5)
    assert CallTimings.from_dict(timings.as_dict()) == timings
