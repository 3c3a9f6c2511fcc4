"""Setting up and unloading an entry."""

from http import HTTPStatus

from freezegun.api import FrozenDateTimeFactory
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
)
from pytest_homeassistant_custom_component.typing import WebSocketGenerator

from bemmelhor_simulator.server import SimulatorServer
from custom_components.bemmelhor.const import DOMAIN, EVENT_CALL_DIALING
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr
from homeassistant.helpers.translation import async_get_translations
from homeassistant.setup import async_setup_component

from .helpers import (
    WEBHOOK_PATH,
    WebhookClient,
    async_poll,
    async_setup_entry,
    dialing_body,
)


async def test_setup_creates_hub_and_extension_devices(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    device_registry: dr.DeviceRegistry,
) -> None:
    """A hub device and one device per extension, the extensions via the hub."""
    hub = device_registry.async_get_device_by_identifier(
        (DOMAIN, "127.0.0.1"), init_integration.entry_id
    )
    assert hub is not None
    assert hub.manufacturer == "Bem Melhor Telecom"
    assert hub.model == "Cloud PBX"
    assert hub.name == "Bem Melhor PBX"
    extension = device_registry.async_get_device_by_identifier(
        (DOMAIN, "127.0.0.1_6001"), init_integration.entry_id
    )
    assert extension is not None
    assert extension.name == "Extension 6001"
    assert extension.via_device_id == hub.id


async def test_unload_leaves_nothing(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """Unloading unregisters the webhook."""
    await hass.config_entries.async_unload(init_integration.entry_id)
    await hass.async_block_till_done()
    assert init_integration.state is ConfigEntryState.NOT_LOADED


async def test_setup_retries_while_pbx_refuses(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    pbx_simulator: SimulatorServer,
) -> None:
    """A PBX refusing connections makes set-up wait and retry (not fail)."""
    await pbx_simulator.refuse_connections()
    await async_setup_entry(hass, mock_config_entry)

    assert mock_config_entry.state is ConfigEntryState.SETUP_RETRY
    assert mock_config_entry.error_reason_translation_key == "cannot_connect"


async def test_setup_retry_loads_once_pbx_is_back(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    pbx_simulator: SimulatorServer,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Once the PBX accepts connections again, the next retry loads the entry."""
    await pbx_simulator.refuse_connections()
    await async_setup_entry(hass, mock_config_entry)

    await pbx_simulator.accept_connections()
    await async_poll(hass, freezer, 60)

    assert mock_config_entry.state is ConfigEntryState.LOADED


async def test_unload_unregisters_webhook(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    webhook_client: WebhookClient,
) -> None:
    """After unloading, a webhook post reaches nothing: no call event is fired."""
    events = async_capture_events(hass, EVENT_CALL_DIALING)
    await hass.config_entries.async_unload(init_integration.entry_id)
    await hass.async_block_till_done()

    response = await webhook_client.post(
        WEBHOOK_PATH, json=dialing_body("1613584017.1", to="6002")
    )
    await hass.async_block_till_done()

    assert response.status == HTTPStatus.OK
    assert events == []


async def test_remove_stale_extension_device(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    device_registry: dr.DeviceRegistry,
    hass_ws_client: WebSocketGenerator,
) -> None:
    """A device of an extension that is no longer configured can be removed."""
    assert await async_setup_component(hass, "config", {})
    stale = device_registry.async_get_or_create(
        config_entry_id=init_integration.entry_id,
        identifiers={(DOMAIN, "127.0.0.1_6099")},
    )
    client = await hass_ws_client(hass)

    response = await client.remove_device(stale.id)

    assert response["success"]
    assert device_registry.async_get(stale.id) is None


@pytest.mark.parametrize(
    ("identifier", "reason"),
    [
        ("127.0.0.1_6001", "remove_extension_device"),
        ("127.0.0.1", "remove_hub_device"),
    ],
)
async def test_remove_configured_device_refused(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    device_registry: dr.DeviceRegistry,
    hass_ws_client: WebSocketGenerator,
    identifier: str,
    reason: str,
) -> None:
    """The hub and configured extensions' devices cannot be removed; the UI says why.

    The hub goes with its entry, an extension's device with the extension.
    """
    assert await async_setup_component(hass, "config", {})
    device = device_registry.async_get_device_by_identifier(
        (DOMAIN, identifier), init_integration.entry_id
    )
    assert device is not None
    client = await hass_ws_client(hass)

    response = await client.remove_device(device.id)

    assert not response["success"]
    assert response["error"]["translation_domain"] == DOMAIN
    assert response["error"]["translation_key"] == reason
    assert device_registry.async_get(device.id) is not None


@pytest.mark.parametrize("language", ["en", "pt-BR"])
@pytest.mark.parametrize("reason", ["remove_extension_device", "remove_hub_device"])
async def test_refused_removal_translated(
    hass: HomeAssistant, language: str, reason: str
) -> None:
    """Each reason for refusing a removal reads in both languages."""
    translations = await async_get_translations(hass, language, "exceptions", [DOMAIN])

    assert f"component.{DOMAIN}.exceptions.{reason}.message" in translations


async def test_hub_has_no_visit_link(
    init_integration: MockConfigEntry, device_registry: dr.DeviceRegistry
) -> None:
    """The hub links to no page: the API's base URL is none, the panel unknown."""
    hub = device_registry.async_get_device_by_identifier(
        (DOMAIN, "127.0.0.1"), init_integration.entry_id
    )

    assert hub is not None
    assert hub.configuration_url is None


async def test_setup_clears_an_old_visit_link(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    device_registry: dr.DeviceRegistry,
) -> None:
    """A hub that linked to the API's base URL before loses the link."""
    mock_config_entry.add_to_hass(hass)
    hub = device_registry.async_get_or_create(
        config_entry_id=mock_config_entry.entry_id,
        identifiers={(DOMAIN, "127.0.0.1")},
        configuration_url="http://127.0.0.1:3030/api",
    )

    await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()

    updated = device_registry.async_get_device_by_identifier(
        (DOMAIN, "127.0.0.1"), mock_config_entry.entry_id
    )
    assert updated is not None
    assert updated.id == hub.id
    assert updated.configuration_url is None


async def test_setup_removes_unconfigured_extension_device(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    device_registry: dr.DeviceRegistry,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Set-up removes the device of an extension no longer configured.

    It does so without the device registry's deprecated calls.
    """
    mock_config_entry.add_to_hass(hass)
    stale = device_registry.async_get_or_create(
        config_entry_id=mock_config_entry.entry_id,
        identifiers={(DOMAIN, "127.0.0.1_6099")},
    )

    await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()

    assert mock_config_entry.state is ConfigEntryState.LOADED
    assert device_registry.async_get(stale.id) is None
    assert "Detected that custom integration" not in caplog.text
