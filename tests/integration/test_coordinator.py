"""The coordinator: one poll of every extension, availability, the stale-call watchdog."""

import logging

from freezegun.api import FrozenDateTimeFactory
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from bemmelhor_simulator import CallPhase, SimulatorServer, WebhookFaults
from homeassistant.components.homeassistant import (
    DOMAIN as HOMEASSISTANT_DOMAIN,
    SERVICE_UPDATE_ENTITY,
)
from homeassistant.const import ATTR_ENTITY_ID, STATE_OFF, STATE_ON, STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.setup import async_setup_component

from .helpers import EXTENSIONS, NOW, NUMBER, async_poll, get_state

CALL_STATE = "sensor.extension_6001_call_state"
CONNECTIVITY = "binary_sensor.bem_melhor_pbx_api_connectivity"

POLLED_ENTITIES = [
    "sensor.extension_6001_call_state",
    "binary_sensor.extension_6001_on_call",
    "button.extension_6001_dial",
]
"""Entities whose value comes from the polled API."""

INDEPENDENT_ENTITIES = [
    "sensor.extension_6001_last_call",
    "sensor.extension_6001_last_call_outcome",
    "text.extension_6001_destination",
    "event.extension_6001_call",
    "sensor.bem_melhor_pbx_last_webhook",
    CONNECTIVITY,
]
"""Entities that stay available while the API cannot be reached."""
EVERY_EXTENSION_POLLED = [f"/api/active/{extension}" for extension in EXTENSIONS]

# The hub's last_webhook sensor is disabled by default; these tests read it.
pytestmark = [
    pytest.mark.freeze_time(NOW),
    pytest.mark.usefixtures("entity_registry_enabled_by_default"),
]


@pytest.fixture
async def pbx_down(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    pbx_simulator: SimulatorServer,
    freezer: FrozenDateTimeFactory,
) -> SimulatorServer:
    """Return the simulator after a poll that found its port closed."""
    await pbx_simulator.refuse_connections()
    await async_poll(hass, freezer)
    return pbx_simulator


async def async_lose_the_hangup(simulator: SimulatorServer) -> str:
    """Start a call of 6001 and end it, its hangup webhook lost; return its id."""
    call_id = await simulator.pbx.start_call("6001", NUMBER)
    simulator.webhooks.faults = WebhookFaults(drop=True)
    await simulator.pbx.hangup(call_id)
    return call_id


async def async_update_entity(hass: HomeAssistant, entity_id: str) -> None:
    """Ask for an update of an entity, as ``homeassistant.update_entity`` does."""
    assert await async_setup_component(hass, HOMEASSISTANT_DOMAIN, {})
    await hass.services.async_call(
        HOMEASSISTANT_DOMAIN,
        SERVICE_UPDATE_ENTITY,
        {ATTR_ENTITY_ID: entity_id},
        blocking=True,
    )
    await hass.async_block_till_done(wait_background_tasks=True)


async def test_setup_polls_every_extension(
    init_integration: MockConfigEntry, pbx_simulator: SimulatorServer
) -> None:
    """Set-up asks once for the active call of every configured extension."""
    assert sorted(pbx_simulator.requests.paths()) == EVERY_EXTENSION_POLLED


@pytest.mark.parametrize(
    ("seconds", "polled"),
    [
        pytest.param(31, EVERY_EXTENSION_POLLED, id="after-30-seconds"),
        pytest.param(25, [], id="not-before-30-seconds"),
    ],
)
async def test_poll_every_30_seconds(
    hass: HomeAssistant,
    pbx: SimulatorServer,
    freezer: FrozenDateTimeFactory,
    seconds: int,
    polled: list[str],
) -> None:
    """Every 30 s, not sooner, a refresh polls every extension once, and nothing else."""
    await async_poll(hass, freezer, seconds)

    assert sorted(pbx.requests.paths()) == polled


@pytest.mark.parametrize(
    "entity_id",
    [
        "sensor.extension_6001_call_state",
        "binary_sensor.extension_6002_on_call",
        "sensor.extension_6003_last_call",
        "binary_sensor.bem_melhor_pbx_api_connectivity",
    ],
)
async def test_update_entity_refreshes_at_once(
    hass: HomeAssistant, pbx: SimulatorServer, entity_id: str
) -> None:
    """``homeassistant.update_entity`` polls every extension without waiting."""
    await async_update_entity(hass, entity_id)

    assert sorted(pbx.requests.paths()) == EVERY_EXTENSION_POLLED


