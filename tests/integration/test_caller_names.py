"""Caller names: "Maria Silva is calling" wherever a call shows.

An entry in area 11 with one contact, Maria Silva (+55 11 98765-4321). Calls
come as real webhooks (and one through the poll); names are checked in the
call state, the last call, the bus events and the event entity. A name is
taken when the call starts and stays with the call.
"""

from typing import Any

from freezegun.api import FrozenDateTimeFactory
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from bemmelhor_simulator import CallPhase, SimulatorServer
from custom_components.bemmelhor.const import CONF_AREA_CODE
from homeassistant.core import Event, HomeAssistant
from homeassistant.helpers import device_registry as dr

from .contact_helpers import MARIA, async_add_contact, contact_data
from .helpers import (
    NOW,
    WebhookClient,
    async_poll,
    async_post_all,
    async_setup_entry,
    async_start_call,
    dialing_body,
    get_state,
    hangup_body,
)

CALL_STATE = "sensor.extension_6001_call_state"
LAST_CALL = "sensor.extension_6001_last_call"
CALL_EVENT = "event.extension_6001_call"


@pytest.fixture
def entry_options(entry_options: dict[str, Any]) -> dict[str, Any]:
    """Put the PBX in area 11 (São Paulo)."""
    return entry_options | {CONF_AREA_CODE: "11"}


@pytest.fixture
def mock_config_entry(mock_config_entry: MockConfigEntry) -> MockConfigEntry:
    """Give the entry one contact, Maria Silva."""
    return MockConfigEntry(
        domain=mock_config_entry.domain,
        title=mock_config_entry.title,
        unique_id=mock_config_entry.unique_id,
        data=mock_config_entry.data,
        options=mock_config_entry.options,
        subentries_data=[contact_data()],
        version=1,
        minor_version=1,
    )


@pytest.mark.parametrize(
    "maria_as_the_pbx_writes_her",
    ["011987654321", "11987654321", "987654321", "01187654321", "0151198765 4321"],
)
async def test_outgoing_call_names_the_contact(
    hass: HomeAssistant,
    webhook_client: WebhookClient,
    dialing_events: list[Event],
    maria_as_the_pbx_writes_her: str,
) -> None:
    """Calling Maria, however the PBX writes her number, shows her name.

    The number is kept as the PBX's page writes numbers: without spaces.
    """
    await async_post_all(webhook_client, [dialing_body(to=maria_as_the_pbx_writes_her)])

    assert (dialing_events[0].data["from_name"], dialing_events[0].data["to_name"]) == (
        "Extension 6001",
        MARIA,
    )
    attributes = get_state(hass, CALL_STATE).attributes
    assert (attributes["remote_number"], attributes["remote_name"]) == (
        maria_as_the_pbx_writes_her.replace(" ", ""),
        MARIA,
    )


async def test_incoming_call_names_the_caller(
    hass: HomeAssistant, webhook_client: WebhookClient, hangup_events: list[Event]
) -> None:
    """Maria calling extension 6002: her name on the call, the hangup and the last call."""
    await async_post_all(
        webhook_client,
        [
            dialing_body(from_="11987654321", to="6002"),
            hangup_body(from_="11987654321", disposition="NO ANSWER"),
        ],
    )

    assert (hangup_events[0].data["from_name"], hangup_events[0].data["to_name"]) == (
        MARIA,
        "Extension 6002",
    )
    last_call = get_state(hass, "sensor.extension_6002_last_call").attributes
    assert (last_call["from_name"], last_call["to_name"]) == (MARIA, "Extension 6002")


async def test_last_call_and_event_entity_carry_names(
    hass: HomeAssistant, webhook_client: WebhookClient
) -> None:
    """The last call sensor and the event entity show both names."""
    await async_post_all(
        webhook_client, [dialing_body(to="011987654321"), hangup_body()]
    )

    last_call = get_state(hass, LAST_CALL).attributes
    event = get_state(hass, CALL_EVENT).attributes
    assert (last_call["from_name"], last_call["to_name"]) == ("Extension 6001", MARIA)
    assert (event["event_type"], event["from_name"], event["to_name"]) == (
        "hangup",
        "Extension 6001",
        MARIA,
    )


