"""Event entity: each extension's calls, as ``dialing`` and ``hangup`` events."""

from collections.abc import Generator
from datetime import timedelta
from typing import Any
from unittest.mock import patch

from freezegun.api import FrozenDateTimeFactory
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
    snapshot_platform,
)
from syrupy.assertion import SnapshotAssertion

from bemmelhor_simulator import CallPhase, SimulatorServer
from custom_components.bemmelhor.const import DOMAIN
from homeassistant.const import STATE_UNKNOWN, Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr, entity_registry as er

NOW = "2026-11-27 12:00:00+00:00"
NUMBER = "032999999999"
CALL_EVENT = "event.extension_6001_call"


@pytest.fixture(autouse=True)
def _event_platform_only() -> Generator[None]:
    """Set up only the event platform."""
    with patch("custom_components.bemmelhor.PLATFORMS", [Platform.EVENT]):
        yield


@pytest.fixture(autouse=True)
def _frozen_time(freezer: FrozenDateTimeFactory) -> None:
    """Freeze time before set-up, so dates in states do not vary."""
    freezer.move_to(NOW)


@pytest.fixture
def pbx_simulator_kwargs(pbx_simulator_kwargs: dict[str, Any]) -> dict[str, Any]:
    """Seed the simulator so that call ids do not vary."""
    return pbx_simulator_kwargs | {"seed": 1}


def extension_device_id(
    device_registry: dr.DeviceRegistry, entry: MockConfigEntry, extension: str
) -> str:
    """Return the device id of an extension."""
    device = device_registry.async_get_device_by_identifier(
        (DOMAIN, f"127.0.0.1_{extension}"), entry.entry_id
    )
    assert device is not None
    return device.id


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
    init_integration: MockConfigEntry,
    wired_simulator: SimulatorServer,
    device_registry: dr.DeviceRegistry,
) -> None:
    """The dialing webhook fires ``dialing`` with the bus event's data."""
    call_id = await wired_simulator.pbx.start_call("6001", NUMBER)
    await hass.async_block_till_done()

    state = hass.states.get(CALL_EVENT)
    assert state is not None
    assert state.state == "2026-11-27T12:00:00.000+00:00"
    assert dict(state.attributes) == {
        "event_types": ["dialing", "hangup"],
        "event_type": "dialing",
        "config_entry_id": init_integration.entry_id,
        "device_id": extension_device_id(device_registry, init_integration, "6001"),
        "extension": "6001",
        "call_id": call_id,
        "from": "6001",
        "to": NUMBER,
        "disposition": None,
        "server_message": "Chamando o destino",
        "error": None,
        "created": "2026-11-27T12:00:00+00:00",
        "friendly_name": "Extension 6001 Call",
    }


async def test_hangup_event(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    wired_simulator: SimulatorServer,
    freezer: FrozenDateTimeFactory,
    device_registry: dr.DeviceRegistry,
) -> None:
    """The hangup fires ``hangup`` with the destination resolved and a duration."""
    call_id = await wired_simulator.pbx.start_call("6001", NUMBER)
    await wired_simulator.pbx.set_phase(call_id, CallPhase.TALKING)
    freezer.tick(timedelta(seconds=42))

    await wired_simulator.pbx.hangup(call_id)
    await hass.async_block_till_done()

    state = hass.states.get(CALL_EVENT)
    assert state is not None
    assert state.state == "2026-11-27T12:00:42.000+00:00"
    assert dict(state.attributes) == {
        "event_types": ["dialing", "hangup"],
        "event_type": "hangup",
        "config_entry_id": init_integration.entry_id,
        "device_id": extension_device_id(device_registry, init_integration, "6001"),
        "extension": "6001",
        "call_id": call_id,
        "from": "6001",
        "to": NUMBER,
        "disposition": "answered",
        "server_message": "Ligação encerrada",
        "error": None,
        "created": "2026-11-27T12:00:42+00:00",
        "duration": 42,
        "friendly_name": "Extension 6001 Call",
    }


@pytest.mark.usefixtures("init_integration")
async def test_incoming_call_event(
    hass: HomeAssistant, wired_simulator: SimulatorServer
) -> None:
    """A call from outside to an extension fires on the called extension."""
    await wired_simulator.pbx.start_call(NUMBER, "6002")
    await hass.async_block_till_done()

    state = hass.states.get("event.extension_6002_call")
    assert state is not None
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

    state = hass.states.get("event.extension_6003_call")
    assert state is not None
    assert state.state == STATE_UNKNOWN


@pytest.mark.usefixtures("init_integration")
async def test_duplicate_webhook_fires_once(
    hass: HomeAssistant,
    wired_simulator: SimulatorServer,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A webhook delivered twice does not fire the event again."""
    call_id = await wired_simulator.pbx.start_call("6001", NUMBER)
    await hass.async_block_till_done()
    first = hass.states.get(CALL_EVENT)
    assert first is not None
    freezer.tick(timedelta(seconds=5))
    delivery = wired_simulator.webhooks.deliveries[-1]

    await wired_simulator.webhooks.send("call.dialing", delivery.data)
    await hass.async_block_till_done()

    state = hass.states.get(CALL_EVENT)
    assert state is not None
    assert state.state == first.state
    assert state.attributes["call_id"] == call_id


@pytest.mark.usefixtures("init_integration")
async def test_event_available_when_pbx_down(
    hass: HomeAssistant, pbx_simulator: SimulatorServer, freezer: FrozenDateTimeFactory
) -> None:
    """Events come by webhook: the entity stays available without the API."""
    await pbx_simulator.refuse_connections()

    freezer.tick(timedelta(seconds=31))
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)

    state = hass.states.get(CALL_EVENT)
    assert state is not None
    assert state.state == STATE_UNKNOWN


@pytest.mark.usefixtures("init_integration")
async def test_event_fires_when_pbx_down(
    hass: HomeAssistant,
    wired_simulator: SimulatorServer,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A webhook during an API outage still fires the event."""
    await wired_simulator.refuse_connections()
    freezer.tick(timedelta(seconds=31))
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)

    await wired_simulator.pbx.start_call("6001", NUMBER)
    await hass.async_block_till_done()

    state = hass.states.get(CALL_EVENT)
    assert state is not None
    assert state.attributes["event_type"] == "dialing"
