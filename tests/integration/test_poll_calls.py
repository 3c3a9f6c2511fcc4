"""Calls the PBX shows only through ``/api/active``: no webhook ever comes.

The simulator's webhooks are not wired here, so every call is seen by the
poll alone: it starts when its channel appears, counts as answered once the
channel is seen ``UP``, and ends when the channel is gone.
"""

from freezegun.api import FrozenDateTimeFactory
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from bemmelhor_simulator import CallPhase
from bemmelhor_simulator.server import SimulatorServer
from homeassistant.core import Event, HomeAssistant

from .helpers import (
    NOW,
    NUMBER,
    async_logged_calls,
    async_poll,
    async_start_call,
    get_state,
)

pytestmark = pytest.mark.freeze_time(NOW)

CALL_STATE = "sensor.extension_6001_call_state"
LAST_CALL = "sensor.extension_6001_last_call"


@pytest.fixture
def pbx(
    init_integration: MockConfigEntry, pbx_simulator: SimulatorServer
) -> SimulatorServer:
    """Return the simulator of the loaded entry, sending no webhooks."""
    pbx_simulator.set_webhook(None)
    return pbx_simulator


async def test_inbound_call_seen_only_by_polls(
    hass: HomeAssistant,
    pbx: SimulatorServer,
    freezer: FrozenDateTimeFactory,
    dialing_events: list[Event],
    hangup_events: list[Event],
) -> None:
    """An answered inbound call: one dialing, one hangup, both ``source: poll``."""
    call_id = await async_start_call(pbx, CallPhase.RINGING, from_=NUMBER, to="6001")
    await async_poll(hass, freezer)
    assert get_state(hass, CALL_STATE).state == "ringing"
    await pbx.pbx.set_phase(call_id, CallPhase.TALKING)
    await async_poll(hass, freezer)
    assert get_state(hass, CALL_STATE).state == "talking"

    await pbx.pbx.hangup(call_id, "ANSWERED")
    await async_poll(hass, freezer)

    assert get_state(hass, CALL_STATE).state == "idle"
    assert [
        (event.data["source"], event.data["direction"], event.data["from"])
        for event in dialing_events
    ] == [("poll", "inbound", NUMBER)]
    (hangup,) = hangup_events
    assert hangup.data["source"] == "poll"
    assert hangup.data["direction"] == "inbound"
    assert hangup.data["from"] == NUMBER
    assert hangup.data["to"] == "6001"
    assert hangup.data["disposition"] == "answered"
    assert hangup.data["extension"] == "6001"
    last_call = get_state(hass, LAST_CALL)
    assert last_call.attributes["direction"] == "inbound"
    assert last_call.attributes["disposition"] == "answered"


async def test_unanswered_inbound_call_is_missed(
    hass: HomeAssistant,
    pbx: SimulatorServer,
    freezer: FrozenDateTimeFactory,
    hangup_events: list[Event],
) -> None:
    """An inbound call that ends while still ringing ended unanswered."""
    call_id = await async_start_call(pbx, CallPhase.RINGING, from_=NUMBER, to="6001")
    await async_poll(hass, freezer)

    await pbx.pbx.hangup(call_id, "NO ANSWER")
    await async_poll(hass, freezer)

    assert [event.data["disposition"] for event in hangup_events] == ["no_answer"]
    entry = hass.config_entries.async_entries("bemmelhor")[0]
    (finished,) = await async_logged_calls(entry)
    assert finished.missed_by("6001")


async def test_call_between_two_extensions_is_one_call(
    hass: HomeAssistant,
    pbx: SimulatorServer,
    freezer: FrozenDateTimeFactory,
    hangup_events: list[Event],
) -> None:
    """Both ends of a poll-only call between 6001 and 6002 make one internal call."""
    call_id = await async_start_call(pbx, CallPhase.RINGING, from_="6001", to="6002")
    await async_poll(hass, freezer)

    await pbx.pbx.hangup(call_id, "NO ANSWER")
    await async_poll(hass, freezer)

    (hangup,) = hangup_events
    assert (hangup.data["from"], hangup.data["to"]) == ("6001", "6002")
    assert hangup.data["direction"] == "internal"
    called = get_state(hass, "sensor.extension_6002_last_call")
    assert called.attributes["call_id"] == hangup.data["call_id"]
