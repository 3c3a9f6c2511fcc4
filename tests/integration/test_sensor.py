"""Sensors: call state, last call and its outcome per extension; the hub's last webhook."""

from datetime import timedelta
import json
from typing import Any

from freezegun.api import FrozenDateTimeFactory
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    mock_restore_cache,
    snapshot_platform,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator
from syrupy.assertion import SnapshotAssertion

from bemmelhor_simulator import CallPhase, Endpoint, FaultKind, SimulatorServer
from homeassistant.const import STATE_UNKNOWN, Platform
from homeassistant.core import HomeAssistant, State
from homeassistant.helpers import entity_registry as er

from .helpers import (
    NOW,
    NUMBER,
    async_poll,
    async_setup_entry,
    async_start_call,
    get_state,
)

CALL_STATE = "sensor.extension_6001_call_state"
LAST_CALL = "sensor.extension_6001_last_call"
LAST_DISPOSITION = "sensor.extension_6001_last_call_outcome"
LAST_WEBHOOK = "sensor.bem_melhor_pbx_last_webhook"

# The hub's last_webhook sensor is disabled by default; these tests read it.
pytestmark = [
    pytest.mark.freeze_time(NOW),
    pytest.mark.usefixtures("entity_registry_enabled_by_default"),
]


@pytest.fixture
def platforms() -> list[Platform]:
    """Return the platforms to set up: only the sensor."""
    return [Platform.SENSOR]


def serve_active_state(simulator: SimulatorServer, state: str) -> None:
    """Make ``/api/active`` report a call in ``state`` for every extension."""
    simulator.faults.set(
        Endpoint.ACTIVE,
        FaultKind.HTTP_ERROR,
        status=200,
        content_type="application/json",
        body=json.dumps(
            {
                "apiStatus": "SUCCESS",
                "created": "2026-11-27T12:00:00.000+0000",
                "data": {
                    "id": "1795780800.1",
                    "name": "SIP/6001-00000001",
                    "channel": None,
                    "callerId": {"name": "6001", "number": "6001"},
                    "state": state,
                    "account": None,
                    "dateOfCreation": "2026-11-27T12:00:00.000+0000",
                    "linkedChannel": None,
                },
            }
        ),
    )


async def test_entities(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
) -> None:
    """Every sensor of the hub and of the extensions, idle after set-up."""
    await snapshot_platform(hass, entity_registry, snapshot, init_integration.entry_id)


@pytest.mark.usefixtures("init_integration")
async def test_dialing_webhook(
    hass: HomeAssistant, wired_simulator: SimulatorServer
) -> None:
    """The dialing webhook shows the call at once, before any poll."""
    call_id = await wired_simulator.pbx.start_call("6001", NUMBER)
    await hass.async_block_till_done()

    state = get_state(hass, CALL_STATE)
    assert state.state == "dialing"
    assert state.attributes["call_id"] == call_id
    assert state.attributes["from"] == "6001"
    assert state.attributes["to"] == NUMBER
    assert state.attributes["started"] == "2026-11-27T12:00:00+00:00"


@pytest.mark.usefixtures("init_integration")
async def test_call_state_attributes_while_talking(
    hass: HomeAssistant,
    wired_simulator: SimulatorServer,
    freezer: FrozenDateTimeFactory,
    snapshot: SnapshotAssertion,
) -> None:
    """While talking, the call state carries the call and its channels."""
    await async_start_call(wired_simulator, CallPhase.TALKING)
    await async_poll(hass, freezer)

    assert hass.states.get(CALL_STATE) == snapshot


@pytest.mark.parametrize(
    ("phase", "call_state"),
    [
        (CallPhase.DIALING, "dialing"),
        (CallPhase.RINGING, "ringing"),
        (CallPhase.TALKING, "talking"),
    ],
)
@pytest.mark.usefixtures("init_integration")
async def test_call_state_from_the_poll(
    hass: HomeAssistant,
    pbx_simulator: SimulatorServer,
    freezer: FrozenDateTimeFactory,
    phase: CallPhase,
    call_state: str,
) -> None:
    """Without webhooks, the poll alone shows each phase of a call."""
    await async_start_call(pbx_simulator, phase)
    await async_poll(hass, freezer)

    state = get_state(hass, CALL_STATE)
    assert state.state == call_state
    assert state.attributes["from"] == "6001"


