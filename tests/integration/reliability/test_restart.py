"""Home Assistant restarting in the middle of calls."""

import logging

from freezegun.api import FrozenDateTimeFactory
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from bemmelhor_simulator.server import SimulatorServer
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from tests.integration.helpers import async_poll, get_state


async def _restart(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    """Stop the entry (entities store their state) and start it again."""
    assert await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert entry.state is ConfigEntryState.LOADED


async def test_restart_mid_call_keeps_the_story(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    wired_simulator: SimulatorServer,
) -> None:
    """A restart while 6002 talks.

    The poll settles the call, its hangup resolves, and 6001's last call and
    typed destination are back.
    """
    await hass.services.async_call(
        "text",
        "set_value",
        {"entity_id": "text.extension_6001_destination", "value": "(32) 99999-9999"},
        blocking=True,
    )
    earlier = await wired_simulator.pbx.start_call("6001", "6003")
    await wired_simulator.pbx.hangup(earlier, "BUSY")
    call_id = await wired_simulator.pbx.start_call("6002", "032888888888")
    await wired_simulator.pbx.advance(call_id)
    await wired_simulator.pbx.advance(call_id)
    await hass.async_block_till_done()
    last_call_before = get_state(hass, "sensor.extension_6001_last_call")

    await _restart(hass, init_integration)

    talking = get_state(hass, "sensor.extension_6002_call_state")
    assert talking.state == "talking"
    assert talking.attributes["call_id"] == call_id
    assert talking.attributes["to"] == "032888888888"
    last_call_after = get_state(hass, "sensor.extension_6001_last_call")
    assert last_call_after.state == last_call_before.state
    assert last_call_after.attributes == last_call_before.attributes
    assert get_state(hass, "sensor.extension_6001_last_call_outcome").state == "busy"
    assert get_state(hass, "text.extension_6001_destination").state == "(32) 99999-9999"

    await wired_simulator.pbx.hangup(call_id)
    await hass.async_block_till_done()
    assert get_state(hass, "sensor.extension_6002_call_state").state == "idle"
    last_call = get_state(hass, "sensor.extension_6002_last_call")
    assert last_call.attributes["to"] == "032888888888"
    assert last_call.attributes["disposition"] == "answered"
    assert last_call.attributes["duration"] is not None


async def test_call_that_ended_during_restart_is_settled_by_the_poll(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    wired_simulator: SimulatorServer,
    caplog: pytest.LogCaptureFixture,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A call whose hangup came while Home Assistant was down ends at the poll."""
    call_id = await wired_simulator.pbx.start_call("6001", "032777777777")
    await hass.async_block_till_done()
    assert await hass.config_entries.async_unload(init_integration.entry_id)
    wired_simulator.set_webhook(None)
    await wired_simulator.pbx.hangup(call_id, "NO ANSWER")

    assert await hass.config_entries.async_setup(init_integration.entry_id)
    await hass.async_block_till_done(wait_background_tasks=True)
    assert get_state(hass, "sensor.extension_6001_call_state").state == "dialing"

    await async_poll(hass, freezer)
    assert get_state(hass, "sensor.extension_6001_call_state").state == "idle"
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert [r.getMessage() for r in warnings if call_id in r.getMessage()] == [
        f"No hangup arrived for call {call_id} and the PBX no longer shows it;"
        " marking it as ended"
    ]