async def test_landline_is_not_the_mobile_with_its_last_8_digits(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    webhook_client: WebhookClient,
    dialing_events: list[Event],
) -> None:
    """(11) 3456-7890 is not Ana, whose mobile is (11) 93456-7890."""
    await async_add_contact(hass, init_integration, "Ana", "(11) 93456-7890")

    await async_post_all(
        webhook_client,
        [
            dialing_body("call-1", to="01134567890"),
            dialing_body("call-2", from_="6002", to="011934567890"),
        ],
    )

    assert [event.data["to_name"] for event in dialing_events] == [None, "Ana"]


async def test_name_is_kept_with_the_call(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    webhook_client: WebhookClient,
    hangup_events: list[Event],
) -> None:
    """A contact renamed during a call: the call keeps the name it started with."""
    await async_post_all(webhook_client, [dialing_body(to="011987654321")])
    (subentry,) = init_integration.subentries.values()
    hass.config_entries.async_update_subentry(
        init_integration,
        subentry,
        data={"name": "Maria S.", "numbers": ["011987654321"]},
    )
    await hass.async_block_till_done()

    await async_post_all(
        webhook_client,
        [
            hangup_body(),
            dialing_body("call-2", to="011987654321"),
            hangup_body("call-2"),
        ],
    )

    assert [event.data["to_name"] for event in hangup_events] == [MARIA, "Maria S."]


async def test_contact_added_during_a_call_names_the_next_call(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    webhook_client: WebhookClient,
    dialing_events: list[Event],
) -> None:
    """A new contact names calls from then on, without a reload."""
    await async_add_contact(hass, init_integration, "Padaria", "(11) 4004-1234")

    await async_post_all(webhook_client, [dialing_body(to="40041234")])

    assert dialing_events[0].data["to_name"] == "Padaria"
    assert init_integration.runtime_data.coordinator.log.open_calls


async def test_extension_named_by_the_user(
    webhook_client: WebhookClient,
    extension_device_id: str,
    device_registry: dr.DeviceRegistry,
    dialing_events: list[Event],
) -> None:
    """The name the user gave the extension's device wins."""
    device_registry.async_update_device(extension_device_id, name_by_user="Recepção")

    await async_post_all(webhook_client, [dialing_body(from_="6001", to="6002")])

    assert (dialing_events[0].data["from_name"], dialing_events[0].data["to_name"]) == (
        "Recepção",
        "Extension 6002",
    )


@pytest.mark.freeze_time(NOW)
async def test_call_seen_only_by_the_poll_is_named(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    pbx: SimulatorServer,
    freezer: FrozenDateTimeFactory,
    dialing_events: list[Event],
) -> None:
    """An inbound call the PBX sent no webhook for is named too."""
    await async_start_call(pbx, CallPhase.RINGING, from_="011987654321", to="6002")

    await async_poll(hass, freezer)

    assert [event.data["from_name"] for event in dialing_events] == [MARIA]
    assert dialing_events[0].data["source"] == "poll"


@pytest.mark.freeze_time(NOW)
async def test_call_found_by_the_first_poll_is_named(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    pbx_simulator: SimulatorServer,
    dialing_events: list[Event],
) -> None:
    """A call the set-up's own poll finds is named after its extension's device.

    The devices are registered before that poll: a call going on while the
    entry (re)loads is not left nameless.
    """
    await async_start_call(pbx_simulator, CallPhase.TALKING, from_="6001", to="6002")

    await async_setup_entry(hass, mock_config_entry)

    assert [
        (event.data["from_name"], event.data["to_name"]) for event in dialing_events
    ] == [("Extension 6001", "Extension 6002")]