@pytest.mark.parametrize(
    ("phase", "call_state"),
    [(CallPhase.RINGING, "ringing"), (CallPhase.TALKING, "talking")],
)
@pytest.mark.usefixtures("init_integration")
async def test_call_state_after_dialing_webhook_and_poll(
    hass: HomeAssistant,
    wired_simulator: SimulatorServer,
    freezer: FrozenDateTimeFactory,
    phase: CallPhase,
    call_state: str,
) -> None:
    """Ringing and talking come from the poll, on top of the pushed dialing."""
    call_id = await async_start_call(wired_simulator, phase)
    await async_poll(hass, freezer)

    state = get_state(hass, CALL_STATE)
    assert state.state == call_state
    assert state.attributes["call_id"] == call_id
    assert state.attributes["to"] == NUMBER


@pytest.mark.parametrize(
    ("channel_state", "call_state"),
    [
        ("Up", "talking"),
        ("UP", "talking"),
        ("Ringing", "ringing"),
        ("Down", "dialing"),
        ("Rsrvd", "dialing"),
        ("OffHook", "dialing"),
        ("Dialing", "dialing"),
        ("Ring", "dialing"),
        ("Dialing Offhook", "dialing"),
        ("Pre-ring", "dialing"),
        ("Busy", "dialing"),
        ("Unknown", "dialing"),
    ],
)
@pytest.mark.usefixtures("init_integration")
async def test_asterisk_state_mapping(
    hass: HomeAssistant,
    pbx_simulator: SimulatorServer,
    freezer: FrozenDateTimeFactory,
    channel_state: str,
    call_state: str,
) -> None:
    """Every Asterisk channel state of an active call maps to a call state."""
    serve_active_state(pbx_simulator, channel_state)
    await async_poll(hass, freezer)

    assert get_state(hass, CALL_STATE).state == call_state


@pytest.mark.usefixtures("init_integration")
async def test_poll_ends_a_call_without_webhooks(
    hass: HomeAssistant, pbx_simulator: SimulatorServer, freezer: FrozenDateTimeFactory
) -> None:
    """A call seen only by the poll is idle again once the PBX no longer shows it."""
    call_id = await async_start_call(pbx_simulator, CallPhase.TALKING)
    await async_poll(hass, freezer)
    await pbx_simulator.pbx.hangup(call_id)

    await async_poll(hass, freezer)

    state = get_state(hass, CALL_STATE)
    assert state.state == "idle"
    assert state.attributes.get("call_id") is None


@pytest.mark.usefixtures("init_integration")
async def test_hangup_webhook(
    hass: HomeAssistant,
    wired_simulator: SimulatorServer,
    freezer: FrozenDateTimeFactory,
) -> None:
    """The hangup webhook ends the call at once and becomes the last call."""
    call_id = await async_start_call(wired_simulator, CallPhase.TALKING)
    await async_poll(hass, freezer)
    freezer.tick(timedelta(seconds=9))

    await wired_simulator.pbx.hangup(call_id)
    await hass.async_block_till_done()

    assert get_state(hass, CALL_STATE).state == "idle"
    last_call = get_state(hass, LAST_CALL)
    assert last_call.state == "2026-11-27T12:00:40+00:00"
    assert dict(last_call.attributes) == {
        "call_id": call_id,
        "from": "6001",
        "to": NUMBER,
        "from_name": "Extension 6001",
        "to_name": None,
        "direction": "outbound",
        "disposition": "answered",
        "raw_disposition": "ANSWERED",
        "duration": 40,
        "device_class": "timestamp",
        "friendly_name": "Extension 6001 Last call",
    }
    assert get_state(hass, LAST_DISPOSITION).state == "answered"


