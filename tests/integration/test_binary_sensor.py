"""Binary sensors: an extension on a call; the PBX API's connectivity."""

from freezegun.api import FrozenDateTimeFactory
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    snapshot_platform,
)
from syrupy.assertion import SnapshotAssertion

from bemmelhor_simulator import CallPhase, Endpoint, FaultKind, SimulatorServer
from homeassistant.const import STATE_OFF, STATE_ON, Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er

from .helpers import (
    NOW,
    NUMBER,
    BreakPbx,
    async_poll,
    async_start_call,
    fault,
    get_state,
    refuse_connections,
)

ON_CALL = "binary_sensor.extension_6001_on_call"
CONNECTIVITY = "binary_sensor.bem_melhor_pbx_api_connectivity"

pytestmark = pytest.mark.freeze_time(NOW)

BREAK_PBX = pytest.mark.parametrize(
    "break_pbx",
    [
        refuse_connections,
        fault(Endpoint.ACTIVE, FaultKind.HTTP_ERROR, status=503),
        fault(Endpoint.ACTIVE, FaultKind.HTTP_ERROR, status=500),
        fault(Endpoint.ACTIVE, FaultKind.HTML),
        fault(Endpoint.ACTIVE, FaultKind.BROKEN_JSON),
        fault(Endpoint.ACTIVE, FaultKind.API_ERROR),
    ],
    ids=["refused", "http_503", "http_500", "html", "broken_json", "api_error"],
)


@pytest.fixture
def platforms() -> list[Platform]:
    """Return the platforms to set up: only the binary sensor."""
    return [Platform.BINARY_SENSOR]


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

    assert get_state(hass, ON_CALL).state == STATE_ON


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

    assert get_state(hass, ON_CALL).state == STATE_ON


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

    assert get_state(hass, ON_CALL).state == STATE_OFF


@pytest.mark.usefixtures("init_integration")
async def test_other_extensions_stay_off(
    hass: HomeAssistant, wired_simulator: SimulatorServer
) -> None:
    """A call of one extension leaves the others off."""
    await wired_simulator.pbx.start_call("6001", NUMBER)
    await hass.async_block_till_done()

    assert get_state(hass, "binary_sensor.extension_6002_on_call").state == STATE_OFF


@pytest.mark.usefixtures("init_integration")
async def test_connectivity_on_after_setup(hass: HomeAssistant) -> None:
    """The API answered the first poll."""
    assert get_state(hass, CONNECTIVITY).state == STATE_ON


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

    assert get_state(hass, CONNECTIVITY).state == STATE_OFF


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

    assert get_state(hass, CONNECTIVITY).state == STATE_ON
