"""Event entity: each extension's calls, as ``dialing`` and ``hangup`` events."""

from datetime import timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    snapshot_platform,
)
from syrupy.assertion import SnapshotAssertion

from bemmelhor_simulator import CallPhase, SimulatorServer
from homeassistant.const import STATE_UNKNOWN, Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er

from .helpers import NOW, NUMBER, async_poll, get_state

CALL_EVENT = "event.extension_6001_call"

pytestmark = pytest.mark.freeze_time(NOW)


@pytest.fixture
def platforms() -> list[Platform]:
    """Return the platforms to set up: only the event."""
    return [Platform.EVENT]


@pytest.fixture
def call_attributes(
    init_integration: MockConfigEntry, extension_device_id: str
) -> dict[str, Any]:
    """Return what every event of 6001's call to an outside number carries."""
    return {
        "event_types": ["dialing", "hangup"],
        "config_entry_id": init_integration.entry_id,
        "device_id": extension_device_id,
        "extension": "6001",
        "from": "6001",
        "to": NUMBER,
        "from_name": "Extension 6001",
        "to_name": None,
        "direction": "outbound",
        "source": "webhook",
        "error": None,
        "friendly_name": "Extension 6001 Call",
    }


async def test_entities(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
) -> None:
    """Every extension has a call event entity, with no event yet."""
    await snapshot_platform(hass, entity_registry, snapshot, init_integration.entry_id)


async def test_dialing_event(
    hass: HomeAssistant,
    wired_simulator: SimulatorServer,
    call_attributes: dict[str, Any],
) -> None:
    """The dialing webhook fires ``dialing`` with the bus event's data."""
    call_id = await wired_simulator.pbx.start_call("6001", NUMBER)
    await hass.async_block_till_done()

    state = get_state(hass, CALL_EVENT)
    assert state.state == "2026-11-27T12:00:00.000+00:00"
    assert dict(state.attributes) == call_attributes | {
        "event_type": "dialing",
        "call_id": call_id,
        "disposition": None,
        "server_message": "Chamando o destino",
        "created": "2026-11-27T12:00:00+00:00",
        "placed_by": None,
    }


async def test_hangup_event(
    hass: HomeAssistant,
    wired_simulator: SimulatorServer,
    freezer: FrozenDateTimeFactory,
    call_attributes: dict[str, Any],
) -> None:
    """The hangup fires ``hangup`` with the destination resolved and a duration."""
    call_id = await wired_simulator.pbx.start_call("6001", NUMBER)
    await wired_simulator.pbx.set_phase(call_id, CallPhase.TALKING)
    freezer.tick(timedelta(seconds=42))

    await wired_simulator.pbx.hangup(call_id)
    await hass.async_block_till_done()

    state = get_state(hass, CALL_EVENT)
    assert state.state == "2026-11-27T12:00:42.000+00:00"
    assert dict(state.attributes) == call_attributes | {
        "event_type": "hangup",
        "call_id": call_id,
        "disposition": "answered",
        "raw_disposition": "ANSWERED",
        "server_message": "Ligação encerrada",
        "created": "2026-11-27T12:00:42+00:00",
        "duration": 42,
    }


@pytest.mark.usefixtures("init_integration")
async def test_incoming_call_event(
    hass: HomeAssistant, wired_simulator: SimulatorServer
) -> None:
    """A call from outside to an extension fires on the called extension."""
    await wired_simulator.pbx.start_call(NUMBER, "6002")
    await hass.async_block_till_done()

    state = get_state(hass, "event.extension_6002_call")
    assert state.attributes["event_type"] == "dialing"
    assert state.attributes["extension"] == "6002"
    assert state.attributes["from"] == NUMBER


@pytest.mark.usefixtures("init_integration")
async def test_other_extensions_get_no_event(
    hass: HomeAssistant, wired_simulator: SimulatorServer
) -> None:
    """An outside call of one extension fires nothing on the others."""
    await wired_simulator.pbx.start_call("6001", NUMBER)
    await hass.async_block_till_done()

    assert get_state(hass, "event.extension_6003_call").state == STATE_UNKNOWN


@pytest.mark.usefixtures("init_integration")
async def test_duplicate_webhook_fires_once(
    hass: HomeAssistant,
    wired_simulator: SimulatorServer,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A webhook delivered twice does not fire the event again."""
    call_id = await wired_simulator.pbx.start_call("6001", NUMBER)
    await hass.async_block_till_done()
    first = get_state(hass, CALL_EVENT)
    freezer.tick(timedelta(seconds=5))
    delivery = wired_simulator.webhooks.deliveries[-1]

    await wired_simulator.webhooks.send("call.dialing", delivery.data)
    await hass.async_block_till_done()

    state = get_state(hass, CALL_EVENT)
    assert state.state == first.state
    assert state.attributes["call_id"] == call_id


@pytest.mark.usefixtures("init_integration")
async def test_event_available_when_pbx_down(
    hass: HomeAssistant, pbx_simulator: SimulatorServer, freezer: FrozenDateTimeFactory
) -> None:
    """Events come by webhook: the entity stays available without the API."""
    await pbx_simulator.refuse_connections()

    await async_poll(hass, freezer)

    assert get_state(hass, CALL_EVENT).state == STATE_UNKNOWN


@pytest.mark.usefixtures("init_integration")
async def test_event_fires_when_pbx_down(
    hass: HomeAssistant,
    wired_simulator: SimulatorServer,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A webhook during an API outage still fires the event."""
    await wired_simulator.refuse_connections()
    await async_poll(hass, freezer)

    await wired_simulator.pbx.start_call("6001", NUMBER)
    await hass.async_block_till_done()

    state = get_state(hass, CALL_EVENT)
    assert state.attributes["event_type"] == "dialing"
