"""Binary sensors: an extension on a call; the PBX API's connectivity."""

from collections.abc import Awaitable, Callable, Generator
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

from bemmelhor_simulator import CallPhase, Endpoint, FaultKind, SimulatorServer
from bemmelhor_simulator.model import PHASE_ORDER
from homeassistant.const import STATE_OFF, STATE_ON, Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er

type BreakPbx = Callable[[SimulatorServer], Awaitable[None]]

NOW = "2026-11-27 12:00:00+00:00"
NUMBER = "032999999999"
ON_CALL = "binary_sensor.extension_6001_on_call"
CONNECTIVITY = "binary_sensor.bem_melhor_pbx_api_connectivity"


@pytest.fixture(autouse=True)
def _binary_sensor_platform_only() -> Generator[None]:
    """Set up only the binary sensor platform."""
    with patch("custom_components.bemmelhor.PLATFORMS", [Platform.BINARY_SENSOR]):
        yield


@pytest.fixture(autouse=True)
def _frozen_time(freezer: FrozenDateTimeFactory) -> None:
    """Freeze time before set-up, so dates in states do not vary."""
    freezer.move_to(NOW)


@pytest.fixture
def pbx_simulator_kwargs(pbx_simulator_kwargs: dict[str, Any]) -> dict[str, Any]:
    """Seed the simulator so that call ids do not vary."""
    return pbx_simulator_kwargs | {"seed": 1}


async def async_poll(hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> None:
    """Let the 30 s reconciliation poll run."""
    freezer.tick(timedelta(seconds=31))
    async_fire_time_changed(hass)
    await hass.async_block_till_done(wait_background_tasks=True)


async def async_start_call(simulator: SimulatorServer, phase: CallPhase) -> str:
    """Start a call from 6001 on the PBX and move it on to ``phase``."""
    call_id = await simulator.pbx.start_call("6001", NUMBER)
    for next_phase in PHASE_ORDER[1 : PHASE_ORDER.index(phase) + 1]:
        await simulator.pbx.set_phase(call_id, next_phase)
    return call_id


async def refuse_connections(simulator: SimulatorServer) -> None:
    """Close the PBX's port."""
    await simulator.refuse_connections()


def fault(kind: FaultKind, **kwargs: Any) -> BreakPbx:
    """Return a way of breaking ``/api/active`` with a fault."""

    async def apply(simulator: SimulatorServer) -> None:
        simulator.faults.set(Endpoint.ACTIVE, kind, **kwargs)

    return apply


BREAK_PBX = pytest.mark.parametrize(
    "break_pbx",
    [
        refuse_connections,
        fault(FaultKind.HTTP_ERROR, status=503),
        fault(FaultKind.HTTP_ERROR, status=500),
        fault(FaultKind.HTML),
        fault(FaultKind.BROKEN_JSON),
        fault(FaultKind.API_ERROR),
    ],
    ids=["refused", "http_503", "http_500", "html", "broken_json", "api_error"],
)


async def test_entities(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
) -> None:
    """Every binary sensor of the hub and of the extensions after set-up."""
    await snapshot_platform(hass, entity_registry, snapshot, init_integration.entry_id)


@pytest.mark.usefixtures("init_integration")
async def test_on_call_from_dialing_webhook(
    hass: HomeAssistant, wired_simulator: SimulatorServer
) -> None:
    """The dialing webhook turns on-call on at once."""
    await wired_simulator.pbx.start_call("6001", NUMBER)
    await hass.async_block_till_done()

    state = hass.states.get(ON_CALL)
    assert state is not None
    assert state.state == STATE_ON


@pytest.mark.parametrize(
    "phase", [CallPhase.DIALING, CallPhase.RINGING, CallPhase.TALKING]
)
@pytest.mark.usefixtures("init_integration")
async def test_on_call_from_the_poll(
    hass: HomeAssistant,
    pbx_simulator: SimulatorServer,
    freezer: FrozenDateTimeFactory,
    phase: CallPhase,
) -> None:
    """Without webhooks, the poll alone turns on-call on in every phase."""
    await async_start_call(pbx_simulator, phase)
    await async_poll(hass, freezer)

    state = hass.states.get(ON_CALL)
    assert state is not None
    assert state.state == STATE_ON


@pytest.mark.usefixtures("init_integration")
async def test_off_after_hangup_webhook(
    hass: HomeAssistant,
    wired_simulator: SimulatorServer,
    freezer: FrozenDateTimeFactory,
) -> None:
    """The hangup webhook turns on-call off at once, before any poll."""
    call_id = await async_start_call(wired_simulator, CallPhase.TALKING)
    await async_poll(hass, freezer)

    await wired_simulator.pbx.hangup(call_id)
    await hass.async_block_till_done()

    state = hass.states.get(ON_CALL)
    assert state is not None
    assert state.state == STATE_OFF


@pytest.mark.usefixtures("init_integration")
async def test_other_extensions_stay_off(
    hass: HomeAssistant, wired_simulator: SimulatorServer
) -> None:
    """A call of one extension leaves the others off."""
    await wired_simulator.pbx.start_call("6001", NUMBER)
    await hass.async_block_till_done()

    state = hass.states.get("binary_sensor.extension_6002_on_call")
    assert state is not None
    assert state.state == STATE_OFF


@pytest.mark.usefixtures("init_integration")
async def test_connectivity_on_after_setup(hass: HomeAssistant) -> None:
    """The API answered the first poll."""
    state = hass.states.get(CONNECTIVITY)
    assert state is not None
    assert state.state == STATE_ON


@BREAK_PBX
@pytest.mark.usefixtures("init_integration")
async def test_connectivity_off_when_the_poll_fails(
    hass: HomeAssistant,
    pbx_simulator: SimulatorServer,
    freezer: FrozenDateTimeFactory,
    break_pbx: BreakPbx,
) -> None:
    """Any failed poll turns connectivity off; the sensor itself stays available."""
    await break_pbx(pbx_simulator)

    await async_poll(hass, freezer)

    state = hass.states.get(CONNECTIVITY)
    assert state is not None
    assert state.state == STATE_OFF


@BREAK_PBX
@pytest.mark.usefixtures("init_integration")
async def test_connectivity_back_on(
    hass: HomeAssistant,
    pbx_simulator: SimulatorServer,
    freezer: FrozenDateTimeFactory,
    break_pbx: BreakPbx,
) -> None:
    """The first successful poll after a failure turns connectivity on again."""
    await break_pbx(pbx_simulator)
    await async_poll(hass, freezer)
    await pbx_simulator.accept_connections()
    pbx_simulator.faults.clear()

    await async_poll(hass, freezer)

    state = hass.states.get(CONNECTIVITY)
    assert state is not None
    assert state.state == STATE_ON
