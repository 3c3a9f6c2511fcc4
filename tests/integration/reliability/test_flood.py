"""A flood of concurrent calls through real webhooks, with duplicates."""

import asyncio
from typing import Any

import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
)

from bemmelhor_simulator.server import SimulatorServer
from custom_components.bemmelhor.const import (
    CONF_CLIENT_ID,
    CONF_EXTENSIONS,
    CONF_OUTSIDE_LINE_PREFIX,
    EVENT_CALL_DIALING,
    EVENT_CALL_HANGUP,
)
from homeassistant.core import HomeAssistant
from tests.integration.helpers import CLIENT_ID

FLOOD_EXTENSIONS = [str(6100 + index) for index in range(50)]
CALLS_PER_EXTENSION = 4
DISPOSITIONS = ["ANSWERED", "NO ANSWER", "BUSY", "FAILED"]


@pytest.fixture
def pbx_simulator_kwargs() -> dict[str, Any]:
    """Return a PBX with the 50 flooded extensions."""
    return {"extensions": FLOOD_EXTENSIONS, "client_id": CLIENT_ID, "seed": 7}


@pytest.fixture
def entry_options() -> dict[str, Any]:
    """Return an entry following all 50 extensions."""
    return {
        CONF_EXTENSIONS: FLOOD_EXTENSIONS,
        CONF_OUTSIDE_LINE_PREFIX: "0",
        CONF_CLIENT_ID: CLIENT_ID,
    }


async def test_flood_of_calls_ends_consistent(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    wired_simulator: SimulatorServer,
) -> None:
    """200 calls on 50 extensions, every webhook twice, interleaved.

    Every call ends idle, every hangup fires exactly one bus event, and the
    log has no open call left.
    """
    dialing = async_capture_events(hass, EVENT_CALL_DIALING)
    hangups = async_capture_events(hass, EVENT_CALL_HANGUP)
    wired_simulator.webhooks.faults.duplicate = 1
    pbx = wired_simulator.pbx

    call_ids = await asyncio.gather(
        *(
            pbx.start_call(extension, f"0329999{index:05d}")
            for round_ in range(CALLS_PER_EXTENSION)
            for index, extension in enumerate(FLOOD_EXTENSIONS, start=round_ * 100)
        )
    )
    await hass.async_block_till_done()
    assert len(init_integration.runtime_data.coordinator.log.open_calls) == len(
        call_ids
    )

    await asyncio.gather(
        *(
            pbx.hangup(call_id, DISPOSITIONS[index % len(DISPOSITIONS)])
            for index, call_id in enumerate(reversed(call_ids))
        )
    )
    await wired_simulator.webhooks.join()
    await hass.async_block_till_done()

    assert len(call_ids) == 200
    assert sorted(event.data["call_id"] for event in dialing) == sorted(call_ids)
    assert sorted(event.data["call_id"] for event in hangups) == sorted(call_ids)
    assert all(event.data["to"].startswith("0329999") for event in hangups)
    assert len(init_integration.runtime_data.coordinator.log.open_calls) == 0
    states = {
        hass.states.get(f"sensor.extension_{extension}_call_state").state  # type: ignore[union-attr]
        for extension in FLOOD_EXTENSIONS
    }
    assert states == {"idle"}
    deliveries = wired_simulator.webhooks.deliveries
    assert len(deliveries) == 2 * 2 * len(call_ids)
    assert {delivery.status for delivery in deliveries} == {200}
