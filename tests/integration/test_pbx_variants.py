"""Every reading of the provider's page a PBX might use works, and is noted.

Each test switches one of the simulator's variants (``/_sim/variants``), runs
a call or a poll through real HTTP, and checks that the integration shows it
as it shows the page's own reading, and which difference it noted for the
diagnostics (none for the page's).
"""

from datetime import timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from bemmelhor_simulator import CallPhase, SimulatorServer
from homeassistant.core import Event, HomeAssistant

from .helpers import NOW, NUMBER, async_action, async_poll, async_start_call, get_state
from .sample_helpers import noted

pytestmark = pytest.mark.freeze_time(NOW)

CONNECTIVITY = "binary_sensor.bem_melhor_pbx_api_connectivity"
CALL_STATE = "sensor.extension_6001_call_state"


async def async_call_and_hang_up(
    hass: HomeAssistant,
    simulator: SimulatorServer,
    freezer: FrozenDateTimeFactory,
    disposition: str = "ANSWERED",
) -> None:
    """6001 calls the outside number, talks 42 s and hangs up (webhooks only)."""
    call_id = await simulator.pbx.start_call("6001", NUMBER)
    await simulator.pbx.set_phase(call_id, CallPhase.TALKING)
    freezer.tick(timedelta(seconds=42))
    await simulator.pbx.hangup(call_id, disposition)
    await hass.async_block_till_done()


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("milliseconds", set()),
        ("seconds", {("other_format", "data.created")}),
        ("iso", {("other_format", "data.created")}),
    ],
)
async def test_created_in_any_unit(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    wired_simulator: SimulatorServer,
    freezer: FrozenDateTimeFactory,
    hangup_events: list[Event],
    value: str,
    expected: set[tuple[str, str]],
) -> None:
    """``created`` in epoch ms, epoch seconds or ISO gives the same times."""
    wired_simulator.variants.set({"created": value})

    await async_call_and_hang_up(hass, wired_simulator, freezer)

    assert hangup_events[0].data["created"] == "2026-11-27T12:00:42+00:00"
    assert hangup_events[0].data["duration"] == 42
    assert noted(init_integration) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("h", set()),
        ("empty", {("other_format", "data.to")}),
        ("missing", {("missing_field", "data.to")}),
        ("number", {("other_format", "data.to")}),
    ],
)
async def test_hangup_to_in_any_form(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    wired_simulator: SimulatorServer,
    freezer: FrozenDateTimeFactory,
    hangup_events: list[Event],
    value: str,
    expected: set[tuple[str, str]],
) -> None:
    """A hangup's ``to`` as ``h``, empty, missing or the number: the dialed number."""
    wired_simulator.variants.set({"hangup_to": value})

    await async_call_and_hang_up(hass, wired_simulator, freezer)

    assert hangup_events[0].data["to"] == NUMBER
    assert noted(init_integration) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("null", set()),
        ("empty_object", {("other_format", "data")}),
        ("not_found", {("other_format", "HTTP status")}),
    ],
)
async def test_idle_in_any_form(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    pbx: SimulatorServer,
    freezer: FrozenDateTimeFactory,
    value: str,
    expected: set[tuple[str, str]],
) -> None:
    """An idle extension as ``data: null``, ``data: {}`` or HTTP 404 is idle."""
    call_id = await async_start_call(pbx, CallPhase.TALKING)
    await async_poll(hass, freezer)
    await pbx.pbx.hangup(call_id)
    pbx.variants.set({"idle": value})

    await async_poll(hass, freezer)

    assert get_state(hass, CALL_STATE).state == "idle"
    assert get_state(hass, CONNECTIVITY).state == "on"
    assert noted(init_integration) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("page", set()),
        ("lower", {("other_format", "apiStatus")}),
        ("spelled", {("other_format", "apiStatus")}),
    ],
)
async def test_api_status_in_any_case(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    pbx: SimulatorServer,
    freezer: FrozenDateTimeFactory,
    value: str,
    expected: set[tuple[str, str]],
) -> None:
    """``success`` or ``CONNECTION_OK`` are successes: calls start, polls work."""
    pbx.variants.set({"api_status": value})

    response: Any = await async_action(
        hass, "call", {"extension": "6001", "destination": NUMBER}
    )
    await async_poll(hass, freezer)

    assert response["call_id"]
    assert get_state(hass, CONNECTIVITY).state == "on"
    assert noted(init_integration) == expected