@pytest.mark.usefixtures("init_integration")
async def test_update_entity_shows_a_new_call(
    hass: HomeAssistant, pbx_simulator: SimulatorServer
) -> None:
    """A call the PBX started shows as soon as an update is asked for."""
    call_id = await pbx_simulator.pbx.start_call("6001", NUMBER)
    await pbx_simulator.pbx.set_phase(call_id, CallPhase.TALKING)

    await async_update_entity(hass, CALL_STATE)

    assert get_state(hass, CALL_STATE).state == "talking"


@pytest.mark.parametrize("entity_id", POLLED_ENTITIES)
@pytest.mark.usefixtures("pbx_down")
async def test_polled_entities_unavailable_when_pbx_down(
    hass: HomeAssistant, entity_id: str
) -> None:
    """What the poll tells becomes unavailable when the PBX cannot be reached."""
    assert get_state(hass, entity_id).state == STATE_UNAVAILABLE


@pytest.mark.parametrize("entity_id", INDEPENDENT_ENTITIES)
@pytest.mark.usefixtures("entity_registry_enabled_by_default", "pbx_down")
async def test_other_entities_available_when_pbx_down(
    hass: HomeAssistant, entity_id: str
) -> None:
    """History, typed numbers, events and diagnostics stay available."""
    assert get_state(hass, entity_id).state != STATE_UNAVAILABLE


@pytest.mark.usefixtures("pbx_down")
async def test_connectivity_off_when_pbx_down(hass: HomeAssistant) -> None:
    """The connectivity sensor tells that the API cannot be reached."""
    assert get_state(hass, CONNECTIVITY).state == STATE_OFF


@pytest.mark.parametrize("entity_id", [*POLLED_ENTITIES, *INDEPENDENT_ENTITIES])
async def test_available_again_when_pbx_back(
    hass: HomeAssistant,
    pbx_down: SimulatorServer,
    freezer: FrozenDateTimeFactory,
    entity_id: str,
) -> None:
    """The first successful poll brings every entity back."""
    await pbx_down.accept_connections()

    await async_poll(hass, freezer)

    assert get_state(hass, entity_id).state != STATE_UNAVAILABLE


async def test_connectivity_on_when_pbx_back(
    hass: HomeAssistant, pbx_down: SimulatorServer, freezer: FrozenDateTimeFactory
) -> None:
    """The connectivity sensor turns on again with the PBX."""
    await pbx_down.accept_connections()

    await async_poll(hass, freezer)

    assert get_state(hass, CONNECTIVITY).state == STATE_ON


async def test_call_state_after_outage(
    hass: HomeAssistant, pbx_down: SimulatorServer, freezer: FrozenDateTimeFactory
) -> None:
    """A call that started during the outage shows once the PBX is back."""
    await pbx_down.accept_connections()
    call_id = await pbx_down.pbx.start_call("6001", NUMBER)
    await pbx_down.pbx.set_phase(call_id, CallPhase.RINGING)

    await async_poll(hass, freezer)

    assert get_state(hass, CALL_STATE).state == "ringing"


@pytest.mark.usefixtures("init_integration")
async def test_watchdog_ends_a_call_whose_hangup_was_lost(
    hass: HomeAssistant,
    wired_simulator: SimulatorServer,
    freezer: FrozenDateTimeFactory,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A pushed call the PBX no longer shows is ended by the next poll, with a warning."""
    call_id = await async_lose_the_hangup(wired_simulator)
    await hass.async_block_till_done()
    assert get_state(hass, CALL_STATE).state == "dialing"

    with caplog.at_level(logging.WARNING):
        await async_poll(hass, freezer)

    assert get_state(hass, CALL_STATE).state == "idle"
    warnings = [
        record
        for record in caplog.records
        if record.levelno == logging.WARNING and call_id in record.getMessage()
    ]
    assert len(warnings) == 1
    assert NUMBER not in warnings[0].getMessage()


@pytest.mark.usefixtures("init_integration")
async def test_watchdog_waits_for_the_grace_period(
    hass: HomeAssistant, wired_simulator: SimulatorServer
) -> None:
    """A poll right after the dialing does not end a call the PBX does not show yet."""
    await async_lose_the_hangup(wired_simulator)

    await async_update_entity(hass, CALL_STATE)

    assert get_state(hass, CALL_STATE).state == "dialing"


@pytest.mark.usefixtures("init_integration")
async def test_watchdog_keeps_a_call_the_pbx_still_shows(
    hass: HomeAssistant,
    wired_simulator: SimulatorServer,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A long call that the poll still shows is not ended."""
    call_id = await wired_simulator.pbx.start_call("6001", NUMBER)
    await wired_simulator.pbx.set_phase(call_id, CallPhase.TALKING)

    await async_poll(hass, freezer)
    await async_poll(hass, freezer)

    state = get_state(hass, CALL_STATE)
    assert state.state == "talking"
    assert state.attributes["call_id"] == call_id