@pytest.mark.parametrize(
    ("disposition", "expected"),
    [
        ("ANSWERED", "answered"),
        ("NO ANSWER", "no_answer"),
        ("BUSY", "busy"),
        ("FAILED", "failed"),
        ("CONGESTION", "congestion"),
    ],
)
@pytest.mark.usefixtures("init_integration")
async def test_last_disposition(
    hass: HomeAssistant,
    wired_simulator: SimulatorServer,
    disposition: str,
    expected: str,
) -> None:
    """The outcome of the last call, normalised."""
    call_id = await wired_simulator.pbx.start_call("6001", NUMBER)

    await wired_simulator.pbx.hangup(call_id, disposition)
    await hass.async_block_till_done()

    assert get_state(hass, LAST_DISPOSITION).state == expected


@pytest.mark.usefixtures("init_integration")
async def test_called_extension_gets_the_call(
    hass: HomeAssistant,
    wired_simulator: SimulatorServer,
    freezer: FrozenDateTimeFactory,
) -> None:
    """An extension called by another shows the call through the poll."""
    await async_start_call(wired_simulator, CallPhase.RINGING, "6001", "6002")
    await async_poll(hass, freezer)

    assert get_state(hass, "sensor.extension_6002_call_state").state == "ringing"


@pytest.mark.usefixtures("entity_registry_enabled_by_default", "init_integration")
async def test_last_webhook(
    hass: HomeAssistant, wired_simulator: SimulatorServer
) -> None:
    """The hub's last webhook is when the last accepted webhook arrived."""
    await wired_simulator.pbx.start_call("6001", NUMBER)
    await hass.async_block_till_done()

    assert get_state(hass, LAST_WEBHOOK).state == "2026-11-27T12:00:00+00:00"


@pytest.mark.parametrize(
    ("restored_state", "attributes"),
    [
        (STATE_UNKNOWN, {"call_id": "6583e35aca21ad97"}),
        ("unavailable", {"call_id": "6583e35aca21ad97"}),
        ("yesterday", {"call_id": "6583e35aca21ad97"}),
        ("2026-11-27T11:00:00+00:00", {}),
        ("2026-11-27T11:00:00+00:00", {"call_id": 42}),
    ],
    ids=["unknown", "unavailable", "not_a_date", "no_call_id", "bad_call_id"],
)
async def test_unusable_last_call_not_restored(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    restored_state: str,
    attributes: dict[str, Any],
) -> None:
    """A stored last call that cannot be understood is dropped."""
    mock_restore_cache(hass, [State(LAST_CALL, restored_state, attributes)])
    await async_setup_entry(hass, mock_config_entry)

    assert get_state(hass, LAST_CALL).state == STATE_UNKNOWN
    assert get_state(hass, LAST_DISPOSITION).state == STATE_UNKNOWN


async def test_restored_last_call_replaced_by_a_new_one(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    hass_client_no_auth: ClientSessionGenerator,
    pbx_simulator: SimulatorServer,
) -> None:
    """A call after the restart replaces the restored last call."""
    mock_restore_cache(
        hass,
        [
            State(
                LAST_CALL,
                "2026-11-27T11:00:00+00:00",
                {"call_id": "6583e35aca21ad97", "disposition": "busy"},
            )
        ],
    )
    await async_setup_entry(hass, mock_config_entry)
    client = await hass_client_no_auth()
    pbx_simulator.set_webhook(
        str(client.make_url(f"/api/webhook/{mock_config_entry.data['webhook_id']}")),
        mock_config_entry.options["client_id"],
    )
    call_id = await pbx_simulator.pbx.start_call("6001", NUMBER)

    await pbx_simulator.pbx.hangup(call_id, "NO ANSWER")
    await hass.async_block_till_done()

    last_call = get_state(hass, LAST_CALL)
    assert last_call.state == "2026-11-27T12:00:00+00:00"
    assert last_call.attributes["call_id"] == call_id
    assert get_state(hass, LAST_DISPOSITION).state == "no_answer"