@pytest.mark.parametrize(
    ("value", "caller", "expected"),
    [
        ("full", NUMBER, set()),
        ("empty_name", NUMBER, set()),
        ("missing", "6002", {("missing_field", "data.callerId")}),
    ],
)
async def test_caller_id_in_any_form(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    pbx: SimulatorServer,
    freezer: FrozenDateTimeFactory,
    value: str,
    caller: str,
    expected: set[tuple[str, str]],
) -> None:
    """A call only the poll sees rings with or without a caller id (name).

    Without a caller id the call is the extension's own, from nobody known.
    """
    pbx.variants.set({"caller_id": value})
    await async_start_call(pbx, CallPhase.RINGING, from_=NUMBER, to="6002")

    await async_poll(hass, freezer)

    state = get_state(hass, "sensor.extension_6002_call_state")
    assert state.state == "ringing"
    assert state.attributes["from"] == caller
    assert noted(init_integration) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("plain", set()),
        ("plus55", {("other_format", "data.to")}),
        ("spaces", {("other_format", "data.to")}),
        ("sip", {("other_format", "data.from"), ("other_format", "data.to")}),
    ],
)
async def test_numbers_in_any_form(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    wired_simulator: SimulatorServer,
    dialing_events: list[Event],
    extension_device_id: str,
    value: str,
    expected: set[tuple[str, str]],
) -> None:
    """``+55 32 …``, ``032 99999 9999`` and ``SIP/6001`` are read as the page's."""
    wired_simulator.variants.set({"numbers": value})

    await wired_simulator.pbx.start_call("6001", NUMBER)
    await hass.async_block_till_done()

    data = dialing_events[0].data
    assert (data["extension"], data["from"], data["to"]) == ("6001", "6001", NUMBER)
    assert data["device_id"] == extension_device_id
    assert noted(init_integration) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("json", set()),
        ("text_plain", {("other_format", "Content-Type")}),
        ("form_json_field", {("other_format", "form field payload")}),
        ("form_fields", {("other_format", "form field data")}),
    ],
)
async def test_webhook_body_in_any_encoding(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    wired_simulator: SimulatorServer,
    dialing_events: list[Event],
    value: str,
    expected: set[tuple[str, str]],
) -> None:
    """JSON as ``text/plain``, or in a form (one field, or ``data`` as JSON): 200."""
    wired_simulator.variants.set({"body": value})

    call_id = await wired_simulator.pbx.start_call("6001", NUMBER)
    await hass.async_block_till_done()

    assert [delivery.status for delivery in wired_simulator.webhooks.deliveries] == [
        200
    ]
    assert dialing_events[0].data["call_id"] == call_id
    assert noted(init_integration) == expected


async def test_unknown_disposition_keeps_the_pbx_word(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    wired_simulator: SimulatorServer,
    freezer: FrozenDateTimeFactory,
    hangup_events: list[Event],
) -> None:
    """An unknown disposition is ``unknown``, with the PBX's word beside it."""
    wired_simulator.variants.set({"disposition": "CANCEL"})

    await async_call_and_hang_up(hass, wired_simulator, freezer)

    last_call = get_state(hass, "sensor.extension_6001_last_call")
    assert get_state(hass, "sensor.extension_6001_last_call_outcome").state == (
        "unknown"
    )
    assert last_call.attributes["disposition"] == "unknown"
    assert last_call.attributes["raw_disposition"] == "CANCEL"
    assert hangup_events[0].data["disposition"] == "unknown"
    assert hangup_events[0].data["raw_disposition"] == "CANCEL"
    assert noted(init_integration) == {("unknown_disposition", "data.disposition")}


async def test_unknown_channel_state_keeps_the_pbx_word(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    pbx: SimulatorServer,
    freezer: FrozenDateTimeFactory,
) -> None:
    """An unknown channel state shows as dialing, with the PBX's word beside it."""
    pbx.variants.set({"channel_state": "Hold"})
    await async_start_call(pbx, CallPhase.TALKING)

    await async_poll(hass, freezer)

    state = get_state(hass, CALL_STATE)
    assert state.state == "dialing"
    assert state.attributes["raw_channel_state"] == "Hold"
    assert noted(init_integration) == {("unknown_channel_state", "data.state")}
